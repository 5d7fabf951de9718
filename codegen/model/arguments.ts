// Argument tree → method parameters, options type and the straight-line statements that build the
// wire arguments. Rules: required arguments are positional in spec order (a required `multiple` is an
// array, or a rest parameter when it is the last parameter, a plain value, and no options follow);
// every optional argument is a key of one options object (the last parameter). Pure tokens (and
// blocks made only of required tokens) are booleans when optional and literals inside a oneof;
// oneof alternatives are token literals, the one untokened plain value bare, the rest single-key
// objects keyed by token (else by name); blocks are objects of their arguments; a key count the
// spec lets us derive is no parameter at all; an argument an override widens (spec/overrides
// `widenArguments`) takes a string besides its spec type. The wire order and token spelling are
// always the spec's.
import { availabilityText } from './docs.js';
import { parameterName, propertyKey, propertyName, quote } from '../naming.js';
import type { ArgumentWidening, SpecArgument } from '../spec-types.js';
import { arrayOf, tokenLiteralType, tokenTest, union } from './type-text.js';

/**
 * An argument as the model reads it: the spec's, plus what overrides add. `accepts: 'string'` lets
 * an integer or unix-time argument take a string too, sent as given (a cursor the server replied).
 */
export interface ModelArgument extends Omit<SpecArgument, 'arguments'> {
  accepts?: ArgumentWidening['accepts'];
  arguments?: ModelArgument[];
}

export interface Param {
  name: string;
  type: string;
  rest: boolean;
  summary?: string;
}

export interface OptionField {
  key: string;
  type: string;
  docs: string[];
}

export interface ArgumentsModel {
  positional: Param[];
  /** Keys of the options object (empty: no options parameter). */
  options: OptionField[];
  /** Statements after `const args_: RedisArgument[] = [...]`, without indentation of the method body. */
  body: string[];
}

/** Local names in generated bodies contain `_`, which camelCase spec names never do, so they cannot collide. */
export const WIRE = 'args_';
export const OPTIONS = 'options';

class Locals {
  private n = 0;
  next(prefix: string): string {
    return `${prefix}_${this.n++}`;
  }
}

/** A pure token, or a block of only required tokens (e.g. `NO ONE`): sent whole, chosen as a unit. */
export function isTokenOnly(arg: ModelArgument): boolean {
  if (arg.multiple) return false;
  if (arg.type === 'pure-token') return true;
  return (
    arg.type === 'block' &&
    (arg.arguments ?? []).length > 0 &&
    (arg.arguments ?? []).every((a) => !a.optional && isTokenOnly(a))
  );
}

function tokensOf(arg: ModelArgument): string[] {
  if (arg.type === 'pure-token') return [arg.token ?? arg.name];
  return [...(arg.token === undefined ? [] : [arg.token]), ...(arg.arguments ?? []).flatMap(tokensOf)];
}

function scalarType(arg: ModelArgument): string {
  switch (arg.type) {
    case 'key':
    case 'string':
      return 'RedisKey';
    case 'pattern':
      return 'string';
    case 'integer':
    case 'unix-time':
      return arg.accepts === 'string' ? 'number | bigint | string' : 'number | bigint';
    case 'double':
      return 'number | string';
    default:
      throw new Error(`argument '${arg.name}' of type ${arg.type} is not a plain value`);
  }
}

function isScalar(arg: ModelArgument): boolean {
  return !['pure-token', 'oneof', 'block'].includes(arg.type);
}

/** Runtime test that a value is of a plain argument type (used to pick the bare oneof alternative). */
function scalarTest(arg: ModelArgument, expr: string): string {
  switch (arg.type) {
    case 'key':
    case 'string':
      return `typeof ${expr} === 'string' || Buffer.isBuffer(${expr})`;
    case 'pattern':
      return `typeof ${expr} === 'string'`;
    case 'double':
      return `typeof ${expr} === 'number' || typeof ${expr} === 'string'`;
    default:
      return `typeof ${expr} === 'number' || typeof ${expr} === 'bigint'${arg.accepts === 'string' ? ` || typeof ${expr} === 'string'` : ''}`;
  }
}

export interface Alternative {
  arg: ModelArgument;
  kind: 'literal' | 'bare' | 'keyed';
  /** For keyed alternatives: the object key (token, else camelCased name). */
  key?: string;
  type: string;
}

export function alternatives(oneof: ModelArgument): Alternative[] {
  const alts = oneof.arguments ?? [];
  const untokenedPlain = alts.filter((a) => a.token === undefined && !a.multiple && isScalar(a));
  return alts.map((arg): Alternative => {
    if (isTokenOnly(arg)) return { arg, kind: 'literal', type: tokenLiteralType(tokensOf(arg).join(' ')) };
    if (untokenedPlain.length === 1 && untokenedPlain[0] === arg)
      return { arg, kind: 'bare', type: scalarType(arg) };
    const key = arg.token ?? propertyName(arg.name);
    return { arg, kind: 'keyed', key, type: `{ ${propertyKey(key)}: ${occurrenceType(arg)} }` };
  });
}

/** Type of one occurrence of an argument (ignoring `multiple`). */
function valueType(arg: ModelArgument): string {
  if (isTokenOnly(arg)) return tokenLiteralType(tokensOf(arg).join(' '));
  if (arg.type === 'oneof') return union(alternatives(arg).map((a) => a.type));
  if (arg.type === 'block') {
    const fields = (arg.arguments ?? [])
      .filter((a) => a.optional || !isTokenOnly(a))
      .map((a) => `${propertyKey(propertyName(a.name))}${a.optional ? '?' : ''}: ${fieldType(a)}`);
    return `{ ${fields.join('; ')} }`;
  }
  return scalarType(arg);
}

export function occurrenceType(arg: ModelArgument): string {
  const t = valueType(arg);
  return arg.multiple ? arrayOf(t) : t;
}

/** Type of an argument as a key of an options or block object. */
export function fieldType(arg: ModelArgument): string {
  return arg.optional && isTokenOnly(arg) ? 'boolean' : occurrenceType(arg);
}

export function access(expr: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${expr}.${key}` : `${expr}[${quote(key)}]`;
}

function pushTokens(arg: ModelArgument, ind: string): string {
  return `${ind}${WIRE}.push(${tokensOf(arg).map(quote).join(', ')});`;
}

interface Ctx {
  command: string;
  locals: Locals;
}

/** Statements sending `arg` whose (defined) value is `expr`. */
function emit(arg: ModelArgument, expr: string, ind: string, ctx: Ctx): string[] {
  if (!arg.multiple) return emitOne(arg, expr, ind, ctx, arg.token);
  const item = ctx.locals.next('item');
  const lines: string[] = [];
  if (arg.token !== undefined && !arg.multiple_token) lines.push(`${ind}${WIRE}.push(${quote(arg.token)});`);
  lines.push(`${ind}for (const ${item} of ${expr}) {`);
  lines.push(...emitOne(arg, item, `${ind}  `, ctx, arg.multiple_token ? arg.token : undefined));
  lines.push(`${ind}}`);
  return lines;
}

function emitOne(
  arg: ModelArgument,
  expr: string,
  ind: string,
  ctx: Ctx,
  token: string | undefined,
): string[] {
  if (isTokenOnly(arg)) return [pushTokens(arg, ind)];
  if (isScalar(arg)) {
    return [`${ind}${WIRE}.push(${token === undefined ? '' : `${quote(token)}, `}${expr});`];
  }
  const lines: string[] = token === undefined ? [] : [`${ind}${WIRE}.push(${quote(token)});`];
  if (arg.type === 'block') {
    for (const sub of arg.arguments ?? []) lines.push(...emitMember(sub, expr, ind, ctx));
    return lines;
  }
  // oneof: bind the value once so each test narrows it.
  const v = ctx.locals.next('choice');
  lines.push(`${ind}const ${v} = ${expr};`);
  const alts = alternatives(arg);
  const ordered = [
    ...alts.filter((a) => a.kind === 'literal'),
    ...alts.filter((a) => a.kind === 'bare'),
    ...alts.filter((a) => a.kind === 'keyed'),
  ];
  ordered.forEach((alt, i) => {
    const test =
      alt.kind === 'literal'
        ? tokenTest(v, tokensOf(alt.arg).join(' '))
        : alt.kind === 'bare'
          ? scalarTest(alt.arg, v)
          : `typeof ${v} === 'object' && ${quote(alt.key ?? '')} in ${v}`;
    lines.push(`${ind}${i === 0 ? '' : '} else '}if (${test}) {`);
    if (alt.kind === 'literal') lines.push(pushTokens(alt.arg, `${ind}  `));
    else if (alt.kind === 'bare') lines.push(...emit(alt.arg, v, `${ind}  `, ctx));
    else lines.push(...emit(alt.arg, access(v, alt.key ?? ''), `${ind}  `, ctx));
  });
  lines.push(`${ind}} else {`);
  lines.push(`${ind}  throw invalidArgument(${quote(ctx.command)}, ${quote(arg.name)});`);
  lines.push(`${ind}}`);
  return lines;
}

/** A member of a block (or an optional top-level argument read from the options object). */
function emitMember(sub: ModelArgument, objectExpr: string, ind: string, ctx: Ctx): string[] {
  const expr = access(objectExpr, propertyName(sub.name));
  if (!sub.optional) return isTokenOnly(sub) ? [pushTokens(sub, ind)] : emit(sub, expr, ind, ctx);
  if (isTokenOnly(sub)) return [`${ind}if (${expr} === true) {`, pushTokens(sub, `${ind}  `), `${ind}}`];
  const v = ctx.locals.next('value');
  return [
    `${ind}const ${v} = ${expr};`,
    `${ind}if (${v} !== undefined) {`,
    ...emit(sub, v, `${ind}  `, ctx),
    `${ind}}`,
  ];
}

function docsOf(arg: ModelArgument): string[] {
  const docs: string[] = [];
  if (arg.summary !== undefined) docs.push(arg.summary);
  docs.push(`Wire: ${displayOf(arg)}`);
  // Set by the merge only where not every server takes the argument.
  if (arg.availability !== undefined) docs.push(`Servers: ${availabilityText(arg.availability, Infinity)}`);
  for (const choice of arg.type === 'oneof' ? (arg.arguments ?? []) : []) {
    if (choice.availability !== undefined)
      docs.push(`${displayOf(choice)}: ${availabilityText(choice.availability, Infinity)}`);
  }
  if (arg.since !== undefined) docs.push(`@since ${arg.since}`);
  if (arg.deprecated_since !== undefined) docs.push(`@deprecated since ${arg.deprecated_since}`);
  return docs;
}

/** The argument as the command syntax shows it, e.g. `[EX seconds | PX milliseconds | KEEPTTL]`. */
export function displayOf(arg: ModelArgument): string {
  let inner: string;
  if (arg.type === 'pure-token') inner = arg.token ?? arg.name;
  else if (arg.type === 'oneof') inner = (arg.arguments ?? []).map(displayOf).join(' | ');
  else if (arg.type === 'block') inner = (arg.arguments ?? []).map(displayOf).join(' ');
  else inner = arg.display ?? arg.name;
  if (arg.token !== undefined && arg.type !== 'pure-token') inner = `${arg.token} ${inner}`;
  if (arg.type === 'oneof' && !arg.optional) inner = `<${inner}>`;
  if (arg.multiple)
    inner = `${inner} [${arg.multiple_token && arg.token !== undefined ? `${arg.token} ` : ''}${inner} ...]`;
  return arg.optional ? `[${inner}]` : inner;
}

function widenAt(
  command: string,
  args: readonly ModelArgument[],
  path: readonly string[],
  widening: ArgumentWidening,
): ModelArgument[] {
  const [name, ...rest] = path;
  const at = args.findIndex((a) => a.name === name);
  const target = args[at];
  if (target === undefined) throw new Error(`${command}: widened argument '${widening.argument}' not found`);
  const copy: ModelArgument =
    rest.length === 0
      ? { ...target, accepts: widening.accepts }
      : { ...target, arguments: widenAt(command, target.arguments ?? [], rest, widening) };
  return args.map((a, i) => (i === at ? copy : a));
}

/**
 * The spec's argument tree with an override's widenings marked on it (copied, never mutated).
 * validate.ts has checked that each names an integer or unix-time argument.
 */
export function widenArguments(
  command: string,
  args: readonly SpecArgument[],
  widenings: readonly ArgumentWidening[],
): ModelArgument[] {
  return widenings.reduce<ModelArgument[]>(
    (tree, w) => widenAt(command, tree, w.argument.split('.'), w),
    [...args],
  );
}

/**
 * A block without a token around one plain argument (Redis 7.0's PSUBSCRIBE `pattern`, CONFIG GET
 * `parameter`: later releases write the argument alone) sends exactly what that argument sends, so
 * it is that argument, under the block's name, optional and multiple. One spelling, one signature,
 * whichever release the spec comes from.
 */
export function flattenSingleBlocks(args: readonly SpecArgument[]): SpecArgument[] {
  return args.map((arg) => {
    const nested = arg.arguments === undefined ? undefined : flattenSingleBlocks(arg.arguments);
    const only = nested?.length === 1 ? nested[0] : undefined;
    if (
      arg.type === 'block' &&
      arg.token === undefined &&
      only !== undefined &&
      only.token === undefined &&
      only.optional !== true &&
      only.multiple !== true &&
      only.arguments === undefined
    ) {
      const { arguments: _, ...block } = arg;
      return { ...only, ...block, type: only.type };
    }
    return nested === undefined ? arg : { ...arg, arguments: nested };
  });
}

/** The wire value of a derived key count: the length of the key argument it counts (0 when omitted). */
function keyCountExpr(key: ModelArgument): string {
  return key.optional
    ? `${access(`${OPTIONS}?`, propertyName(key.name))}?.length ?? 0`
    : `${parameterName(key.name)}.length`;
}

/**
 * `counts` maps a count argument's index to the index of the key argument it counts (see
 * key-counts.ts): such a count is no parameter, its wire value is that argument's length.
 */
export function buildArguments(
  command: string,
  args: readonly ModelArgument[],
  counts: ReadonlyMap<number, number> = new Map(),
): ArgumentsModel {
  const ctx: Ctx = { command, locals: new Locals() };
  const positional: Param[] = [];
  const options: OptionField[] = [];
  const body: string[] = [];
  for (const [index, arg] of args.entries()) {
    const counted = counts.get(index);
    const key = counted === undefined ? undefined : args[counted];
    if (key !== undefined) {
      const token = arg.token === undefined ? '' : `${quote(arg.token)}, `;
      body.push(`${WIRE}.push(${token}${keyCountExpr(key)});`);
    } else if (arg.optional) {
      options.push({ key: propertyName(arg.name), type: fieldType(arg), docs: docsOf(arg) });
      body.push(...emitMember(arg, `${OPTIONS}?`, '', ctx));
    } else if (isTokenOnly(arg)) {
      body.push(pushTokens(arg, ''));
    } else {
      const name = parameterName(arg.name);
      if (name === OPTIONS || positional.some((p) => p.name === name)) {
        throw new Error(`${command}: two parameters named '${name}'`);
      }
      const param: Param = { name, type: occurrenceType(arg), rest: false };
      if (arg.summary !== undefined) param.summary = arg.summary;
      positional.push(param);
      body.push(...emit(arg, name, '', ctx));
    }
  }
  const last = positional[positional.length - 1];
  const lastArg = args.filter((a, i) => !a.optional && !isTokenOnly(a) && !counts.has(i)).pop();
  if (last && lastArg?.multiple && isScalar(lastArg) && options.length === 0) last.rest = true;
  return { positional, options, body };
}
