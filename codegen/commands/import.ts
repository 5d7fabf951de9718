// `npm run spec:import -- <src/commands dir | merged commands.json> [--out spec] [--server NAME --version X.Y.Z] [--facts-only]`:
// converts a server source tree's command files or a merged commands.json into the spec layout.
// The result is validated (with the overrides already in the output directory) before anything is
// written; on any fault every error is printed, nothing is written and the exit code is 1. Quirks of
// upstream's files that were fixed (notes) and unknown values of open vocabularies (warnings) are
// printed to stderr and do not stop the import.
import { parseArgs } from 'node:util';
import { commandFacts } from '../facts-only.js';
import { importCommands, importSource } from '../import.js';
import {
  loadedSpecFromFiles,
  loadMergedSources,
  loadOverrides,
  readImportInput,
  SpecLoadError,
} from '../load.js';
import { formatErrors, validateSpec } from '../validate.js';
import { vocabularyWarnings } from '../vocabulary.js';
import { writeSpec } from '../write-spec.js';

const USAGE =
  'usage: spec:import <src/commands dir | merged commands.json> [--out spec] [--server NAME --version X.Y.Z] [--facts-only]\n';

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: { type: 'string' },
        server: { type: 'string' },
        version: { type: 'string' },
        'facts-only': { type: 'boolean' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const [target, ...extra] = parsed.positionals;
  if (target === undefined || extra.length > 0) {
    process.stderr.write(USAGE);
    return 2;
  }
  const out = parsed.values.out ?? 'spec';
  let input;
  try {
    input = await readImportInput(target);
  } catch (err) {
    if (!(err instanceof SpecLoadError)) throw err;
    process.stderr.write(`${[err.message, formatErrors(err.errors)].filter(Boolean).join('\n')}\n`);
    return 1;
  }
  const server = parsed.values.server ?? input.detected?.server;
  const version = parsed.values.version ?? input.detected?.version;
  if (server === undefined || version === undefined) {
    process.stderr.write(
      `cannot tell which server and version ${input.from} describes: pass --server and --version\n`,
    );
    return 2;
  }
  const imported = importCommands(input);
  const { errors: importErrors, notes } = imported;
  // --facts-only: a server whose licence is not the repository's contributes facts, no prose.
  const files =
    parsed.values['facts-only'] === true
      ? imported.files.map((f) => Object.fromEntries(Object.entries(f).map(([k, c]) => [k, commandFacts(c)])))
      : imported.files;
  const source = importSource(input, files, { server, version });
  const { overrides, problems } = await loadOverrides(out);
  const loaded = loadedSpecFromFiles(out, files, source, overrides, problems);
  const also = await loadMergedSources(out);
  if (also !== undefined) loaded.also = also;
  const errors = [...importErrors, ...validateSpec(loaded)];
  const warnings = vocabularyWarnings(loaded);
  for (const [label, list] of [
    ['note', notes],
    ['warning', warnings],
  ] as const) {
    if (list.length > 0) process.stderr.write(`${formatErrors(list).replace(/^/gm, `${label}: `)}\n`);
  }
  if (errors.length > 0) {
    process.stderr.write(`${formatErrors(errors)}\n${errors.length} error(s); nothing written\n`);
    return 1;
  }
  await writeSpec(out, files, source);
  const { commands, subcommands, withReplySchema } = source.counts;
  process.stdout.write(
    `${out}: imported ${commands} commands and ${subcommands} subcommands (${withReplySchema} with reply_schema) from ${input.from}` +
      `; ${notes.length} upstream quirk(s) fixed, ${warnings.length} warning(s)\n`,
  );
  return 0;
}
