// `npm run spec:validate [-- <spec dir>]`: loads a spec directory (default spec/) and reports every
// fault of its command files, overrides and SOURCE.json at once, and as warnings the values of open
// vocabularies it does not know (a new flag never fails a bump). Exit 0 when valid, 1 otherwise.
import { loadSpecDir, SpecLoadError } from '../load.js';
import { formatErrors, validateSpec } from '../validate.js';
import { vocabularyWarnings } from '../vocabulary.js';

export async function run(argv: string[]): Promise<number> {
  if (argv.length > 1 || argv[0]?.startsWith('-')) {
    process.stderr.write('usage: spec:validate [<spec dir>]   (default: spec)\n');
    return 2;
  }
  const dir = argv[0] ?? 'spec';
  let spec;
  try {
    spec = await loadSpecDir(dir);
  } catch (err) {
    if (!(err instanceof SpecLoadError)) throw err;
    process.stderr.write(`${[err.message, formatErrors(err.errors)].filter(Boolean).join('\n')}\n`);
    return 1;
  }
  const errors = validateSpec(spec);
  const warnings = vocabularyWarnings(spec);
  if (warnings.length > 0) process.stderr.write(`${formatErrors(warnings).replace(/^/gm, 'warning: ')}\n`);
  if (errors.length > 0) {
    process.stderr.write(
      `${formatErrors(errors)}\n${errors.length} error(s), ${warnings.length} warning(s) in ${dir}\n`,
    );
    return 1;
  }
  process.stdout.write(
    `${dir}: ${spec.files.length} command files and ${spec.overrides.length} override files are valid` +
      (warnings.length > 0 ? ` (${warnings.length} warning(s))\n` : '\n'),
  );
  return 0;
}
