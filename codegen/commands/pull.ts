// `redspec spec pull --url redis://HOST:PORT [--sentinel redis://HOST:PORT] [--out spec] [--resp 2|3] [--facts-only]`:
// asks a running server (and a sentinel of the same build) with COMMAND DOCS / COMMAND INFO and
// writes the spec layout. The result is validated (with the overrides already in the output
// directory) before anything is written; on any fault every error is printed, nothing is written
// and the exit code is 1 (2 for a URL that is not one). Connection URLs are printed only without
// their user name and password.
import { parseRedisUrl } from '../../src/connection/index.js';
import { ConnectionError, RedisError } from '../../src/errors.js';
import { CliError, usageError } from '../cli-error.js';
import { commandFacts } from '../facts-only.js';
import { loadedSpecFromFiles, loadMergedSources, loadOverrides } from '../load.js';
import { Progress } from '../progress.js';
import { normalisePull, PullShapeError, type PulledSpec, type PullReplies } from '../pull.js';
import { readReplies } from '../pull-session.js';
import type { SpecFile } from '../spec-types.js';
import { formatErrors, validateSpec } from '../validate.js';
import { writeSpec } from '../write-spec.js';

export interface PullOptions {
  url: string;
  sentinel?: string;
  protocol: 2 | 3;
}

export interface PullRunOptions extends PullOptions {
  out: string;
  factsOnly: boolean;
  progress?: Progress;
}

/** The URL as it may be shown: no user name, no password. */
export function redactUrl(text: string): string {
  try {
    const url = new URL(text);
    url.username = '';
    url.password = '';
    return url.href;
  } catch {
    return '(not a URL)';
  }
}

/** The first error code (ECONNREFUSED, ENOTFOUND, ...) among an error's causes. */
function causeCode(error: unknown): string | undefined {
  for (let e = error; e instanceof Error; e = e.cause) {
    if ('code' in e && typeof e.code === 'string') return e.code;
    if (e instanceof AggregateError) return e.errors.map(causeCode).find((c) => c !== undefined);
  }
  return undefined;
}

/** Reads one server; what goes wrong on the way becomes one line naming the (redacted) URL. */
async function readFrom(url: string, protocol: 2 | 3): Promise<PullReplies> {
  try {
    return await readReplies(url, protocol);
  } catch (err) {
    const where = redactUrl(url);
    if (err instanceof ConnectionError) {
      const code = causeCode(err);
      throw new CliError(`cannot connect to ${where}: ${code ?? err.message}`, 1);
    }
    if (err instanceof RedisError) throw new CliError(`${where}: ${err.message}`, 1);
    throw err;
  }
}

/** Reads the server (and sentinel) and normalises what they say; no disk access. */
export async function pullSpec(options: PullOptions, progress: Progress = Progress.off): Promise<PulledSpec> {
  const server = await readFrom(options.url, options.protocol);
  progress.step(`read COMMAND DOCS and COMMAND INFO from ${redactUrl(options.url)}`);
  let sentinel: PullReplies | undefined;
  if (options.sentinel !== undefined) {
    sentinel = await readFrom(options.sentinel, options.protocol);
    progress.step(`read COMMAND DOCS and COMMAND INFO from the sentinel ${redactUrl(options.sentinel)}`);
  }
  try {
    const pulled = normalisePull(server, sentinel);
    const { commands, subcommands } = pulled.source.counts;
    progress.step(
      `normalised ${commands} commands and ${subcommands} subcommands of ${pulled.source.server} ${pulled.source.version}`,
    );
    return pulled;
  } catch (err) {
    if (err instanceof PullShapeError) throw new CliError(err.message, 1);
    throw err;
  }
}

export function specFiles(pulled: PulledSpec): SpecFile[] {
  return pulled.commands.map((c) => ({ [c.key]: c.command }));
}

/** Stops on a URL the connection layer cannot parse before anything connects (a usage error). */
function checkUrl(flag: string, url: string | undefined): void {
  if (url === undefined) return;
  try {
    parseRedisUrl(url);
  } catch (err) {
    // parseRedisUrl's messages never repeat the URL, so no password is printed.
    if (err instanceof TypeError) throw usageError(`${flag}: ${err.message}`);
    throw err;
  }
}

export async function run(options: PullRunOptions): Promise<number> {
  checkUrl('--url', options.url);
  checkUrl('--sentinel', options.sentinel);
  const progress = options.progress ?? Progress.off;
  const pulled = await pullSpec(options, progress);
  // --facts-only: a server whose licence is not the repository's contributes facts, no prose.
  const files = specFiles(pulled).map((file) =>
    options.factsOnly ? Object.fromEntries(Object.entries(file).map(([k, c]) => [k, commandFacts(c)])) : file,
  );
  const { out } = options;
  const { overrides, problems } = await loadOverrides(out);
  const loaded = loadedSpecFromFiles(out, files, pulled.source, overrides, problems);
  const also = await loadMergedSources(out);
  if (also !== undefined) loaded.also = also;
  const errors = validateSpec(loaded);
  if (errors.length > 0) {
    process.stderr.write(
      `${formatErrors(errors)}\nredspec: invalid spec: ${errors.length} error(s); nothing written\n`,
    );
    return 1;
  }
  progress.step(`validated ${files.length} files`);
  await writeSpec(out, files, pulled.source);
  progress.step(`wrote ${files.length} files to ${out}/`);
  const { commands, subcommands, withReplySchema } = pulled.source.counts;
  process.stdout.write(
    `${out}: pulled ${commands} commands and ${subcommands} subcommands (${withReplySchema} with reply_schema) from ${pulled.source.from}\n`,
  );
  return 0;
}
