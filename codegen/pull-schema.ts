// Turns the `reply_schema` of a COMMAND DOCS reply back into the JSON Schema it was sent from.
// Over RESP3 that is direct (objects are maps, booleans are booleans). Over RESP2 objects arrive as
// flat arrays and booleans as 0/1, so the reading is guided by JSON Schema itself: each keyword
// says whether its value is a schema, a list of schemas, a name→schema map, a boolean, a number
// or plain data. RESP2 and RESP3 pulls of the same server therefore give the same schema.
import type { RespValue } from '../src/resp/types.js';
import type { ReplySchema } from './spec-types.js';
import { entries, PullShapeError } from './pull-resp.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SCHEMA = new Set([
  'not',
  'if',
  'then',
  'else',
  'contains',
  'propertyNames',
  'additionalProperties',
  'additionalItems',
  'unevaluatedItems',
  'unevaluatedProperties',
]);
const SCHEMA_LIST = new Set(['oneOf', 'anyOf', 'allOf', 'prefixItems']);
const SCHEMA_MAP = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);
const BOOLEAN = new Set(['uniqueItems', 'deprecated', 'readOnly', 'writeOnly']);
const NUMBER = new Set([
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'multipleOf',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
  'minContains',
  'maxContains',
]);

/** Reads a reply_schema value (RESP2 or RESP3 decoding) as a JSON Schema. */
export function replySchema(value: RespValue, path: string): ReplySchema {
  const schema = readSchema(value, path);
  return schema as ReplySchema;
}

function readSchema(value: RespValue, path: string): Json {
  // A boolean schema: RESP3 #t/#f, RESP2 :1/:0.
  if (typeof value === 'boolean') return value;
  if (value === 0 || value === 1) return value === 1;
  const out: { [key: string]: Json } = {};
  for (const [keyword, v] of entries(value, path))
    out[keyword] = readKeyword(keyword, v, `${path}/${keyword}`);
  return out;
}

function readKeyword(keyword: string, value: RespValue, path: string): Json {
  if (SCHEMA.has(keyword)) return readSchema(value, path);
  if (SCHEMA_LIST.has(keyword)) return schemaList(value, path);
  if (SCHEMA_MAP.has(keyword)) {
    const out: { [key: string]: Json } = {};
    for (const [name, v] of entries(value, path)) out[name] = readSchema(v, `${path}/${name}`);
    return out;
  }
  if (keyword === 'items') {
    // draft 2019-09: a schema, or a list of schemas (tuple form). A RESP2 flat map starts with a
    // keyword string; a list of schemas starts with a schema (array, map or 0/1).
    const first = Array.isArray(value) ? value[0] : undefined;
    if (Array.isArray(value) && first !== undefined && typeof first !== 'string')
      return schemaList(value, path);
    return readSchema(value, path);
  }
  if (BOOLEAN.has(keyword)) {
    if (typeof value === 'boolean') return value;
    if (value === 0 || value === 1) return value === 1;
    throw new PullShapeError(path, 'expected a boolean');
  }
  if (NUMBER.has(keyword)) {
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint') return Number(value);
    // RESP2 sends doubles as bulk strings.
    if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
      return Number(value);
    throw new PullShapeError(path, 'expected a number');
  }
  return plain(value, path);
}

function schemaList(value: RespValue, path: string): Json[] {
  if (!Array.isArray(value)) throw new PullShapeError(path, 'expected a list of schemas');
  return value.map((v, i) => readSchema(v, `${path}/${i}`));
}

/** Data that is not itself a schema (const, enum, type, description, ...): taken as decoded. */
function plain(value: RespValue, path: string): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (Array.isArray(value)) return value.map((v, i) => plain(v, `${path}/${i}`));
  if (value instanceof Map) {
    const out: { [key: string]: Json } = {};
    for (const [k, v] of entries(value, path)) out[k] = plain(v, `${path}/${k}`);
    return out;
  }
  throw new PullShapeError(path, `unexpected ${value.message}`);
}
