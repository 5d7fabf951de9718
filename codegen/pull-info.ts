// COMMAND INFO, read for spec:pull: per command (and subcommand) its arity, flags, ACL categories,
// tips and key specs, in the upstream spelling. Key-spec searches change shape from the reply's
// `{type, spec}` to the file's `{"<type>": {...}}`, and `keystep` becomes `step`; first/last/step
// key positions are dropped because key specs supersede them.
import type { RespValue } from '../src/resp/types.js';
import type { BeginSearch, FindKeys, KeySpec } from './spec-types.js';
import { entries, integer, list, PullShapeError, text, texts } from './pull-resp.js';

/** The upstream spelling of a server's lowercase flag/category/tip: `@sortedset` → `SORTEDSET`. */
export function upstreamName(word: string): string {
  return word.replace(/^@/, '').toUpperCase();
}

export interface InfoEntry {
  arity: number;
  flags: string[];
  acl: string[];
  tips: string[];
  keySpecs: KeySpec[];
}

/** COMMAND INFO → map from lowercase full name ("client|kill") to its entry, subcommands included. */
export function readInfo(reply: RespValue, into: Map<string, InfoEntry>, path: string): void {
  list(reply, path).forEach((raw, i) => {
    if (raw === null) return; // COMMAND INFO <unknown-name> answers nil; never in a full listing
    const p = `${path}/${i}`;
    const row = list(raw, p);
    const name = text(row[0] ?? null, `${p}/0`).toLowerCase();
    const at = (n: number): RespValue => row[n] ?? [];
    into.set(name, {
      arity: integer(row[1] ?? null, `${p}/1 (${name} arity)`),
      flags: texts(at(2), `${p}/2`).map(upstreamName),
      // [3..5] are first key, last key, step: derived from key specs, not part of the format.
      acl: texts(at(6), `${p}/6`).map(upstreamName),
      tips: texts(at(7), `${p}/7`).map(upstreamName),
      keySpecs: list(at(8), `${p}/8`).map((ks, k) => keySpec(ks, `${p}/8/${k} (${name})`)),
    });
    readInfo(at(9), into, `${p}/9`);
  });
}

function keySpec(raw: RespValue, path: string): KeySpec {
  let notes: string | undefined;
  let flags: string[] = [];
  let begin: BeginSearch | undefined;
  let find: FindKeys | undefined;
  for (const [field, v] of entries(raw, path)) {
    const p = `${path}/${field}`;
    if (field === 'notes') notes = text(v, p);
    else if (field === 'flags') flags = texts(v, p).map(upstreamName);
    else if (field === 'begin_search') begin = beginSearch(v, p);
    else if (field === 'find_keys') find = findKeys(v, p);
    else throw new PullShapeError(p, 'unknown key spec field');
  }
  if (!begin) throw new PullShapeError(path, 'key spec without begin_search');
  if (!find) throw new PullShapeError(path, 'key spec without find_keys');
  return { ...(notes !== undefined ? { notes } : {}), flags, begin_search: begin, find_keys: find };
}

/** `{type, spec}` → [type, spec fields by name]. */
function typed(raw: RespValue, path: string): [string, Map<string, RespValue>] {
  let type: string | undefined;
  const spec = new Map<string, RespValue>();
  for (const [field, v] of entries(raw, path)) {
    if (field === 'type') type = text(v, `${path}/type`);
    else if (field === 'spec') for (const [k, x] of entries(v, `${path}/spec`)) spec.set(k, x);
    else throw new PullShapeError(`${path}/${field}`, 'unknown field');
  }
  if (type === undefined) throw new PullShapeError(path, 'no type');
  return [type, spec];
}

function specInt(spec: Map<string, RespValue>, field: string, path: string): number {
  const v = spec.get(field);
  if (v === undefined) throw new PullShapeError(`${path}/spec`, `no ${field}`);
  return integer(v, `${path}/spec/${field}`);
}

function beginSearch(raw: RespValue, path: string): BeginSearch {
  const [type, spec] = typed(raw, path);
  if (type === 'index') return { index: { pos: specInt(spec, 'index', path) } };
  if (type === 'keyword') {
    const keyword = spec.get('keyword');
    if (keyword === undefined) throw new PullShapeError(`${path}/spec`, 'no keyword');
    return {
      keyword: {
        keyword: text(keyword, `${path}/spec/keyword`),
        startfrom: specInt(spec, 'startfrom', path),
      },
    };
  }
  if (type === 'unknown') return { unknown: null };
  throw new PullShapeError(`${path}/type`, `unknown begin_search type ${JSON.stringify(type)}`);
}

function findKeys(raw: RespValue, path: string): FindKeys {
  const [type, spec] = typed(raw, path);
  if (type === 'range') {
    return {
      range: {
        lastkey: specInt(spec, 'lastkey', path),
        step: specInt(spec, 'keystep', path),
        limit: specInt(spec, 'limit', path),
      },
    };
  }
  if (type === 'keynum') {
    return {
      keynum: {
        keynumidx: specInt(spec, 'keynumidx', path),
        firstkey: specInt(spec, 'firstkey', path),
        step: specInt(spec, 'keystep', path),
      },
    };
  }
  if (type === 'unknown') return { unknown: null };
  throw new PullShapeError(`${path}/type`, `unknown find_keys type ${JSON.stringify(type)}`);
}
