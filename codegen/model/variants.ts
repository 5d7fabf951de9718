// Overloads for replies that depend on arguments (spec/overrides `replyVariants`: SET GET, ZRANGE
// WITHSCORES, ...). Each variant gets an overload whose options require the argument; a base
// overload forbids all of them; a last overload takes any options and returns the union, so a call
// whose options are only known at run time still type-checks. The runtime shape follows the same
// tests on the actual options. A variant names a spec argument (a path of spec names); the wire
// plan says which key of the options object the caller writes it as.
import { ModelError } from './model-error.js';
import { propertyKey, quote } from '../naming.js';
import type { ReplyVariant } from '../spec-types.js';
import { OPTIONS } from './print-wire.js';
import { replyDefs, replyDocs, replyShape, replyType } from './reply.js';
import type { Declaration, Signature } from './types.js';
import { nodeType } from './plan-types.js';
import type { ExclusiveChoice, Member, WirePlan } from './wire-plan.js';
import { keysOf } from './wire-plan.js';

export interface VariantPlan {
  /** Type that must be intersected with the options type for this variant's overload. */
  given: string;
  /** Type that rules the variant out (for the base overload). */
  absent: string;
  /** Runtime test on the options parameter. */
  test: string;
}

function find(members: readonly Member[], name: string): Member | undefined {
  for (const m of members) {
    if ((m.kind === 'field' || m.kind === 'exclusive' || m.kind === 'group') && m.arg.name === name) return m;
  }
  return undefined;
}

function at(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${OPTIONS}?.${key}` : `${OPTIONS}?.[${quote(key)}]`;
}

export function planVariant(command: string, plan: WirePlan, variant: ReplyVariant): VariantPlan {
  const fail = (why: string): never => {
    throw new ModelError(`${command}: reply variant '${variant.when}' ${why}`);
  };
  const options = plan.steps.flatMap((s) => (s.kind === 'option' ? [s.member] : []));
  let level: readonly Member[] = options;
  let member: Member | undefined;
  for (const name of variant.when.split('.')) {
    member = find(level, name) ?? fail('is not an optional argument in the spec');
    level = member.kind === 'group' ? member.members : [];
  }
  if (member === undefined) return fail('names no argument');
  if (variant.equals !== undefined) {
    if (member.kind !== 'exclusive') return fail('has a choice but is not a oneof of tokens');
    const choice =
      member.choices.find((c) => c.key.toUpperCase() === variant.equals?.toUpperCase()) ??
      fail(`has no token choice '${variant.equals}'`);
    const key = propertyKey(choice.key);
    return { given: `{ ${key}: true }`, absent: `{ ${key}?: false }`, test: `${at(choice.key)} === true` };
  }
  if (member.kind === 'field') {
    const key = propertyKey(member.key);
    if (member.node.kind === 'flag')
      return { given: `{ ${key}: true }`, absent: `{ ${key}?: false }`, test: `${at(member.key)} === true` };
    return {
      given: `{ ${key}: ${nodeType(member.node)} }`,
      absent: `{ ${key}?: undefined }`,
      test: `${at(member.key)} !== undefined`,
    };
  }
  if (member.kind === 'group') {
    // A group is sent when any of its keys is given and then needs its required ones.
    const required = member.members.flatMap((m) => (m.kind === 'field' && !m.optional ? [m] : []));
    if (required.length === 0) return fail('is a block without required members');
    const given = required
      .map((m) => `${propertyKey(m.key)}: ${m.node.kind === 'flag' ? 'true' : nodeType(m.node)}`)
      .join('; ');
    const keys = keysOf(member);
    return {
      given: `{ ${given} }`,
      absent: `{ ${keys.map((k) => `${propertyKey(k)}?: undefined`).join('; ')} }`,
      test: `(${keys.map((k) => `${at(k)} !== undefined`).join(' || ')})`,
    };
  }
  if (member.kind !== 'exclusive') return fail('is a block of tokens only');
  // A oneof without `equals`: any of its choices (GEORADIUS STORE key | STOREDIST key).
  const choices = member.choices;
  const choiceType = (c: ExclusiveChoice): string => (c.node.kind === 'flag' ? 'true' : nodeType(c.node));
  return {
    given: `(${choices.map((c) => `{ ${propertyKey(c.key)}: ${choiceType(c)} }`).join(' | ')})`,
    absent: `{ ${choices.map((c) => `${propertyKey(c.key)}?: undefined`).join('; ')} }`,
    test: `(${choices
      .map((c) => (c.node.kind === 'flag' ? `${at(c.key)} === true` : `${at(c.key)} !== undefined`))
      .join(' || ')})`,
  };
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
    throw new ModelError(`${command}: reply variants named '${variant.name}' have different reply schemas`);
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
  if (hasVariants) throw new ModelError(`${command}: a generic reply cannot have reply variants`);
  for (const signature of signatures) {
    signature.typeParams = `<T = ${signature.reply}>`;
    signature.reply = 'T';
  }
}
