// `redspec spec import <src/commands dir | merged commands.json> [--out spec] [--server NAME --version X.Y.Z] [--facts-only]`:
// converts a server source tree's command files or a merged commands.json into the spec layout.
// The result is validated (with the overrides already in the output directory) before anything is
// written; on any fault every error is printed, nothing is written and the exit code is 1. Quirks of
// upstream's files that were fixed (notes) and unknown values of open vocabularies (warnings) are
// printed to stderr and do not stop the import.
import { usageError } from '../cli-error.js';
import { commandFacts } from '../facts-only.js';
import { importCommands, importSource } from '../import.js';
import { loadedSpecFromFiles, loadMergedSources, loadOverrides, readImportInput } from '../load.js';
import { formatErrors, validateSpec } from '../validate.js';
import { vocabularyWarnings } from '../vocabulary.js';
import { writeSpec } from '../write-spec.js';

export interface ImportOptions {
  /** A source tree's src/commands directory or a merged commands.json. */
  target: string;
  out: string;
  server?: string;
  version?: string;
  factsOnly: boolean;
}

export async function run(options: ImportOptions): Promise<number> {
  const { out } = options;
  // A SpecLoadError (unreadable input) is reported by the command line with its file errors: exit 1.
  const input = await readImportInput(options.target);
  const server = options.server ?? input.detected?.server;
  const version = options.version ?? input.detected?.version;
  if (server === undefined || version === undefined)
    throw usageError(
      `cannot tell which server and version ${input.from} describes: pass --server and --version`,
    );
  const imported = importCommands(input);
  const { errors: importErrors, notes } = imported;
  // --facts-only: a server whose licence is not the repository's contributes facts, no prose.
  const files = options.factsOnly
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
    process.stderr.write(
      `${formatErrors(errors)}\nredspec: invalid spec: ${errors.length} error(s); nothing written\n`,
    );
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
