// Command-table entries: the runtime facts of each command (arity, flags, ACL categories, tips,
// key specs, blocking timeout) as CommandInfo literal text. Flag tests are case-insensitive because
// the spec spells flags in upper case (source files) or lower case (some pulls).
import { propertyKey, quote } from '../naming.js';
import type { KeySpec, Override, SpecCommand } from '../spec-types.js';
import type { TableEntry } from './types.js';

function list(values: readonly string[] | undefined): string {
  return `[${(values ?? []).map(quote).join(', ')}]`;
}

function keySpec(spec: KeySpec): string {
  const b = spec.begin_search;
  const begin =
    'index' in b
      ? `{ type: 'index', pos: ${b.index.pos} }`
      : 'keyword' in b
        ? `{ type: 'keyword', keyword: ${quote(b.keyword.keyword)}, startfrom: ${b.keyword.startfrom} }`
        : `{ type: 'unknown' }`;
  const f = spec.find_keys;
  const find =
    'range' in f
      ? `{ type: 'range', lastkey: ${f.range.lastkey}, step: ${f.range.step}, limit: ${f.range.limit} }`
      : 'keynum' in f
        ? `{ type: 'keynum', keynumidx: ${f.keynum.keynumidx}, firstkey: ${f.keynum.firstkey}, step: ${f.keynum.step} }`
        : `{ type: 'unknown' }`;
  return `{ flags: ${list(spec.flags)}, beginSearch: ${begin}, findKeys: ${find} }`;
}

/** `CLIENT KILL` → `CLIENT_KILL`; spec names may hold `-` and `.` too. */
export function constName(fullName: string): string {
  return fullName.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

export function tableEntry(
  fullName: string,
  command: SpecCommand,
  override: Override | undefined,
): TableEntry {
  const flags = command.command_flags ?? [];
  const has = (flag: string): boolean => flags.some((f) => f.toUpperCase() === flag);
  const parts = [
    `name: ${quote(fullName)}`,
    `arity: ${command.arity}`,
    `flags: ${list(flags)}`,
    `aclCategories: ${list(command.acl_categories)}`,
    `tips: ${list(command.command_tips)}`,
    `readonly: ${has('READONLY')}`,
    `write: ${has('WRITE')}`,
    `blocking: ${has('BLOCKING')}`,
    `noMulti: ${has('NO_MULTI')}`,
    `pubsub: ${has('PUBSUB')}`,
    `keySpecs: [${(command.key_specs ?? []).map(keySpec).join(', ')}]`,
  ];
  const timeout = override?.blockingTimeout;
  if (timeout !== undefined) {
    parts.push(`blockingTimeout: { argument: ${quote(timeout.argument)}, unit: ${quote(timeout.unit)} }`);
  }
  return {
    name: fullName,
    constName: constName(fullName),
    key: propertyKey(fullName),
    info: `{ ${parts.join(', ')} }`,
  };
}
