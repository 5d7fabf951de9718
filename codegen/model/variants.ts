// Overloads for replies that depend on arguments (spec/overrides `replyVariants`: SET GET, ZRANGE
// WITHSCORES, ...). Each variant gets an overload whose options require the argument; a base
// overload forbids all of them; a last overload takes any options and returns the union, so a call
// whose options are only known at run time still type-checks. The runtime shape follows the same
// tests on the actual options.
import { propertyKey, propertyName } from '../naming.js';
import type { ReplyVariant } from '../spec-types.js';
import { replyDefs, replyDocs, replyShape, replyType } from './reply.js';
import type { Declaration, Signature } from './types.js';
import { alternatives, fieldType, isTokenOnly, OPTIONS, type ModelArgument } from './arguments.js';
import { tokenLiteralType, tokenTest, union } from './type-text.js';

export interface VariantPlan {
  /** Type that must be intersected with the options type for this variant's overload. */
  given: string;
  /** Type that rules the variant out (for the base overload). */
  absent: string;
  /** Runtime test on the options parameter. */
  test: string;
}

function findPath(command: string, args: readonly ModelArgument[], path: string): ModelArgument[] {
  const chain: ModelArgument[] = [];
  let level: readonly ModelArgument[] = args;
  for (const name of path.split('.')) {
    const arg = level.find((a) => a.name === name);
    if (arg === undefined)
      throw new Error(`${command}: reply variant argument '${path}' not found in the spec`);
    chain.push(arg);
    level = arg.arguments ?? [];
  }
  const first = chain[0];
  if (first === undefined || !first.optional) {
    throw new Error(`${command}: reply variant argument '${path}' must start at an optional argument`);
  }
  return chain;
}

export function planVariant(
  command: string,
  args: readonly ModelArgument[],
  variant: ReplyVariant,
): VariantPlan {
  const chain = findPath(command, args, variant.when);
  const leaf = chain[chain.length - 1] as ModelArgument;
  let given: string;
  let absent: string;
  const access = `${OPTIONS}?.${chain.map((a) => propertyKey(propertyName(a.name))).join('?.')}`;
  let test: string;
  if (variant.equals !== undefined) {
    const alts = leaf.type === 'oneof' ? alternatives(leaf) : [];
    const chosen = alts.find(
      (a) =>
        a.kind === 'literal' && (a.arg.token ?? a.arg.name).toUpperCase() === variant.equals?.toUpperCase(),
    );
    if (chosen === undefined)
      throw new Error(`${command}: reply variant '${variant.when}' has no token choice '${variant.equals}'`);
    given = tokenLiteralType(chosen.arg.token ?? chosen.arg.name);
    absent = `?: ${union(alts.filter((a) => a !== chosen).map((a) => a.type))}`;
    test = `(${tokenTest(access, chosen.arg.token ?? chosen.arg.name)})`;
  } else if (isTokenOnly(leaf)) {
    given = 'true';
    absent = '?: false';
    test = `${access} === true`;
  } else {
    given = fieldType({ ...leaf, optional: false });
    absent = '?: undefined';
    test = `${access} !== undefined`;
  }
  // Wrap from the leaf outwards: { outer: { leaf: T } }.
  let givenType = given;
  let absentType = `{ ${propertyKey(propertyName(leaf.name))}${absent} }`;
  givenType = `{ ${propertyKey(propertyName(leaf.name))}: ${givenType} }`;
  for (let i = chain.length - 2; i >= 0; i--) {
    const key = propertyKey(propertyName((chain[i] as ModelArgument).name));
    givenType = `{ ${key}: ${givenType} }`;
    absentType = `{ ${key}?: ${absentType} }`;
  }
  return { given: givenType, absent: absentType, test };
}

/**
 * True when `variant` reuses the type of an earlier one by `name` (GEOSEARCH's WITHCOORD, WITHDIST
 * and WITHHASH: one type, any of them); the reply schemas must then be the same.
 */
export function sharedVariant(
  command: string,
  earlier: readonly ReplyVariant[],
  variant: ReplyVariant,
): boolean {
  if (variant.name === undefined) return false;
  const first = earlier.find((v) => v.name === variant.name);
  if (first === undefined) return false;
  if (JSON.stringify(first.reply_schema) !== JSON.stringify(variant.reply_schema))
    throw new Error(`${command}: reply variants named '${variant.name}' have different reply schemas`);
  return true;
}

/** A variant's reply type declarations and shape text; a named one's docs list all its arguments. */
export function variantReply(
  command: string,
  all: readonly ReplyVariant[],
  variant: ReplyVariant,
  typeName: string,
): { declarations: Declaration[]; shape: string } {
  const same = variant.name === undefined ? [variant] : all.filter((v) => v.name === variant.name);
  const when = same
    .map((v) => `\`${v.when}\`${v.equals === undefined ? '' : ` is ${v.equals}`}`)
    .join(same.length > 2 ? ', ' : ' or ')
    .replace(/, ([^,]*)$/, ' or $1');
  const schema = variant.reply_schema;
  return {
    declarations: [
      {
        docs: [`Reply of ${command} when ${when} is given.`, ...replyDocs(schema, typeName)],
        lines: [`export type ${typeName} = ${replyType(schema, typeName)};`],
      },
      ...replyDefs(schema, typeName),
    ],
    shape: replyShape(schema, schema),
  };
}

/**
 * A generic reply (override `genericReply`: EVAL, FCALL): every overload takes `T`, defaulting to
 * the reply type the schema gives, and returns it; the runtime shape stays the schema's.
 */
export function genericReply(command: string, signatures: Signature[], hasVariants: boolean): void {
  if (hasVariants) throw new Error(`${command}: a generic reply cannot have reply variants`);
  for (const signature of signatures) {
    signature.typeParams = `<T = ${signature.reply}>`;
    signature.reply = 'T';
  }
}
