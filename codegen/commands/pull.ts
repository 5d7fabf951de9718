// `npm run spec:pull -- --url redis://HOST:PORT [--sentinel redis://HOST:PORT] [--out spec] [--resp 2|3]`:
// asks a running server (and a sentinel of the same build) with COMMAND DOCS / COMMAND INFO and
// writes the spec layout. The result is validated (with the overrides already in the output
// directory) before anything is written; on any fault every error is printed, nothing is written
// and the exit code is 1. Connection URLs are never printed (they may hold a password).
import { parseArgs } from 'node:util';
import { RedisError } from '../../src/errors.js';
import { commandFacts } from '../facts-only.js';
import { loadedSpecFromFiles, loadMergedSources, loadOverrides } from '../load.js';
import { normalisePull, PullShapeError, type PulledSpec } from '../pull.js';
import { readReplies } from '../pull-session.js';
import type { SpecFile } from '../spec-types.js';
import { formatErrors, validateSpec } from '../validate.js';
import { writeSpec } from '../write-spec.js';

const USAGE =
  'usage: spec:pull --url redis://HOST:PORT [--sentinel redis://HOST:PORT] [--out spec] [--resp 2|3] [--facts-only]\n';

export interface PullOptions {
  url: string;
  sentinel?: string;
  protocol: 2 | 3;
}

/** Reads the server (and sentinel) and normalises what they say; no disk access. */
export async function pullSpec(options: PullOptions): Promise<PulledSpec> {
  const server = await readReplies(options.url, options.protocol);
  const sentinel =
    options.sentinel === undefined ? undefined : await readReplies(options.sentinel, options.protocol);
  return normalisePull(server, sentinel);
}

export function specFiles(pulled: PulledSpec): SpecFile[] {
  return pulled.commands.map((c) => ({ [c.key]: c.command }));
}

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv.filter((a) => a !== '--'),
      options: {
        url: { type: 'string' },
        sentinel: { type: 'string' },
        out: { type: 'string' },
        resp: { type: 'string' },
        'facts-only': { type: 'boolean' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { url, sentinel, resp } = parsed.values;
  if (url === undefined || (resp !== undefined && resp !== '2' && resp !== '3')) {
    process.stderr.write(USAGE);
    return 2;
  }
  const out = parsed.values.out ?? 'spec';
  let pulled: PulledSpec;
  try {
    pulled = await pullSpec({
      url,
      protocol: resp === '2' ? 2 : 3,
      ...(sentinel !== undefined ? { sentinel } : {}),
    });
  } catch (err) {
    if (err instanceof TypeError || err instanceof PullShapeError || err instanceof RedisError) {
      process.stderr.write(`spec:pull: ${err.message}\n`);
      return 1;
    }
    throw err;
  }
  // --facts-only: a server whose licence is not the repository's contributes facts, no prose.
  const files = specFiles(pulled).map((file) =>
    parsed.values['facts-only'] === true
      ? Object.fromEntries(Object.entries(file).map(([k, c]) => [k, commandFacts(c)]))
      : file,
  );
  const { overrides, problems } = await loadOverrides(out);
  const loaded = loadedSpecFromFiles(out, files, pulled.source, overrides, problems);
  const also = await loadMergedSources(out);
  if (also !== undefined) loaded.also = also;
  const errors = validateSpec(loaded);
  if (errors.length > 0) {
    process.stderr.write(`${formatErrors(errors)}\n${errors.length} error(s); nothing written\n`);
    return 1;
  }
  await writeSpec(out, files, pulled.source);
  const { commands, subcommands, withReplySchema } = pulled.source.counts;
  process.stdout.write(
    `${out}: pulled ${commands} commands and ${subcommands} subcommands (${withReplySchema} with reply_schema) from ${pulled.source.from}\n`,
  );
  return 0;
}
