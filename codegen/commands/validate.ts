// `npm run spec:validate [-- <spec dir>]`: loads a spec directory (default spec/) and reports every
// fault of its command files, overrides and SOURCE.json at once. Exit 0 when valid, 1 otherwise.
import { loadSpecDir, SpecLoadError } from '../load.js';
import { formatErrors, validateSpec } from '../validate.js';

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
  if (errors.length > 0) {
    process.stderr.write(`${formatErrors(errors)}\n${errors.length} error(s) in ${dir}\n`);
    return 1;
  }
  process.stdout.write(
    `${dir}: ${spec.files.length} command files and ${spec.overrides.length} override files are valid\n`,
  );
  return 0;
}
