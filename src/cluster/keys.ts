// Which wire arguments of a command are keys, computed from the command's key specs exactly as the
// server does it (getKeysUsingKeySpecs in db.c): positions index the full wire array (0 is the
// command name, 1 the subcommand of a container), keys come in key-spec order, duplicates kept.
// A spec the spec format cannot describe (unknown begin/find, INCOMPLETE flag) marks the result
// incomplete instead of guessing; arguments that contradict a spec throw a TypeError.
import type { KeySpecInfo, RedisArgument } from '../../generated/executor.js';

// Re-exported so callers of key extraction need not know where the command table's types live.
export type { KeySpecInfo, RedisArgument };

/** The part of a command-table entry (`CommandInfo`) that key extraction reads. */
export interface KeyedCommand {
  readonly name: string;
  /** The server's arity (negative: at least that many); checked when given, as the server does first. */
  readonly arity?: number;
  readonly keySpecs: readonly KeySpecInfo[];
}

export interface KeyExtraction {
  /** Indexes into the wire arguments, in key-spec order (a key named twice appears twice). */
  readonly positions: number[];
  /**
   * True when a key spec could not be followed (unknown begin_search/find_keys) or is flagged
   * INCOMPLETE: the command may touch keys that are not in `positions` (or, like MIGRATE's empty
   * key in KEYS mode, positions may hold an argument the server does not treat as a key).
   */
  readonly incomplete: boolean;
}

/** ASCII-only case folding, like strcasecmp: Unicode folding would match e.g. 'ſTREAMS' to STREAMS. */
function equalsKeyword(arg: RedisArgument, keyword: string): boolean {
  const text = typeof arg === 'string' ? arg : Buffer.isBuffer(arg) ? arg.toString('latin1') : String(arg);
  if (text.length !== keyword.length) return false;
  for (let i = 0; i < text.length; i++) {
    let a = text.charCodeAt(i);
    let b = keyword.charCodeAt(i);
    if (a >= 0x61 && a <= 0x7a) a -= 0x20;
    if (b >= 0x61 && b <= 0x7a) b -= 0x20;
    if (a !== b) return false;
  }
  return true;
}

/** string2ll: an optional '-', no '+', no spaces, no leading zeros; undefined when not an integer. */
function parseCount(arg: RedisArgument): number | undefined {
  if (typeof arg === 'number') return Number.isSafeInteger(arg) ? arg : undefined;
  if (typeof arg === 'bigint')
    return arg >= BigInt(Number.MIN_SAFE_INTEGER) && arg <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(arg)
      : undefined;
  const text = typeof arg === 'string' ? arg : arg.toString('latin1');
  if (!/^(?:0|-?[1-9][0-9]*)$/.test(text)) return undefined;
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : undefined;
}

function invalid(command: string, why: string): TypeError {
  return new TypeError(`${command}: ${why}`);
}

/** Where the keys of one spec start: undefined when its keyword is absent (the spec yields nothing). */
function beginOf(spec: KeySpecInfo, args: readonly RedisArgument[]): number | undefined {
  const begin = spec.beginSearch;
  if (begin.type === 'index') return begin.pos;
  if (begin.type !== 'keyword') return undefined;
  const argc = args.length;
  // The server's loop, kept literally: a positive startfrom scans forward up to argc-2 (a keyword
  // in the last argument has no key after it), a negative one scans backwards down to index 2.
  const start = begin.startfrom > 0 ? begin.startfrom : argc + begin.startfrom;
  const end = begin.startfrom > 0 ? argc - 1 : 1;
  const forward = start <= end;
  for (let i = start; i !== end; i = forward ? i + 1 : i - 1) {
    if (i >= argc || i < 1) break;
    if (equalsKeyword(args[i] as RedisArgument, begin.keyword)) return i + 1;
  }
  return undefined;
}

export interface KeySearchOptions {
  /**
   * Also return arguments of NOT_KEY specs (the server's GET_KEYSPEC_INCLUDE_NOT_KEYS): the shard
   * channels of SPUBLISH/SSUBSCRIBE are not keys but are routed by their slot all the same.
   */
  readonly includeNotKeys?: boolean;
}

/** Key positions and whether they are complete; throws TypeError when the arguments contradict a spec. */
export function findKeyPositions(
  info: KeyedCommand,
  args: readonly RedisArgument[],
  options?: KeySearchOptions,
): KeyExtraction {
  const positions: number[] = [];
  let incomplete = false;
  const argc = args.length;
  const arity = info.arity;
  if (arity !== undefined && (arity >= 0 ? argc !== arity : argc < -arity)) {
    throw invalid(info.name, 'wrong number of arguments');
  }
  for (const [index, spec] of info.keySpecs.entries()) {
    // NOT_KEY specs describe arguments that look like keys but are not (the server skips them too).
    if (!options?.includeNotKeys && spec.flags.includes('NOT_KEY')) continue;
    if (spec.beginSearch.type === 'unknown' || spec.findKeys.type === 'unknown') {
      incomplete = true;
      continue;
    }
    let first = beginOf(spec, args);
    if (first === undefined) continue;
    const find = spec.findKeys;
    let last: number;
    if (find.type === 'range') {
      if (find.lastkey >= 0) last = first + find.lastkey;
      else if (find.limit === 0) last = argc + find.lastkey;
      // The limit rule (XREAD STREAMS k1 k2 id1 id2): keys are 1/limit of what follows the begin.
      else last = first + (Math.trunc((argc - first) / find.limit) + find.lastkey);
    } else {
      const at = first + find.keynumidx;
      if (at >= argc) throw invalid(info.name, `missing the number of keys (key spec ${index})`);
      const count = parseCount(args[at] as RedisArgument);
      if (count === undefined || count < 0) {
        throw invalid(info.name, `the number of keys (argument ${at}) is not a non-negative integer`);
      }
      first += find.firstkey;
      // No keys is legal for some commands (EVAL script 0): the spec simply yields nothing.
      if (count === 0) continue;
      last = first + count - 1;
    }
    if (first >= argc || last >= argc || last < first) {
      throw invalid(info.name, `wrong number of arguments for its key spec ${index}`);
    }
    for (let i = first; i <= last; i += find.step) positions.push(i);
    if (spec.flags.includes('INCOMPLETE')) incomplete = true;
  }
  return { positions, incomplete };
}

/** The wire indexes of the key arguments (see findKeyPositions for completeness). */
export function extractKeyPositions(
  info: KeyedCommand,
  args: readonly RedisArgument[],
  options?: KeySearchOptions,
): number[] {
  return findKeyPositions(info, args, options).positions;
}

/** The key arguments themselves; numbers are rendered the way the encoder sends them. */
export function extractKeys(
  info: KeyedCommand,
  args: readonly RedisArgument[],
  options?: KeySearchOptions,
): (string | Buffer)[] {
  return extractKeyPositions(info, args, options).map((i) => {
    const arg = args[i] as RedisArgument;
    return typeof arg === 'string' || Buffer.isBuffer(arg) ? arg : String(arg);
  });
}
