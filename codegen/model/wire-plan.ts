// The wire plan: how a caller writes each argument of a command and how its value goes on the
// wire, as typed data (print-wire.ts turns it into statements, plan-types.ts into type text). The
// call-form rules live here, each once, over the spec's argument tree:
//  - required arguments are positional parameters in spec order, optional ones keys of one options
//    object; the last positional `multiple` plain value is a rest parameter when no options follow;
//  - a `multiple` plain value also takes an array, and a lone value where it is not a rest;
//  - a repeated block of two untokened plain values whose first is a name (HSET field value, MSET
//    key value, XADD field value, CONFIG SET parameter value) also takes a plain object or a Map;
//  - a block `TOKEN count item [item ...]` whose count is a `num...` integer (HEXPIRE's FIELDS
//    numfields field ...) sends the items' count itself: the caller gives the items only;
//  - an optional oneof whose choices are all word tokens, alone or with one plain value, is written
//    as the token itself (`{ EX: 10 }`, `{ NX: true }`), the choices exclusive by type;
//  - an optional block without a token lends its members to the enclosing object (HRANDFIELD's
//    `count`, `withvalues`: no `options.options`); it is sent when any of them is given;
//  - an optional argument or block member with a word token is keyed by that token in camelCase
//    (BLOCK milliseconds → `block`, MATCH pattern → `match`, ALPHA → `alpha`), else by its name;
//  - names of arrays are plural at the top level (`keys`, `elements`, `arguments`); block members
//    keep the spec's singular, as the command syntax writes them (`STREAMS key [key ...] id [id ...]`).
// The wire order and token spelling are always the spec's.
import { ModelError } from './model-error.js';
import { parameterName, propertyName } from '../naming.js';
import type { ModelArgument } from './arguments.js';

/** What a plain value accepts (and how it is checked): by the spec's argument type. */
export type ValueKind = 'key' | 'value' | 'pattern' | 'integer' | 'double';

export type WireNode =
  /** Words always sent, no input (a required pure token, or a block of only required tokens). */
  | { kind: 'tokens'; tokens: string[] }
  /** An optional pure token (or token-only block): `true` sends its words. */
  | { kind: 'flag'; tokens: string[] }
  /** One plain value, after its token if any. */
  | { kind: 'value'; value: ValueKind; acceptsString: boolean; token?: string }
  /** `multiple`: an array of items (a lone plain value too unless `rest`), the token once or before each. */
  | { kind: 'repeat'; token?: string; tokenEach: boolean; item: WireNode; lone: boolean }
  /** A repeated (name, value) block: an object, a Map, or an array of `{ first, second }` objects. */
  | { kind: 'pairs'; token?: string; first: PairMember; second: PairMember }
  /** An object of members, after the block's token if any. */
  | { kind: 'block'; token?: string; members: Member[] }
  /** A oneof given as a value: a token literal, the one untokened plain value, or `{ TOKEN: value }`. */
  | { kind: 'choice'; token?: string; alternatives: Alternative[]; argument: string }
  /** `TOKEN count items...`: the count is the number of items (entries of pairs) the caller gives. */
  | { kind: 'counted'; token?: string; items: WireNode };

export interface PairMember {
  key: string;
  value: ValueKind;
}

export type Alternative =
  | { kind: 'literal'; tokens: string[] }
  | { kind: 'bare'; node: WireNode & { kind: 'value' | 'repeat' } }
  | { kind: 'keyed'; key: string; node: WireNode };

/** A member of an object (the options object or a block), in spec order. */
export type Member =
  /** A key of the object. */
  | { kind: 'field'; key: string; optional: boolean; node: WireNode; arg: ModelArgument }
  /** Words a block always sends at this place (a required token inside it). */
  | { kind: 'tokens'; tokens: string[] }
  /** A lifted oneof: each choice is its own key, at most one given. */
  | { kind: 'exclusive'; arg: ModelArgument; choices: ExclusiveChoice[] }
  /** A lifted optional block: its members are keys of this object; sent when any is given. */
  | { kind: 'group'; arg: ModelArgument; members: Member[] };

export interface ExclusiveChoice {
  /** The token, as the spec spells it: `EX`, `NX`. */
  key: string;
  /** A flag (`NX: true`) or a value after the token (`EX: 10`). */
  node: WireNode & { kind: 'flag' | 'value' };
  arg: ModelArgument;
}

/** One top-level argument, in spec order. */
export type Step =
  | { kind: 'param'; name: string; node: WireNode; rest: boolean; arg: ModelArgument }
  | { kind: 'tokens'; tokens: string[] }
  /** An optional argument, read from the options object. */
  | { kind: 'option'; member: Member }
  /** A count the key specs let us derive: the length of the key argument it counts. */
  | { kind: 'keyCount'; token?: string; of: { param: string; rest: boolean } | { option: string } };

export interface WirePlan {
  command: string;
  steps: Step[];
}

/** The words a token-only argument sends. */
function tokensOf(arg: ModelArgument): string[] {
  if (arg.type === 'pure-token') return [arg.token ?? arg.name];
  return [...(arg.token === undefined ? [] : [arg.token]), ...(arg.arguments ?? []).flatMap(tokensOf)];
}

/** A pure token, or a block of only required tokens (e.g. `NO ONE`): sent whole, chosen as a unit. */
function isTokenOnly(arg: ModelArgument): boolean {
  if (arg.multiple) return false;
  if (arg.type === 'pure-token') return true;
  return (
    arg.type === 'block' &&
    (arg.arguments ?? []).length > 0 &&
    (arg.arguments ?? []).every((a) => !a.optional && isTokenOnly(a))
  );
}

function isPlain(arg: ModelArgument): boolean {
  return !['pure-token', 'oneof', 'block'].includes(arg.type);
}

/** A token that reads as a word, so it can name a key: `BLOCK`, `WITHSCORES`, `IDLETIME`, not `~`. */
function isWordToken(token: string | undefined): token is string {
  return token !== undefined && /^[A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*$/.test(token);
}

function valueKind(arg: ModelArgument): ValueKind {
  switch (arg.type) {
    case 'key':
      return 'key';
    case 'string':
      return 'value';
    case 'pattern':
      return 'pattern';
    case 'integer':
    case 'unix-time':
      return 'integer';
    case 'double':
      return 'double';
    default:
      throw new ModelError(`argument '${arg.name}' of type ${arg.type} is not a plain value`);
  }
}

const PLURALS: Readonly<Record<string, string>> = { arg: 'arguments', data: 'data' };

/** English plural of a camelCase name: `key` → `keys`, `capability` → `capabilities`. */
export function plural(name: string): string {
  const known = PLURALS[name];
  if (known !== undefined) return known;
  if (/(s|x|ch|sh)$/.test(name)) return `${name}es`;
  if (/[^aeiou]y$/.test(name)) return `${name.slice(0, -1)}ies`;
  return `${name}s`;
}

/** Key of an optional argument or block member: its word token in camelCase, else its name. */
function memberKey(arg: ModelArgument, topLevel: boolean): string {
  if (isWordToken(arg.token)) return propertyName(arg.token.toLowerCase());
  const name = propertyName(arg.name);
  return topLevel && arg.multiple ? plural(name) : name;
}

/** A repeated block of two untokened plain values whose first names the second. */
function pairsOf(arg: ModelArgument): [ModelArgument, ModelArgument] | undefined {
  const members = arg.arguments ?? [];
  if (arg.type !== 'block' || !arg.multiple || members.length !== 2) return undefined;
  if (!members.every((m) => isPlain(m) && m.token === undefined && !m.optional && !m.multiple))
    return undefined;
  const [first, second] = members as [ModelArgument, ModelArgument];
  return first.type === 'key' || first.type === 'string' ? [first, second] : undefined;
}

/** `TOKEN numx item [item ...]`: a block of a `num...` integer and the `multiple` it counts. */
function countedItems(arg: ModelArgument): ModelArgument | undefined {
  const members = arg.arguments ?? [];
  if (arg.type !== 'block' || arg.multiple || members.length !== 2) return undefined;
  const [count, items] = members as [ModelArgument, ModelArgument];
  if (count.type !== 'integer' || !/^num/.test(count.name) || count.optional || count.token !== undefined)
    return undefined;
  return items.multiple && !items.optional && items.token === undefined ? items : undefined;
}

/** A oneof the caller writes as its tokens: every choice a word token, alone or before one value. */
function isLiftable(arg: ModelArgument): boolean {
  const choices = arg.arguments ?? [];
  return (
    arg.type === 'oneof' &&
    arg.optional === true &&
    !arg.multiple &&
    arg.token === undefined &&
    choices.length > 0 &&
    choices.every(
      (c) =>
        isWordToken(c.token) &&
        !c.multiple &&
        (c.type === 'pure-token' || (isPlain(c) && !c.optional)) &&
        c.arguments === undefined,
    )
  );
}

/** An optional untokened single block whose members can be keys of the enclosing object. */
function isGroup(arg: ModelArgument): boolean {
  return arg.type === 'block' && arg.optional === true && !arg.multiple && arg.token === undefined;
}

/** The node of one occurrence of `arg` (ignoring `multiple`), its token included. */
function occurrence(command: string, arg: ModelArgument): WireNode {
  const token = arg.token;
  if (isTokenOnly(arg)) return { kind: 'tokens', tokens: tokensOf(arg) };
  if (isPlain(arg)) {
    const node: WireNode = { kind: 'value', value: valueKind(arg), acceptsString: arg.accepts === 'string' };
    return token === undefined ? node : { ...node, token };
  }
  if (arg.type === 'block') {
    const items = countedItems(arg);
    if (items !== undefined) {
      const node: WireNode = { kind: 'counted', items: nodeOf(command, items, false) };
      return token === undefined ? node : { ...node, token };
    }
    const node: WireNode = { kind: 'block', members: membersOf(command, arg.arguments ?? [], false) };
    return token === undefined ? node : { ...node, token };
  }
  const choices = arg.arguments ?? [];
  const untokenedPlain = choices.filter((c) => c.token === undefined && !c.multiple && isPlain(c));
  const alternatives = choices.map((c): Alternative => {
    if (isTokenOnly(c)) return { kind: 'literal', tokens: tokensOf(c) };
    if (untokenedPlain.length === 1 && untokenedPlain[0] === c) {
      return { kind: 'bare', node: nodeOf(command, c, false) as WireNode & { kind: 'value' } };
    }
    const key = c.token ?? propertyName(c.name);
    return { kind: 'keyed', key, node: nodeOf(command, c, false) };
  });
  const node: WireNode = { kind: 'choice', alternatives, argument: arg.name };
  return token === undefined ? node : { ...node, token };
}

/** The node of `arg` as the caller gives it (`multiple` included). */
function nodeOf(command: string, arg: ModelArgument, rest: boolean): WireNode {
  if (!arg.multiple) return occurrence(command, arg);
  const pairs = pairsOf(arg);
  if (pairs !== undefined) {
    const [first, second] = pairs;
    const node: WireNode = {
      kind: 'pairs',
      first: { key: propertyName(first.name), value: valueKind(first) },
      second: { key: propertyName(second.name), value: valueKind(second) },
    };
    return arg.token === undefined ? node : { ...node, token: arg.token };
  }
  const eachToken = arg.multiple_token === true;
  const item = occurrence(command, { ...arg, multiple: false, token: eachToken ? arg.token : undefined });
  const node: WireNode = {
    kind: 'repeat',
    tokenEach: eachToken,
    item,
    lone: !rest && item.kind === 'value',
  };
  return arg.token === undefined || eachToken ? node : { ...node, token: arg.token };
}

function keysOfMembers(members: readonly Member[]): string[] {
  return members.flatMap((m) =>
    m.kind === 'field'
      ? [m.key]
      : m.kind === 'exclusive'
        ? m.choices.map((c) => c.key)
        : m.kind === 'group'
          ? keysOfMembers(m.members)
          : [],
  );
}

/** Every key a member adds to its object. */
export function keysOf(member: Member): string[] {
  return keysOfMembers([member]);
}

/**
 * Members of an object in spec order. `topLevel`: the options object (its arrays get plural keys);
 * `inGroup`: a lifted group, where a required token is a flag the caller sets (XINFO STREAM's FULL).
 */
function membersOf(
  command: string,
  args: readonly ModelArgument[],
  topLevel: boolean,
  inGroup = false,
): Member[] {
  const members = args.map((arg): Member => memberOf(command, arg, topLevel, inGroup));
  // A group whose keys a sibling also has (a merged spec may hold two spellings of one block:
  // Redis's `[start end [unit]]` beside Valkey's `[start [end [unit]]]`) stays an object of its own.
  const unclashed = members.map((m, i): Member => {
    if (m.kind !== 'group') return m;
    const others = new Set(keysOfMembers(members.filter((_, j) => j !== i)));
    if (!keysOf(m).some((k) => others.has(k))) return m;
    const node: WireNode = { kind: 'block', members: membersOf(command, m.arg.arguments ?? [], false) };
    return { kind: 'field', key: memberKey(m.arg, topLevel), optional: true, node, arg: m.arg };
  });
  const keys = keysOfMembers(unclashed);
  const clash = keys.find((k, i) => keys.indexOf(k) !== i);
  if (clash !== undefined) throw new ModelError(`${command}: two keys named '${clash}' in one object`);
  return unclashed;
}

function memberOf(command: string, arg: ModelArgument, topLevel: boolean, inGroup: boolean): Member {
  const tokenOnly = isTokenOnly(arg);
  if (!arg.optional && tokenOnly && !inGroup) return { kind: 'tokens', tokens: tokensOf(arg) };
  if (isLiftable(arg)) {
    return {
      kind: 'exclusive',
      arg,
      choices: (arg.arguments ?? []).map((c): ExclusiveChoice => {
        const token = c.token ?? c.name;
        return {
          key: token,
          node:
            c.type === 'pure-token'
              ? { kind: 'flag', tokens: [token] }
              : { kind: 'value', value: valueKind(c), acceptsString: c.accepts === 'string', token },
          arg: c,
        };
      }),
    };
  }
  if (isGroup(arg) && countedItems(arg) === undefined) {
    return { kind: 'group', arg, members: membersOf(command, arg.arguments ?? [], topLevel, true) };
  }
  const node: WireNode = tokenOnly ? { kind: 'flag', tokens: tokensOf(arg) } : nodeOf(command, arg, false);
  return { kind: 'field', key: memberKey(arg, topLevel), optional: arg.optional === true, node, arg };
}

/**
 * The plan of a command's arguments. `counts` maps a count argument's index to the index of the
 * key argument it counts (key-counts.ts): such a count is no parameter.
 */
export function planArguments(
  command: string,
  args: readonly ModelArgument[],
  counts: ReadonlyMap<number, number> = new Map(),
): WirePlan {
  const steps: Step[] = [];
  const names = new Set<string>();
  const lastRequired = [...args.keys()]
    .filter((i) => !args[i]?.optional && !isTokenOnly(args[i] as ModelArgument) && !counts.has(i))
    .pop();
  const hasOptions = args.some((a, i) => a.optional && !counts.has(i));
  for (const [index, arg] of args.entries()) {
    const counted = counts.get(index);
    const key = counted === undefined ? undefined : args[counted];
    if (key !== undefined) {
      const of = key.optional
        ? { option: memberKey(key, true) }
        : { param: paramName(key), rest: counted === lastRequired && !hasOptions && isPlain(key) };
      steps.push(
        arg.token === undefined ? { kind: 'keyCount', of } : { kind: 'keyCount', token: arg.token, of },
      );
    } else if (arg.optional) {
      steps.push({ kind: 'option', member: memberOf(command, arg, true, false) });
    } else if (isTokenOnly(arg)) {
      steps.push({ kind: 'tokens', tokens: tokensOf(arg) });
    } else {
      const name = paramName(arg);
      if (name === 'options' || names.has(name))
        throw new ModelError(`${command}: two parameters named '${name}'`);
      names.add(name);
      const rest =
        index === lastRequired &&
        !hasOptions &&
        arg.multiple === true &&
        isPlain(arg) &&
        pairsOf(arg) === undefined;
      steps.push({ kind: 'param', name, node: nodeOf(command, arg, rest), rest, arg });
    }
  }
  const optionKeys = steps.flatMap((s) => (s.kind === 'option' ? keysOf(s.member) : []));
  const clash = optionKeys.find((k, i) => optionKeys.indexOf(k) !== i);
  if (clash !== undefined) throw new ModelError(`${command}: two options named '${clash}'`);
  return { command, steps };
}

/** A positional parameter's name: plural for an array; `arguments` cannot name a parameter. */
function paramName(arg: ModelArgument): string {
  const name = parameterName(arg.name);
  if (!arg.multiple || pairsOf(arg) !== undefined) return name;
  const many = plural(name);
  return many === 'arguments' ? 'argumentList' : many;
}
