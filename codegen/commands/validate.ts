// `redspec spec validate [<spec dir>]`: loads a spec directory (default spec/) and reports every
// fault of its command files, overrides and SOURCE.json at once (`<file>#<JSON pointer>: <message>`),
// and as warnings the values of open vocabularies it does not know (a new flag never fails a bump).
// Exit 0 when valid, 1 otherwise.
import { loadSpecDir } from '../load.js';
import { formatErrors, validateSpec } from '../validate.js';
import { vocabularyWarnings } from '../vocabulary.js';

export interface ValidateOptions {
  dir: string;
}

export async function run({ dir }: ValidateOptions): Promise<number> {
  // A missing directory is a SpecLoadError, reported by the command line: exit 1.
  const spec = await loadSpecDir(dir);
  const errors = validateSpec(spec);
  const warnings = vocabularyWarnings(spec);
  if (warnings.length > 0) process.stderr.write(`${formatErrors(warnings).replace(/^/gm, 'warning: ')}\n`);
  if (errors.length > 0) {
    process.stderr.write(
      `${formatErrors(errors)}\nredspec: invalid spec: ${errors.length} error(s), ${warnings.length} warning(s) in ${dir}\n`,
    );
    return 1;
  }
  process.stdout.write(
    `${dir}: ${spec.files.length} command files and ${spec.overrides.length} override files are valid` +
      (warnings.length > 0 ? ` (${warnings.length} warning(s))\n` : '\n'),
  );
  return 0;
}
