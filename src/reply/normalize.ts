// Normalises a decoded reply to the one JS shape its command's reply_schema describes, whichever
// protocol carried it: RESP2 flat [k, v, ...] arrays and RESP3 maps both become plain objects,
// RESP2 double strings become numbers, 0/1 become booleans, flat score lists become tuples.
// Objects built here only get own data properties, so `__proto__` keys from a server are inert.
import type { ReplyShape } from '../../generated/executor.js';
import { ReplyError } from '../errors.js';
import { setOwn } from '../resp/decoder.js';
import type { RespValue } from '../resp/types.js';

export type Normalized = unknown;

function keyString(key: RespValue): string {
  if (typeof key === 'string') return key;
  if (Buffer.isBuffer(key)) return key.toString('utf8');
  return String(key);
}

/** RESP2 double replies are bulk strings: "1.5", "inf", "-inf", "nan". */
export function parseDouble(value: string | Buffer): number {
  const text = typeof value === 'string' ? value : value.toString('latin1');
  switch (text.toLowerCase()) {
    case 'inf':
    case '+inf':
    case 'infinity':
    case '+infinity':
      return Infinity;
    case '-inf':
    case '-infinity':
      return -Infinity;
    case 'nan':
      return NaN;
    default:
      return Number(text);
  }
}

/** Visits the [key, value] pairs of a RESP3 map, a RESP2 flat array, or a RESP2 array of pairs. */
function forEachPair(value: RespValue, visit: (key: RespValue, item: RespValue) => void): boolean {
  if (value instanceof Map) {
    for (const [k, v] of value) visit(k, v);
    return true;
  }
  if (!Array.isArray(value)) return false;
  if (value.length > 0 && Array.isArray(value[0])) {
    for (const pair of value) {
      if (!Array.isArray(pair) || pair.length !== 2) return false;
      visit(pair[0] as RespValue, pair[1] as RespValue);
    }
    return true;
  }
  for (let i = 0; i + 1 < value.length; i += 2) visit(value[i] as RespValue, value[i + 1] as RespValue);
  return true;
}

/** Shapes normalizeReply returns every value of unchanged: their values need no visit. */
export function isIdentity(shape: ReplyShape | undefined): boolean {
  return shape === undefined || shape.kind === 'any' || shape.kind === 'string' || shape.kind === 'null';
}

/**
 * Whether the decoder may build this shape's reply as a plain object itself (RespDecoder#next's
 * asObject): an object of string values and no named properties (HGETALL, CONFIG GET), whose
 * normalised form is exactly the decoder's object. Saves building a Map (RESP3) or an array (RESP2)
 * of 2n elements only to copy it into the object.
 */
export function decodesAsObject(shape: ReplyShape): boolean {
  return shape.kind === 'object' && shape.properties === undefined && shape.values?.kind === 'string';
}

function normalizeObject(value: RespValue, shape: Extract<ReplyShape, { kind: 'object' }>): Normalized {
  const out: Record<string, unknown> = {};
  const { properties, values } = shape;
  const put = (k: RespValue, v: RespValue) => {
    const key = keyString(k);
    // Own properties only: a field named like an Object.prototype member is no shape.
    const itemShape = properties !== undefined && Object.hasOwn(properties, key) ? properties[key] : values;
    setOwn(out, key, isIdentity(itemShape) ? v : normalizeReply(v, itemShape as ReplyShape));
  };
  // The common replies (HGETALL, CONFIG GET) in plain loops: a RESP3 map, or a RESP2 flat array.
  if (value instanceof Map) {
    for (const [k, v] of value) put(k, v);
    return out;
  }
  if (Array.isArray(value) && (value.length === 0 || !Array.isArray(value[0]))) {
    for (let i = 0; i + 1 < value.length; i += 2) put(value[i] as RespValue, value[i + 1] as RespValue);
    return out;
  }
  // Anything else that is no array (a plain object the decoder built already) is returned as is.
  return forEachPair(value, put) ? out : value;
}

function normalizeMap(value: RespValue, shape: Extract<ReplyShape, { kind: 'map' }>): Normalized {
  const out = new Map<unknown, unknown>();
  const ok = forEachPair(value, (k, v) =>
    out.set(normalizeReply(k, shape.keys), normalizeReply(v, shape.values)),
  );
  return ok ? out : value;
}

function normalizeArray(value: RespValue, items: ReplyShape): Normalized {
  if (value instanceof Map) return normalizeArray([...value].flat() as RespValue[], items);
  if (!Array.isArray(value)) return value;
  // RESP2 sends a list of tuples flat ([m1, s1, m2, s2]); RESP3 nests them ([[m1, s1], ...]).
  // Only fixed-width tuples can be chunked: one with `rest` has no width to cut at.
  if (
    items.kind === 'tuple' &&
    items.rest === undefined &&
    value.length > 0 &&
    !Array.isArray(value[0]) &&
    items.items.length > 1
  ) {
    const width = items.items.length;
    const out: Normalized[] = [];
    for (let i = 0; i + width <= value.length; i += width) {
      out.push(normalizeReply(value.slice(i, i + width), items));
    }
    return out;
  }
  // The decoder's array is this reply's own: with nothing to change in it, it is the result.
  if (isIdentity(items)) return value;
  const out = new Array<Normalized>(value.length);
  for (let i = 0; i < value.length; i++) out[i] = normalizeReply(value[i] as RespValue, items);
  return out;
}

function matches(value: RespValue, shape: ReplyShape): boolean {
  switch (shape.kind) {
    case 'any':
      return true;
    case 'null':
      return value === null;
    case 'string':
      return typeof value === 'string' || Buffer.isBuffer(value);
    case 'integer':
      return typeof value === 'number' || typeof value === 'bigint';
    case 'double':
      return typeof value === 'number' || typeof value === 'string' || Buffer.isBuffer(value);
    case 'boolean':
      return typeof value === 'boolean' || value === 0 || value === 1;
    case 'array':
    case 'tuple':
      return Array.isArray(value);
    case 'object':
    case 'map':
      return value instanceof Map || Array.isArray(value);
    case 'oneOf':
      return shape.options.some((option) => matches(value, option));
  }
}

/** Normalises `value` to `shape`. Values that do not fit the shape are returned as decoded. */
export function normalizeReply(value: RespValue, shape: ReplyShape): Normalized {
  if (value === null || value instanceof ReplyError) return value;
  switch (shape.kind) {
    case 'any':
    case 'string':
    case 'null':
      return value;
    case 'integer':
      return typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;
    case 'double':
      return typeof value === 'string' || Buffer.isBuffer(value) ? parseDouble(value) : value;
    case 'boolean':
      return value === 1 ? true : value === 0 ? false : value;
    case 'array':
      return normalizeArray(value, shape.items);
    case 'tuple': {
      if (!Array.isArray(value)) return value;
      const out = new Array<Normalized>(value.length);
      for (let i = 0; i < value.length; i++) {
        const itemShape = shape.items[i] ?? shape.rest;
        out[i] = itemShape ? normalizeReply(value[i] as RespValue, itemShape) : value[i];
      }
      return out;
    }
    case 'object':
      return normalizeObject(value, shape);
    case 'map':
      return normalizeMap(value, shape);
    case 'oneOf': {
      // Prefer an exact kind match (a RESP3 map for an object, an array for an array) over the
      // looser RESP2 reading of the same value.
      const exact = shape.options.find((o) =>
        value instanceof Map
          ? o.kind === 'object' || o.kind === 'map'
          : o.kind !== 'object' && matches(value, o),
      );
      const chosen = exact ?? shape.options.find((o) => matches(value, o));
      return chosen ? normalizeReply(value, chosen) : value;
    }
  }
}
