// reply_schema (JSON Schema of the RESP3 reply) → TypeScript type text and the runtime ReplyShape
// literal the host normalises RESP2/RESP3 replies with. Objects become plain object types (JSON
// object keys are strings, so never Map); properties are optional because the upstream schemas never
// say `required`; `true`/absent schemas are `unknown`; `$ref: "#"` refers to the reply type itself
// and `$ref: "#/$defs/x"` to a named type of its own (replyDefs), so recursive parts (COMMAND DOCS
// arguments) have a type.
import { pascalCase, propertyKey, quote } from '../naming.js';
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

const DEF_REF = /^#\/\$defs\/([A-Za-z][\w-]*)$/;

function defName(ref: unknown): string | undefined {
  return typeof ref === 'string' ? DEF_REF.exec(ref)?.[1] : undefined;
}

/** `CommandDocsReply` + `argument` → `CommandDocsArgument`. */
function defTypeName(self: string, def: string): string {
  return `${self.replace(/Reply$/, '')}${pascalCase(def)}`;
}

/** The named types of a schema's `$defs`, each as `export type` text with its docs. */
export function replyDefs(
  schema: ReplySchema | undefined,
  self: string,
): { docs: string[]; lines: string[] }[] {
  if (!isSchema(schema) || !isSchema(schema.$defs)) return [];
  return Object.entries(schema.$defs as Record<string, ReplySchema>).map(([def, sub]) => ({
    docs: [`Part of ${self} (\`$defs/${def}\`).`, ...replyDocs(sub, self)],
    lines: [`export type ${defTypeName(self, def)} = ${replyType(sub, self)};`],
  }));
}

/** TypeScript type of a reply schema; `self` is the name `$ref: "#"` resolves to. */
export function replyType(schema: ReplySchema | undefined, self: string): string {
  if (schema === undefined || schema === true) return 'unknown';
  if (schema === false) return 'never';
  if ('$ref' in schema) {
    if (schema.$ref === '#') return self;
    const def = defName(schema.$ref);
    return def === undefined ? 'unknown' : defTypeName(self, def);
  }
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
  const shape = shapeLine(replyType(schema, self));
  if (shape !== undefined) docs.push(`Shape: \`${escapeDoc(shape)}\``);
  return docs;
}

/** Longest expanded type a `Shape:` doc line shows before inner objects are cut to `{ … }`. */
const SHAPE_LINE = 160;

/**
 * The reply type on one line for the alias's JSDoc, so a hover shows what the alias stands for:
 * property docs dropped, then the innermost nested objects replaced by `{ … }` until it fits, then
 * cut after the last property that fits. None for a type that is short and on one line already.
 */
export function shapeLine(type: string): string | undefined {
  if (!type.includes('\n') && type.length <= 60) return undefined;
  let text = type
    .replace(/\/\*\*.*?\*\//g, '')
    .replace(/\s*\n\s*/g, ' ')
    .replace(/;\s*\}/g, ' }')
    .replace(/\s+/g, ' ')
    .trim();
  for (let shorter = cutInnermost(text); text.length > SHAPE_LINE && shorter !== undefined;) {
    text = shorter;
    shorter = cutInnermost(text);
  }
  if (text.length <= SHAPE_LINE) return text;
  const cut = text.lastIndexOf('; ', SHAPE_LINE);
  return `${text.slice(0, cut > 0 ? cut : SHAPE_LINE)}; … }`;
}

/** `text` with its first innermost object that sits inside another bracket replaced by `{ … }`. */
function cutInnermost(text: string): string | undefined {
  const open: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "'") i = text.indexOf("'", i + 1);
    else if (c === '{' || c === '[' || c === '(') open.push(i);
    else if (c === '}' || c === ']' || c === ')') {
      const start = open.pop();
      if (c !== '}' || start === undefined || open.length === 0) continue;
      const body = text.slice(start, i + 1);
      if (body !== '{ … }' && !/[{[(]/.test(body.slice(1)))
        return `${text.slice(0, start)}{ … }${text.slice(i + 1)}`;
    }
    if (i < 0) break;
  }
  return undefined;
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
/**
 * Depth to which `$ref: "#/$defs/x"` is unrolled: COMMAND DOCS arguments nest as deep as the
 * spec's argument trees (5 levels in BITFIELD); deeper parts are left as decoded.
 */
const DEF_DEPTH = 8;

/** ReplyShape literal text for a schema; `root` is the schema `$ref: "#"` points at. */
export function replyShape(
  schema: ReplySchema | undefined,
  root: ReplySchema | undefined,
  depth = 0,
): string {
  if (schema === undefined || typeof schema === 'boolean') return ANY;
  if ('$ref' in schema) {
    if (schema.$ref === '#') return depth < REF_DEPTH ? replyShape(root, root, depth + 1) : ANY;
    const def = defName(schema.$ref);
    const defs = isSchema(root) && isSchema(root.$defs) ? (root.$defs as Record<string, ReplySchema>) : {};
    return def !== undefined && Object.hasOwn(defs, def) && depth < DEF_DEPTH
      ? replyShape(defs[def], root, depth + 1)
      : ANY;
  }
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
    if (tuple !== undefined) {
      const items = `items: [${tuple.map((s) => replyShape(s, root, depth)).join(', ')}]`;
      // Items past the positional ones (GEOSEARCH WITHDIST/WITHCOORD, LCS WITHMATCHLEN).
      const extra = Array.isArray(schema.prefixItems) ? schema.items : schema.additionalItems;
      const rest =
        extra !== undefined && extra !== false ? replyShape(extra as ReplySchema, root, depth) : ANY;
      return `{ kind: 'tuple', ${items}${rest === ANY ? '' : `, rest: ${rest}`} }`;
    }
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
