// Command-table entries: the runtime facts of each command (arity, flags, ACL categories, tips,
// key specs, blocking timeout, and the facts derived from them: subscriber, transaction control,
// cacheable, request and response policy) as CommandInfo literal text. Every decision is made here, once, so hosts read a boolean
// instead of re-deriving it from flag strings. Flag, category and tip tests are case-insensitive
// because the spec spells them in upper case (source files) or lower case (some pulls).
import { ModelError } from './model-error.js';
import { propertyKey, quote } from '../naming.js';
import { printLiteral, type Literal } from './literal.js';
import { union } from './type-text.js';
import type { KeySpec, Override, SpecArgument, SpecCommand } from '../spec-types.js';
import type { TableEntry } from './types.js';

function includes(values: readonly string[] | undefined, wanted: string): boolean {
  return (values ?? []).some((v) => v.toUpperCase() === wanted);
}

/** Values of the tip REQUEST_POLICY, as CommandInfo spells them (lower case). */
export const REQUEST_POLICIES = ['all_nodes', 'all_shards', 'multi_shard', 'special'] as const;

/** Values of the tip RESPONSE_POLICY, as CommandInfo spells them (lower case). */
export const RESPONSE_POLICIES = [
  'one_succeeded',
  'all_succeeded',
  'agg_logical_and',
  'agg_logical_or',
  'agg_min',
  'agg_max',
  'agg_sum',
  'special',
] as const;

export type RequestPolicy = (typeof REQUEST_POLICIES)[number];
export type ResponsePolicy = (typeof RESPONSE_POLICIES)[number];

/** Type text of the policy unions generated/executor.ts exports, from the lists above. */
export function policyTypes(): { request: string; response: string } {
  return { request: union(REQUEST_POLICIES.map(quote)), response: union(RESPONSE_POLICIES.map(quote)) };
}

/**
 * The value of a `<tip>:<value>` tip in lower case, undefined without such a tip. A value outside
 * `known`, or two different values, fail generation: a host would route or combine replies wrongly.
 */
function policy<T extends string>(
  fullName: string,
  tips: readonly string[] | undefined,
  tip: 'REQUEST_POLICY' | 'RESPONSE_POLICY',
  known: readonly T[],
): T | undefined {
  let found: { value: T; spelled: string } | undefined;
  for (const spelled of tips ?? []) {
    const colon = spelled.indexOf(':');
    if ((colon < 0 ? spelled : spelled.slice(0, colon)).toUpperCase() !== tip) continue;
    const value = colon < 0 ? '' : spelled.slice(colon + 1).toLowerCase();
    const match = known.find((k) => k === value);
    if (match === undefined) {
      throw new ModelError(
        `${fullName}: unknown ${tip} in tip '${spelled}' (known: ${known.map((k) => k.toUpperCase()).join(', ')})`,
      );
    }
    if (found !== undefined && found.value !== match) {
      throw new ModelError(`${fullName}: two ${tip} tips, '${found.spelled}' and '${spelled}'`);
    }
    found = { value: match, spelled };
  }
  return found?.value;
}

/** Facts the table derives from the spec's flags, ACL categories, tips and key specs. */
export interface DerivedFacts {
  /** Changes the connection's subscriptions (SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE, the UNSUBSCRIBEs). */
  subscriber: boolean;
  /** Controls a transaction (MULTI, EXEC, DISCARD, WATCH, UNWATCH). */
  transactionControl: boolean;
  /** The reply may be kept by a client-side cache. */
  cacheable: boolean;
  /** Tip REQUEST_POLICY: where a cluster client sends the command. */
  requestPolicy?: RequestPolicy;
  /** Tip RESPONSE_POLICY: how a cluster client combines the replies of several nodes. */
  responsePolicy?: ResponsePolicy;
}

/** Throws when a policy tip has an unknown value (naming the command and the tip). */
export function derivedFacts(fullName: string, command: SpecCommand): DerivedFacts {
  const flag = (name: string): boolean => includes(command.command_flags, name);
  const facts: DerivedFacts = {
    // Of the pub/sub commands (flag PUBSUB) exactly those that change subscriptions are refused in
    // scripts (flag NOSCRIPT); PUBLISH, PUBSUB CHANNELS and the rest are plain request/reply.
    subscriber: flag('PUBSUB') && flag('NOSCRIPT'),
    transactionControl: includes(command.acl_categories, 'TRANSACTION'),
    // A cached reply is invalidated through its keys, so it must read (READONLY) at least one key;
    // blocking and pub/sub replies depend on when they are asked, and NONDETERMINISTIC_OUTPUT means
    // two calls may differ (NONDETERMINISTIC_OUTPUT_ORDER only reorders the same answer: cacheable).
    cacheable:
      flag('READONLY') &&
      (command.key_specs ?? []).length > 0 &&
      !flag('BLOCKING') &&
      !flag('PUBSUB') &&
      !includes(command.command_tips, 'NONDETERMINISTIC_OUTPUT'),
  };
  const request = policy(fullName, command.command_tips, 'REQUEST_POLICY', REQUEST_POLICIES);
  if (request !== undefined) facts.requestPolicy = request;
  const response = policy(fullName, command.command_tips, 'RESPONSE_POLICY', RESPONSE_POLICIES);
  if (response !== undefined) facts.responsePolicy = response;
  return facts;
}

type KeySpecFacts = { readonly [key: string]: Literal };

function keySpec(spec: KeySpec): KeySpecFacts {
  const b = spec.begin_search;
  const beginSearch: KeySpecFacts =
    'index' in b
      ? { type: 'index', pos: b.index.pos }
      : 'keyword' in b
        ? { type: 'keyword', keyword: b.keyword.keyword, startfrom: b.keyword.startfrom }
        : { type: 'unknown' };
  const f = spec.find_keys;
  const findKeys: KeySpecFacts =
    'range' in f
      ? { type: 'range', lastkey: f.range.lastkey, step: f.range.step, limit: f.range.limit }
      : 'keynum' in f
        ? { type: 'keynum', keynumidx: f.keynum.keynumidx, firstkey: f.keynum.firstkey, step: f.keynum.step }
        : { type: 'unknown' };
  return { flags: spec.flags ?? [], beginSearch, findKeys };
}

/** Wire words an argument always takes, or undefined when that varies (optional, multiple, ...). */
function fixedWidth(arg: SpecArgument): number | undefined {
  if (arg.optional || arg.multiple) return undefined;
  const token = arg.token === undefined ? 0 : 1;
  if (arg.type === 'pure-token') return 1;
  if (arg.type === 'oneof') {
    const widths = (arg.arguments ?? []).map(fixedWidth);
    const first = widths[0];
    return first !== undefined && widths.every((w) => w === first) ? token + first : undefined;
  }
  if (arg.type === 'block') {
    let sum = token;
    for (const child of arg.arguments ?? []) {
      const w = fixedWidth(child);
      if (w === undefined) return undefined;
      sum += w;
    }
    return sum;
  }
  return token + 1;
}

/**
 * Wire index where top-level argument `at` starts (its token, if any), counting the command's name
 * words (`CLIENT KILL` is 2); undefined unless every argument before it has a fixed width.
 */
export function fixedStart(fullName: string, args: readonly SpecArgument[], at: number): number | undefined {
  let index = fullName.split(' ').length;
  for (const before of args.slice(0, at)) {
    const w = fixedWidth(before);
    if (w === undefined) return undefined;
    index += w;
  }
  return index;
}

/**
 * Where a blocking command's timeout argument is on the wire, so the client can read it: after its
 * token (XREAD BLOCK ms), else at a fixed index from the start (BLMPOP timeout numkeys ...) or from
 * the end (BLPOP key [key ...] timeout). Undefined when neither is fixed.
 */
export function timeoutLocation(
  fullName: string,
  command: SpecCommand,
  argument: string,
): { token: string } | { index: number } | undefined {
  const args = command.arguments ?? [];
  const at = args.findIndex((a) => a.name === argument);
  const target = args[at];
  if (target === undefined) return undefined;
  if (target.token !== undefined && target.token !== '') return { token: target.token };
  const index = fixedStart(fullName, args, at);
  if (index !== undefined) return { index };
  let fromEnd = -1;
  for (const after of args.slice(at + 1)) {
    const w = fixedWidth(after);
    if (w === undefined) return undefined;
    fromEnd -= w;
  }
  return { index: fromEnd };
}

/** The arguments from the top level down to the first one named `name` (depth first), or undefined. */
function chainTo(args: readonly SpecArgument[], name: string): SpecArgument[] | undefined {
  for (const arg of args) {
    if (arg.name === name) return [arg];
    const below = chainTo(arg.arguments ?? [], name);
    if (below !== undefined) return [arg, ...below];
  }
  return undefined;
}

/**
 * Whether a command's blocking timeout argument may be left off the wire, per the spec's argument
 * tree: it is optional itself or sits in an optional block, or it is (in) one alternative of a
 * oneof. Such a command blocks only when the argument is sent (XREAD [BLOCK milliseconds]).
 */
export function timeoutOptional(command: SpecCommand, argument: string): boolean {
  const chain = chainTo(command.arguments ?? [], argument) ?? [];
  return chain.some((arg, i) => arg.optional === true || (i < chain.length - 1 && arg.type === 'oneof'));
}

/** `CLIENT KILL` → `CLIENT_KILL`; spec names may hold `-` and `.` too. */
export function constName(fullName: string): string {
  return fullName.toUpperCase().replace(/[^A-Z0-9]+/g, '_');
}

/** Every token the command's argument tree has (upper case, sorted, each once). */
export function argumentTokens(args: readonly SpecArgument[] | undefined): string[] {
  const tokens = new Set<string>();
  const walk = (list: readonly SpecArgument[]): void => {
    for (const arg of list) {
      if (arg.token !== undefined && arg.token !== '') tokens.add(arg.token.toUpperCase());
      if (arg.arguments !== undefined) walk(arg.arguments);
    }
  };
  walk(args ?? []);
  return [...tokens].sort();
}

export function tableEntry(
  fullName: string,
  command: SpecCommand,
  override: Override | undefined,
): TableEntry {
  const flags = command.command_flags ?? [];
  const has = (flag: string): boolean => includes(flags, flag);
  const facts = derivedFacts(fullName, command);
  const timeout = override?.blockingTimeout;
  const where = timeout === undefined ? undefined : timeoutLocation(fullName, command, timeout.argument);
  // Key order is the order of CommandInfo's members in executor.ts (the table reads as the type).
  const info: TableEntry['info'] = {
    name: fullName,
    arity: command.arity,
    flags: flags,
    aclCategories: command.acl_categories ?? [],
    tips: command.command_tips ?? [],
    readonly: has('READONLY'),
    write: has('WRITE'),
    blocking: has('BLOCKING'),
    noMulti: has('NO_MULTI'),
    pubsub: has('PUBSUB'),
    subscriber: facts.subscriber,
    transactionControl: facts.transactionControl,
    cacheable: facts.cacheable,
    // A merged spec: which servers have the command (the other facts are the first server's).
    servers: command.availability?.map((a) => a.server),
    requestPolicy: facts.requestPolicy,
    responsePolicy: facts.responsePolicy,
    specialResponse: facts.responsePolicy === 'special' ? override?.specialResponse : undefined,
    tokens: argumentTokens(command.arguments),
    keySpecs: (command.key_specs ?? []).map(keySpec),
    blockingTimeout:
      timeout === undefined
        ? undefined
        : {
            argument: timeout.argument,
            unit: timeout.unit,
            token: where !== undefined && 'token' in where ? where.token : undefined,
            index: where !== undefined && 'index' in where ? where.index : undefined,
            optional: timeoutOptional(command, timeout.argument) ? true : undefined,
          },
  };
  return {
    name: fullName,
    constName: constName(fullName),
    key: propertyKey(fullName),
    info,
    infoText: printLiteral(info),
  };
}
