// The pure half of `spec:pull`: turns the replies of COMMAND DOCS, COMMAND INFO and INFO server
// (of a server, and optionally of a sentinel of the same build) into spec files in the upstream
// per-command spelling. No I/O. Same replies in → same commands out, in name order, whether they
// were read over RESP2 or RESP3. A command of the sentinel that the server also has keeps the
// server's description; only commands the server lacks (the SENTINEL family) are taken from it.
import type { RespValue } from '../src/resp/types.js';
import type { SpecArgument, SpecCommand, SpecSource } from './spec-types.js';
import { readInfo, upstreamName, type InfoEntry } from './pull-info.js';
import { entries, integer, list, PullShapeError, text, texts } from './pull-resp.js';
import { replySchema } from './pull-schema.js';
import { distinctSiblingNames } from './sibling-names.js';
export { upstreamName } from './pull-info.js';
export { PullShapeError } from './pull-resp.js';

/** What was read from one server: the raw replies, decoded but otherwise untouched. */
export interface PullReplies {
  /** Reply of `COMMAND DOCS`. */
  docs: RespValue;
  /** Reply of `COMMAND INFO`. */
  info: RespValue;
  /** Text of `INFO server`. */
  serverInfo: string;
}

/** One spec file to write: `{ [key]: command }`, `name` the full name ("CLIENT KILL"). */
export interface PulledCommand {
  name: string;
  key: string;
  command: SpecCommand;
}

export interface PulledSpec {
  commands: PulledCommand[];
  source: SpecSource;
}

export interface ServerIdentity {
  /** "redis" or "valkey". */
  server: string;
  version: string;
  /** standalone, cluster or sentinel. */
  mode: string;
}

/** Reads server kind, version and mode from `INFO server` (Valkey names itself in server_name). */
export function serverIdentity(serverInfo: string): ServerIdentity {
  const fields = new Map<string, string>();
  for (const line of serverInfo.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1).trim());
  }
  const server = fields.get('server_name') ?? 'redis';
  const version = fields.get(`${server}_version`) ?? fields.get('redis_version');
  if (version === undefined) throw new PullShapeError('INFO server', `no ${server}_version field`);
  const mode = fields.get('server_mode') ?? fields.get('redis_mode') ?? 'standalone';
  return { server, version, mode };
}

const ARGUMENT_FLAGS = new Set(['optional', 'multiple', 'multiple_token']);

function argument(raw: RespValue, path: string): SpecArgument {
  const f = new Map(entries(raw, path));
  const get = (field: string): string | undefined => {
    const v = f.get(field);
    return v === undefined ? undefined : text(v, `${path}/${field}`);
  };
  for (const field of f.keys()) {
    if (!ARGUMENT_FIELDS.has(field)) throw new PullShapeError(`${path}/${field}`, 'unknown argument field');
  }
  const name = get('name');
  const type = get('type');
  if (name === undefined || type === undefined)
    throw new PullShapeError(path, 'argument without name or type');
  const arg: SpecArgument = { name, type: type as SpecArgument['type'] };
  const display = get('display_text');
  if (display !== undefined) arg.display = display;
  const ksi = f.get('key_spec_index');
  if (ksi !== undefined) arg.key_spec_index = integer(ksi, `${path}/key_spec_index`);
  for (const field of ['token', 'summary', 'since', 'deprecated_since'] as const) {
    const v = get(field);
    if (v !== undefined) arg[field] = v;
  }
  const flags = f.get('flags');
  if (flags !== undefined) {
    for (const flag of texts(flags, `${path}/flags`)) {
      if (!ARGUMENT_FLAGS.has(flag))
        throw new PullShapeError(`${path}/flags`, `unknown argument flag ${flag}`);
      arg[flag as 'optional' | 'multiple' | 'multiple_token'] = true;
    }
  }
  // A pure-token is sent as its token. The server matches such words case-insensitively, and a few
  // of its own docs leave `token` out (SENTINEL SIMULATE-FAILURE's modes): the word is then the name.
  if (arg.type === 'pure-token' && arg.token === undefined) arg.token = name.toUpperCase();
  const nested = f.get('arguments');
  if (nested !== undefined) {
    arg.arguments = argumentList(nested, `${path}/arguments`);
  }
  return arg;
}

/** Sibling arguments with distinct names (see sibling-names.ts). */
function argumentList(raw: RespValue, path: string): SpecArgument[] {
  return distinctSiblingNames(list(raw, path).map((a, i) => argument(a, `${path}/${i}`)));
}

const ARGUMENT_FIELDS = new Set([
  'name',
  'type',
  'display_text',
  'key_spec_index',
  'token',
  'summary',
  'since',
  'deprecated_since',
  'flags',
  'arguments',
]);

/** One COMMAND DOCS entry plus its COMMAND INFO entry → spec command(s), subcommands appended. */
function readCommand(
  fullName: string,
  raw: RespValue,
  info: Map<string, InfoEntry>,
  path: string,
  out: PulledCommand[],
): void {
  const bar = fullName.indexOf('|');
  const container = bar < 0 ? undefined : fullName.slice(0, bar).toUpperCase();
  const key = (bar < 0 ? fullName : fullName.slice(bar + 1)).toUpperCase();
  const meta = info.get(fullName.toLowerCase());
  if (!meta) throw new PullShapeError(path, `${fullName} is in COMMAND DOCS but not in COMMAND INFO`);

  const docs = new Map(entries(raw, path));
  const str = (field: string): string | undefined => {
    const v = docs.get(field);
    return v === undefined ? undefined : text(v, `${path}/${field}`);
  };
  const group = str('group');
  if (group === undefined) throw new PullShapeError(path, `${fullName} has no group`);
  const cmd: SpecCommand = { group, arity: meta.arity };
  const summary = str('summary');
  const complexity = str('complexity');
  const since = str('since');
  const module = str('module');
  if (summary !== undefined) cmd.summary = summary;
  if (complexity !== undefined) cmd.complexity = complexity;
  if (since !== undefined) cmd.since = since;
  if (container !== undefined) cmd.container = container;
  if (module !== undefined) cmd.module = module;
  const history = docs.get('history');
  if (history !== undefined) {
    cmd.history = list(history, `${path}/history`).map((pair, i) => {
      const [version, change] = texts(pair, `${path}/history/${i}`);
      if (version === undefined || change === undefined) {
        throw new PullShapeError(`${path}/history/${i}`, 'expected [version, change]');
      }
      return [version, change];
    });
  }
  const deprecatedSince = str('deprecated_since');
  const replacedBy = str('replaced_by');
  if (deprecatedSince !== undefined) cmd.deprecated_since = deprecatedSince;
  if (replacedBy !== undefined) cmd.replaced_by = replacedBy;
  const docFlags = docs.get('doc_flags');
  if (docFlags !== undefined) cmd.doc_flags = texts(docFlags, `${path}/doc_flags`).map(upstreamName);
  if (meta.flags.length > 0) cmd.command_flags = meta.flags;
  if (meta.acl.length > 0) cmd.acl_categories = meta.acl;
  if (meta.tips.length > 0) cmd.command_tips = meta.tips;
  if (meta.keySpecs.length > 0) cmd.key_specs = meta.keySpecs;
  const args = docs.get('arguments');
  if (args !== undefined) {
    cmd.arguments = argumentList(args, `${path}/arguments`);
  }
  const schema = docs.get('reply_schema');
  if (schema !== undefined) cmd.reply_schema = replySchema(schema, `${path}/reply_schema`);
  for (const field of docs.keys()) {
    if (!DOCS_FIELDS.has(field)) throw new PullShapeError(`${path}/${field}`, `unknown COMMAND DOCS field`);
  }
  out.push({ name: container ? `${container} ${key}` : key, key, command: cmd });

  const subs = docs.get('subcommands');
  if (subs !== undefined) {
    for (const [subName, subRaw] of entries(subs, `${path}/subcommands`)) {
      readCommand(subName, subRaw, info, `${path}/subcommands/${subName}`, out);
    }
  }
}

const DOCS_FIELDS = new Set([
  'summary',
  'since',
  'group',
  'complexity',
  'module',
  'doc_flags',
  'deprecated_since',
  'replaced_by',
  'history',
  'arguments',
  'subcommands',
  'reply_schema',
]);

/** All commands of one server, in COMMAND DOCS order. */
function readServer(replies: PullReplies, label: string): PulledCommand[] {
  const info = new Map<string, InfoEntry>();
  readInfo(replies.info, info, `${label} COMMAND INFO`);
  const out: PulledCommand[] = [];
  for (const [name, raw] of entries(replies.docs, `${label} COMMAND DOCS`)) {
    readCommand(name, raw, info, `${label} COMMAND DOCS/${name}`, out);
  }
  return out;
}

function byName(a: PulledCommand, b: PulledCommand): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

/**
 * Normalises a pull. `sentinel`, when given, must be a sentinel of the same server and version;
 * its commands the server does not have are added (with their subcommands).
 */
export function normalisePull(server: PullReplies, sentinel?: PullReplies): PulledSpec {
  const id = serverIdentity(server.serverInfo);
  if (id.mode === 'sentinel')
    throw new PullShapeError('--url', 'the server is a sentinel; pass it as --sentinel');
  const commands = readServer(server, 'server');
  let from = `${id.server} ${id.version} (COMMAND DOCS, COMMAND INFO)`;
  if (sentinel) {
    const sid = serverIdentity(sentinel.serverInfo);
    if (sid.mode !== 'sentinel')
      throw new PullShapeError('--sentinel', `the server is not a sentinel (${sid.mode})`);
    if (sid.server !== id.server || sid.version !== id.version) {
      throw new PullShapeError(
        '--sentinel',
        `sentinel is ${sid.server} ${sid.version} but the server is ${id.server} ${id.version}; use the same build`,
      );
    }
    const have = new Set(commands.filter((c) => c.command.container === undefined).map((c) => c.key));
    const extra = readServer(sentinel, 'sentinel');
    const tops = new Set(
      extra.filter((c) => c.command.container === undefined && !have.has(c.key)).map((c) => c.key),
    );
    commands.push(...extra.filter((c) => tops.has(c.command.container ?? c.key)));
    from += `; sentinel ${sid.server} ${sid.version} (COMMAND DOCS, COMMAND INFO)`;
  }
  commands.sort(byName);
  const subcommands = commands.filter((c) => c.command.container !== undefined).length;
  return {
    commands,
    source: {
      server: id.server,
      version: id.version,
      obtained: 'pull',
      from,
      counts: {
        commands: commands.length - subcommands,
        subcommands,
        withReplySchema: commands.filter((c) => c.command.reply_schema !== undefined).length,
        files: commands.length,
      },
    },
  };
}
