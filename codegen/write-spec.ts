// Writes the spec layout: spec/commands/<name>.json (named as upstream names them) and
// spec/SOURCE.json. Output is deterministic: keys in one canonical order, 4-space indent like the
// upstream files, LF and a trailing newline; command files no longer produced are removed, so the
// directory always equals the input. The serialisers are pure and exported for tests and diffs.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { SpecCommand, SpecFile, SpecSource } from './spec-types.js';

/** Upstream's file name for a command: `get.json`, `client-kill.json`, `ft-search.json`. */
export function specFileName(name: string, container?: string): string {
  const base = container === undefined ? name : `${container} ${name}`;
  return `${base.toLowerCase().replace(/[ .|]/g, '-')}.json`;
}

const COMMAND_KEYS = [
  'summary',
  'complexity',
  'group',
  'since',
  'arity',
  'container',
  'function',
  'get_keys_function',
  'history',
  'deprecated_since',
  'replaced_by',
  'doc_flags',
  'command_flags',
  'acl_categories',
  'command_tips',
  'key_specs',
  'arguments',
  'reply_schema',
];
const ARGUMENT_KEYS = [
  'name',
  'type',
  'display',
  'key_spec_index',
  'token',
  'summary',
  'since',
  'deprecated_since',
  'optional',
  'multiple',
  'multiple_token',
  'arguments',
];
const KEY_SPEC_KEYS = ['notes', 'flags', 'begin_search', 'find_keys'];
const SEARCH_KEYS = [
  'index',
  'keyword',
  'range',
  'keynum',
  'unknown',
  'pos',
  'startfrom',
  'lastkey',
  'keynumidx',
  'firstkey',
  'step',
  'limit',
];
const SOURCE_KEYS = ['server', 'version', 'obtained', 'from', 'date', 'counts', 'also'];
const COUNT_KEYS = ['commands', 'subcommands', 'withReplySchema', 'files'];

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Copies `obj` with the keys in `order` first, then the rest sorted by code unit. */
function ordered(
  obj: Record<string, unknown>,
  order: readonly string[],
  map?: (key: string, value: unknown) => unknown,
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const known = order.filter((k) => k in obj);
  const rest = Object.keys(obj)
    .filter((k) => !order.includes(k))
    .sort(byCode);
  for (const key of [...known, ...rest]) out[key] = map ? map(key, obj[key]) : obj[key];
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function orderArgument(arg: unknown): unknown {
  if (!isObject(arg)) return arg;
  return ordered(arg, ARGUMENT_KEYS, (key, value) =>
    key === 'arguments' && Array.isArray(value) ? value.map(orderArgument) : value,
  );
}

function orderSearch(value: unknown): unknown {
  if (!isObject(value)) return value;
  return ordered(value, SEARCH_KEYS, (_key, inner) => orderSearch(inner));
}

function orderKeySpec(spec: unknown): unknown {
  if (!isObject(spec)) return spec;
  return ordered(spec, KEY_SPEC_KEYS, (key, value) =>
    key === 'begin_search' || key === 'find_keys' ? orderSearch(value) : value,
  );
}

/** The command with its keys (and those of arguments and key specs) in canonical order. `reply_schema` is kept as given. */
export function canonicalCommand(command: SpecCommand): SpecCommand {
  return ordered(command as unknown as Record<string, unknown>, COMMAND_KEYS, (key, value) => {
    if (key === 'arguments' && Array.isArray(value)) return value.map(orderArgument);
    if (key === 'key_specs' && Array.isArray(value)) return value.map(orderKeySpec);
    return value;
  }) as unknown as SpecCommand;
}

/** A spec file's bytes: canonical key order, 4-space indent, trailing newline. */
export function serializeSpecFile(file: SpecFile): string {
  const out: SpecFile = {};
  for (const [name, command] of Object.entries(file)) out[name] = canonicalCommand(command);
  return `${JSON.stringify(out, null, 4)}\n`;
}

/** SOURCE.json's bytes. */
export function serializeSource(source: SpecSource): string {
  const out = ordered(source as unknown as Record<string, unknown>, SOURCE_KEYS, (key, value) =>
    key === 'counts' && isObject(value) ? ordered(value, COUNT_KEYS) : value,
  );
  return `${JSON.stringify(out, null, 4)}\n`;
}

/** The counts SOURCE.json records for a set of spec files. */
export function sourceCounts(files: readonly SpecFile[]): SpecSource['counts'] {
  let commands = 0;
  let subcommands = 0;
  let withReplySchema = 0;
  for (const file of files) {
    for (const command of Object.values(file)) {
      if (command.container === undefined) commands++;
      else subcommands++;
      if (command.reply_schema !== undefined) withReplySchema++;
    }
  }
  return { commands, subcommands, withReplySchema, files: files.length };
}

/** Maps each spec file to its file name; throws when two files would get the same name. */
export function specFileNames(files: readonly SpecFile[]): Map<string, SpecFile> {
  const byName = new Map<string, SpecFile>();
  for (const file of files) {
    const entries = Object.entries(file);
    const entry = entries[0];
    if (entries.length !== 1 || entry === undefined) {
      throw new Error(`a spec file must hold exactly one command, got ${entries.length}`);
    }
    const [name, command] = entry;
    const fileName = specFileName(name, command.container);
    if (byName.has(fileName)) throw new Error(`two commands map to the same spec file ${fileName}`);
    byName.set(fileName, file);
  }
  return byName;
}

/**
 * Writes `<outDir>/commands/*.json` and `<outDir>/SOURCE.json`, removing command files that are no
 * longer produced. Callers validate first (validateSpec on loadedSpecFromFiles): this only writes.
 * `<outDir>/overrides/` and the merged specs below it are never touched, and SOURCE.json keeps the
 * `also` list it had (a pull or import of one server must not drop the other from the surface).
 */
export async function writeSpec(
  outDir: string,
  files: readonly SpecFile[],
  source: SpecSource,
): Promise<void> {
  const byName = specFileNames(files);
  const commandsDir = path.join(outDir, 'commands');
  await mkdir(commandsDir, { recursive: true });
  const existing = await readdir(commandsDir, { withFileTypes: true });
  for (const entry of existing) {
    if (entry.isFile() && entry.name.endsWith('.json') && !byName.has(entry.name)) {
      await rm(path.join(commandsDir, entry.name));
    }
  }
  for (const [fileName, file] of [...byName].sort(([a], [b]) => byCode(a, b))) {
    await writeFile(path.join(commandsDir, fileName), serializeSpecFile(file));
  }
  const also = source.also ?? (await existingAlso(path.join(outDir, 'SOURCE.json')));
  await writeFile(
    path.join(outDir, 'SOURCE.json'),
    serializeSource(also === undefined ? source : { ...source, also }),
  );
}

async function existingAlso(file: string): Promise<SpecSource['also']> {
  try {
    const old = JSON.parse(await readFile(file, 'utf8')) as Partial<SpecSource>;
    return Array.isArray(old.also) ? old.also : undefined;
  } catch {
    return undefined;
  }
}
