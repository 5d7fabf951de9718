// Reading the replies of COMMAND DOCS / COMMAND INFO as decoded RESP values, protocol-neutral: a
// RESP3 map and a RESP2 flat key/value array read the same, a RESP3 set is an array, a RESP2
// boolean is the integer 0/1. Every accessor names the path of what it read, so a reply of an
// unexpected shape fails with PullShapeError pointing at it instead of producing a wrong spec.
import type { RespValue } from '../src/resp/types.js';

/** A reply did not have the shape COMMAND DOCS / COMMAND INFO are documented to have. */
export class PullShapeError extends Error {
  override name = 'PullShapeError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(`${path}: ${message}`);
  }
}

function describe(value: RespValue): string {
  if (value === null) return 'null';
  if (value instanceof Map) return 'a map';
  if (Array.isArray(value)) return 'an array';
  if (Buffer.isBuffer(value)) return 'a buffer';
  if (value instanceof Error) return `an error reply (${value.message})`;
  return `a ${typeof value}`;
}

export function isMapLike(value: RespValue): boolean {
  return value instanceof Map || (Array.isArray(value) && value.length % 2 === 0);
}

/** Map (RESP3) or flat [k1, v1, k2, v2, ...] array (RESP2) → ordered entries with string keys. */
export function entries(value: RespValue, path: string): [string, RespValue][] {
  const out: [string, RespValue][] = [];
  if (value instanceof Map) {
    for (const [k, v] of value) out.push([text(k, `${path} (key)`), v]);
    return out;
  }
  if (Array.isArray(value)) {
    if (value.length % 2 !== 0) throw new PullShapeError(path, 'expected a map, got an odd-length array');
    for (let i = 0; i < value.length; i += 2) {
      out.push([text(value[i] as RespValue, `${path}/${i}`), value[i + 1] as RespValue]);
    }
    return out;
  }
  throw new PullShapeError(path, `expected a map, got ${describe(value)}`);
}

export function list(value: RespValue, path: string): RespValue[] {
  if (Array.isArray(value)) return value;
  throw new PullShapeError(path, `expected an array, got ${describe(value)}`);
}

export function text(value: RespValue, path: string): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  throw new PullShapeError(path, `expected a string, got ${describe(value)}`);
}

export function integer(value: RespValue, path: string): number {
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  throw new PullShapeError(path, `expected an integer, got ${describe(value)}`);
}

export function texts(value: RespValue, path: string): string[] {
  return list(value, path).map((v, i) => text(v, `${path}/${i}`));
}
