// reply_schema (JSON Schema of the RESP3 reply) → TypeScript type text and the runtime ReplyShape
// literal the host normalises RESP2/RESP3 replies with. Objects become plain object types (JSON
// object keys are strings, so never Map); properties are optional because the upstream schemas never
// say `required`; `true`/absent schemas are `unknown`; `$ref: "#"` refers to the reply type itself.
import { propertyKey, quote } from '../naming.js';
import type { ReplySchema } from '../spec-types.js';
import { arrayOf, union } from './type-text.js';

type Schema = { [keyword: string]: unknown };

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asSchemaList(value: unknown): ReplySchema[] {
  return Array.isArray(value) ? (value as ReplySchema[]) : [];
}

function escapeDoc(text: string): string {
  return text.replace(/\*\//g, '*\\/');
}

function literal(value: unknown): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null) return 'null';
  return 'unknown';
}

/** TypeScript type of a reply schema; `self` is the name `$ref: "#"` resolves to. */
export function replyType(schema: ReplySchema | undefined, self: string): string {
  if (schema === undefined || schema === true) return 'unknown';
  if (schema === false) return 'never';
  if ('$ref' in schema) return schema.$ref === '#' ? self : 'unknown';
  if ('const' in schema) return literal(schema.const);
  if (Array.isArray(schema.enum)) return union(schema.enum.map(literal));
  const alternatives = asSchemaList(schema.oneOf ?? schema.anyOf);
  if (alternatives.length > 0) return union(alternatives.map((s) => replyType(s, self)));
  const type = schema.type;
  if (Array.isArray(type)) return union(type.map((t) => typeKeyword(String(t), schema, self)));
  if (typeof type === 'string') return typeKeyword(type, schema, self);
  return 'unknown';
}

function typeKeyword(type: string, schema: Schema, self: string): string {
  switch (type) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return arrayType(schema, self);
    case 'object':
      return objectType(schema, self);
    default:
      return 'unknown';
  }
}

function tupleItems(schema: Schema): ReplySchema[] | undefined {
  if (Array.isArray(schema.prefixItems)) return schema.prefixItems as ReplySchema[];
  if (Array.isArray(schema.items)) return schema.items as ReplySchema[];
  return undefined;
}

/** Longest fixed-length array typed as a tuple rather than `T[]`. */
const MAX_FIXED_TUPLE = 8;

function arrayType(schema: Schema, self: string): string {
  const tuple = schema.maxItems === 0 ? [] : tupleItems(schema);
  if (tuple === undefined) {
    const item = replyType(schema.items as ReplySchema | undefined, self);
    // A fixed small length (TIME: exactly 2 strings) is a tuple of that many items.
    const n = schema.minItems;
    if (typeof n === 'number' && n === schema.maxItems && n >= 1 && n <= MAX_FIXED_TUPLE) {
      return `[${Array.from({ length: n }, () => item).join(', ')}]`;
    }
    return arrayOf(item);
  }
  const min = typeof schema.minItems === 'number' ? schema.minItems : tuple.length;
  const parts = tuple.map((s, i) =>
    i >= min ? `${optionalElement(replyType(s, self))}?` : replyType(s, self),
  );
  const extra = Array.isArray(schema.prefixItems) ? schema.items : schema.additionalItems;
  if (extra !== undefined && extra !== false)
    parts.push(`...${arrayOf(replyType(extra as ReplySchema, self))}`);
  return `[${parts.join(', ')}]`;
}

/** An optional tuple element `T?` needs parentheses around a union: `(A | B)?`. */
function optionalElement(type: string): string {
  return arrayOf(type) === `${type}[]` ? type : `(${type})`;
}

function objectType(schema: Schema, self: string): string {
  const properties = isSchema(schema.properties) ? (schema.properties as Record<string, ReplySchema>) : {};
  const valueSchemas: ReplySchema[] = [];
  if (isSchema(schema.patternProperties))
    valueSchemas.push(...Object.values(schema.patternProperties as Record<string, ReplySchema>));
  const additional = schema.additionalProperties;
  if (additional !== undefined && additional !== false) valueSchemas.push(additional as ReplySchema);
  const names = Object.keys(properties).sort();
  if (names.length === 0 && valueSchemas.length === 0) {
    return additional === false ? 'Record<string, never>' : 'Record<string, unknown>';
  }
  const lines: string[] = [];
  const propertyTypes: string[] = [];
  for (const name of names) {
    const sub = properties[name];
    const t = replyType(sub, self);
    propertyTypes.push(t);
    if (isSchema(sub) && typeof sub.description === 'string')
      lines.push(`/** ${escapeDoc(sub.description)} */`);
    lines.push(`${propertyKey(name)}?: ${t};`);
  }
  if (valueSchemas.length > 0) {
    const values = union(valueSchemas.map((s) => replyType(s, self)));
    // Optional properties must fit the index signature, hence their types and undefined in it.
    const index = names.length === 0 ? values : union([values, ...propertyTypes, 'undefined']);
    lines.push(`[key: string]: ${index};`);
  }
  return `{\n${lines.join('\n')}\n}`;
}

/** Description lines for a reply type's JSDoc: the schema's own and those of its alternatives. */
export function replyDocs(schema: ReplySchema | undefined, self: string): string[] {
  if (!isSchema(schema)) return [];
  const docs: string[] = [];
  if (typeof schema.description === 'string') docs.push(escapeDoc(schema.description));
  for (const alt of asSchemaList(schema.oneOf ?? schema.anyOf)) {
    if (isSchema(alt) && typeof alt.description === 'string') {
      docs.push(`- \`${escapeDoc(oneLine(replyType(alt, self)))}\`: ${escapeDoc(alt.description)}`);
    }
  }
  return docs;
}

function oneLine(type: string): string {
  return type.length > 60 || type.includes('\n')
    ? type.startsWith('[')
      ? 'array'
      : type.startsWith('{')
        ? 'object'
        : type.slice(0, 60)
    : type;
}

/** Depth to which a `$ref: "#"` is unrolled in the runtime shape (the spec's only use nests once). */
const REF_DEPTH = 2;

/** ReplyShape literal text for a schema; `root` is the schema `$ref: "#"` points at. */
export function replyShape(
  schema: ReplySchema | undefined,
  root: ReplySchema | undefined,
  depth = 0,
): string {
  if (schema === undefined || typeof schema === 'boolean') return ANY;
  if ('$ref' in schema)
    return schema.$ref === '#' && depth < REF_DEPTH ? replyShape(root, root, depth + 1) : ANY;
  if ('const' in schema)
    return scalarShape(
      typeof schema.const === 'number' ? (Number.isInteger(schema.const) ? 'integer' : 'number') : 'string',
    );
  const alternatives = asSchemaList(schema.oneOf ?? schema.anyOf);
  if (alternatives.length > 0) return unionShape(alternatives.map((s) => replyShape(s, root, depth)));
  const type = schema.type;
  if (Array.isArray(type)) return unionShape(type.map((t) => typeShape(String(t), schema, root, depth)));
  if (typeof type === 'string') return typeShape(type, schema, root, depth);
  return ANY;
}

const ANY = "{ kind: 'any' }";
const NULL = "{ kind: 'null' }";

function scalarShape(type: string): string {
  switch (type) {
    case 'string':
      return "{ kind: 'string' }";
    case 'integer':
      return "{ kind: 'integer' }";
    case 'number':
      return "{ kind: 'double' }";
    case 'boolean':
      return "{ kind: 'boolean' }";
    case 'null':
      return NULL;
    default:
      return ANY;
  }
}

/** Null needs no normalising and the host passes it through, so it is dropped from unions. */
function unionShape(options: string[]): string {
  const distinct = [...new Set(options)].filter((o) => o !== NULL);
  if (distinct.includes(ANY)) return ANY;
  if (distinct.length === 0) return NULL;
  if (distinct.length === 1) return distinct[0] ?? ANY;
  return `{ kind: 'oneOf', options: [${distinct.join(', ')}] }`;
}

function typeShape(type: string, schema: Schema, root: ReplySchema | undefined, depth: number): string {
  if (type === 'array') {
    const tuple = schema.maxItems === 0 ? [] : tupleItems(schema);
    if (tuple !== undefined)
      return `{ kind: 'tuple', items: [${tuple.map((s) => replyShape(s, root, depth)).join(', ')}] }`;
    return `{ kind: 'array', items: ${replyShape(schema.items as ReplySchema | undefined, root, depth)} }`;
  }
  if (type === 'object') {
    const properties = isSchema(schema.properties) ? (schema.properties as Record<string, ReplySchema>) : {};
    const parts: string[] = [];
    const names = Object.keys(properties).sort();
    if (names.length > 0) {
      parts.push(
        `properties: { ${names.map((n) => `${propertyKey(n)}: ${replyShape(properties[n], root, depth)}`).join(', ')} }`,
      );
    }
    const values: string[] = [];
    if (isSchema(schema.patternProperties)) {
      for (const s of Object.values(schema.patternProperties as Record<string, ReplySchema>))
        values.push(replyShape(s, root, depth));
    }
    const additional = schema.additionalProperties;
    if (additional !== undefined && additional !== false)
      values.push(replyShape(additional as ReplySchema, root, depth));
    if (values.length > 0) parts.push(`values: ${unionShape(values)}`);
    return `{ kind: 'object'${parts.map((p) => `, ${p}`).join('')} }`;
  }
  return scalarShape(type);
}
