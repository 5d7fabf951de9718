// The one printer of wire plans: a WirePlan → the statements of a generated method body. Every
// value is checked where it is read, against what its plan node accepts; a bad one returns the
// host's rejection (`this.rejectCommand`) with a TypeError naming the command, the parameter, what
// was expected and what was given, so a method never throws synchronously. The statements are
// straight-line: no helper walks a plan at run time.
import { quote } from '../naming.js';
import type { Alternative, Member, PairMember, Step, ValueKind, WireNode, WirePlan } from './wire-plan.js';
import { keysOf } from './wire-plan.js';
import { tokenTest } from './type-text.js';

/** Local names in generated bodies contain `_`, which camelCase spec names never do, so they cannot collide. */
export const WIRE = 'args_';
export const OPTIONS = 'options';

interface Ctx {
  command: string;
  info: string;
  n: number;
}

function local(ctx: Ctx, prefix: string): string {
  return `${prefix}_${ctx.n++}`;
}

const GUARD: Record<ValueKind, string> = {
  key: 'isKey',
  value: 'isValue',
  pattern: 'isKey',
  integer: 'isInteger',
  double: 'isDouble',
};

const EXPECTED: Record<ValueKind, string> = {
  key: 'a string or Buffer',
  value: 'a string, Buffer or number',
  pattern: 'a string or Buffer',
  integer: 'an integer',
  double: 'a number or a numeric string',
};

function guardOf(node: { value: ValueKind; acceptsString: boolean }): string {
  return node.value === 'integer' && node.acceptsString ? 'isIntegerOrString' : GUARD[node.value];
}

function expectedValue(node: { value: ValueKind; acceptsString: boolean }): string {
  return node.value === 'integer' && node.acceptsString ? 'an integer or a string' : EXPECTED[node.value];
}

/** What a node accepts, in words, for error messages. */
export function expected(node: WireNode): string {
  switch (node.kind) {
    case 'tokens':
      return node.tokens.join(' ');
    case 'flag':
      return 'a boolean';
    case 'value':
      return expectedValue(node);
    case 'repeat':
      return node.lone ? `${expected(node.item)}, or an array of them` : `an array of ${expected(node.item)}`;
    case 'pairs':
      return `an object, a Map or an array of { ${node.first.key}, ${node.second.key} }`;
    case 'block':
      return 'an object';
    case 'counted':
      return expected(node.items);
    case 'choice':
      return `one of ${node.alternatives.map(alternativeText).join(', ')}`;
  }
}

function alternativeText(alt: Alternative): string {
  if (alt.kind === 'literal') return quote(alt.tokens.join(' '));
  if (alt.kind === 'bare') return expected(alt.node);
  return `{ ${alt.key} }`;
}

function reject(ctx: Ctx, label: string, what: string, got: string): string {
  return `return this.rejectCommand(${ctx.info}, invalidArgument(${quote(ctx.command)}, ${quote(label)}, ${quote(what)}, ${got}));`;
}

function push(values: readonly string[], ind: string): string {
  return `${ind}${WIRE}.push(${values.join(', ')});`;
}

function tokens(words: readonly string[]): string[] {
  return words.map(quote);
}

function withToken(token: string | undefined, value: string): string[] {
  return token === undefined ? [value] : [quote(token), value];
}

/** Statements that check `expr` (a name or property path TypeScript can narrow) and send it. */
function printNode(node: WireNode, expr: string, label: string, ind: string, ctx: Ctx): string[] {
  switch (node.kind) {
    case 'tokens':
      return [push(tokens(node.tokens), ind)];
    case 'flag':
      return [
        `${ind}if (${expr} === true) {`,
        push(tokens(node.tokens), `${ind}  `),
        `${ind}} else if (${expr} !== undefined && ${expr} !== false) {`,
        `${ind}  ${reject(ctx, label, 'a boolean', expr)}`,
        `${ind}}`,
      ];
    case 'value':
      return [
        `${ind}if (!${guardOf(node)}(${expr})) ${reject(ctx, label, expectedValue(node), expr)}`,
        push(withToken(node.token, node.value === 'double' ? `doubleArgument(${expr})` : expr), ind),
      ];
    case 'repeat':
      return printRepeat(node, expr, label, ind, ctx);
    case 'pairs':
      return printPairs(node, expr, label, ind, ctx);
    case 'block':
      return [
        `${ind}if (!isObject(${expr})) ${reject(ctx, label, 'an object', expr)}`,
        ...(node.token === undefined ? [] : [push([quote(node.token)], ind)]),
        ...printMembers(node.members, expr, false, label, ind, ctx),
      ];
    case 'counted': {
      const count = node.items.kind === 'pairs' ? `entryCount(${expr})` : `countOf(${expr})`;
      return [
        ...(node.token === undefined ? [] : [push([quote(node.token)], ind)]),
        push([count], ind),
        ...printNode(node.items, expr, label, ind, ctx),
      ];
    }
    case 'choice':
      return printChoice(node, expr, label, ind, ctx);
  }
}

function printRepeat(
  node: WireNode & { kind: 'repeat' },
  expr: string,
  label: string,
  ind: string,
  ctx: Ctx,
): string[] {
  const item = local(ctx, 'item');
  const head = node.token === undefined ? [] : [push([quote(node.token)], ind)];
  const loop = [
    `${ind}  for (const ${item} of ${expr}) {`,
    ...printNode(node.item, item, label, `${ind}    `, ctx),
    `${ind}  }`,
  ];
  if (!node.lone) {
    return [
      `${ind}if (!isList(${expr})) ${reject(ctx, label, expected(node), expr)}`,
      ...head,
      ...loop.map((l) => l.slice(2)),
    ];
  }
  return [
    ...head,
    `${ind}if (isList(${expr})) {`,
    ...loop,
    `${ind}} else {`,
    ...printNode(node.item, expr, label, `${ind}  `, ctx),
    `${ind}}`,
  ];
}

/** A rest parameter: each given value is one item, or an array of items. */
function printRest(node: WireNode, expr: string, label: string, ind: string, ctx: Ctx): string[] {
  if (node.kind !== 'repeat') return printNode(node, expr, label, ind, ctx);
  const given = local(ctx, 'given');
  const item = local(ctx, 'item');
  return [
    ...(node.token === undefined ? [] : [push([quote(node.token)], ind)]),
    `${ind}for (const ${given} of ${expr}) {`,
    `${ind}  if (isList(${given})) {`,
    `${ind}    for (const ${item} of ${given}) {`,
    ...printNode(node.item, item, label, `${ind}      `, ctx),
    `${ind}    }`,
    `${ind}  } else {`,
    ...printNode(node.item, given, label, `${ind}    `, ctx),
    `${ind}  }`,
    `${ind}}`,
  ];
}

function printPair(
  first: PairMember,
  second: PairMember,
  name: string,
  value: string,
  label: string,
  what: string,
  ind: string,
  ctx: Ctx,
): string[] {
  const check = (m: PairMember, e: string): string =>
    `${ind}if (!${GUARD[m.value]}(${e})) ${reject(ctx, label, what, e)}`;
  return [
    check(first, name),
    check(second, value),
    push([name, second.value === 'double' ? `doubleArgument(${value})` : value], ind),
  ];
}

function printPairs(
  node: WireNode & { kind: 'pairs' },
  expr: string,
  label: string,
  ind: string,
  ctx: Ctx,
): string[] {
  const what = expected(node);
  const entry = local(ctx, 'entry');
  const name = local(ctx, 'name');
  const value = local(ctx, 'value');
  const { first, second } = node;
  const deeper = `${ind}    `;
  return [
    ...(node.token === undefined ? [] : [push([quote(node.token)], ind)]),
    `${ind}if (isList(${expr})) {`,
    `${ind}  for (const ${entry} of ${expr}) {`,
    `${deeper}if (!isObject(${entry})) ${reject(ctx, label, what, entry)}`,
    ...printPair(first, second, `${entry}.${first.key}`, `${entry}.${second.key}`, label, what, deeper, ctx),
    `${ind}  }`,
    `${ind}} else if (isMap(${expr})) {`,
    `${ind}  for (const [${name}, ${value}] of ${expr}) {`,
    ...printPair(first, second, name, value, label, what, deeper, ctx),
    `${ind}  }`,
    `${ind}} else if (isObject(${expr})) {`,
    `${ind}  for (const ${name} of Object.keys(${expr})) {`,
    `${deeper}const ${value} = ${expr}[${name}];`,
    ...printPair(first, second, name, value, label, what, deeper, ctx),
    `${ind}  }`,
    `${ind}} else {`,
    `${ind}  ${reject(ctx, label, what, expr)}`,
    `${ind}}`,
  ];
}

function printChoice(
  node: WireNode & { kind: 'choice' },
  expr: string,
  label: string,
  ind: string,
  ctx: Ctx,
): string[] {
  const lines = node.token === undefined ? [] : [push([quote(node.token)], ind)];
  // Literals first, then the bare value, then keyed objects: each test only matches its own kind.
  const ordered = [
    ...node.alternatives.filter((a) => a.kind === 'literal'),
    ...node.alternatives.filter((a) => a.kind === 'bare'),
    ...node.alternatives.filter((a) => a.kind === 'keyed'),
  ];
  ordered.forEach((alt, i) => {
    const open = i === 0 ? `${ind}if (` : `${ind}} else if (`;
    if (alt.kind === 'literal') {
      lines.push(`${open}${tokenTest(expr, alt.tokens.join(' '))}) {`, push(tokens(alt.tokens), `${ind}  `));
    } else if (alt.kind === 'bare') {
      const test = alt.node.kind === 'value' ? `${guardOf(alt.node)}(${expr})` : `isList(${expr})`;
      lines.push(`${open}${test}) {`, ...printNode(alt.node, expr, label, `${ind}  `, ctx));
    } else {
      const at = `${expr}[${quote(alt.key)}]`;
      lines.push(
        `${open}isObject(${expr}) && ${at} !== undefined) {`,
        ...printNode(alt.node, at, `${label}.${alt.key}`, `${ind}  `, ctx),
      );
    }
  });
  lines.push(`${ind}} else {`, `${ind}  ${reject(ctx, label, expected(node), expr)}`, `${ind}}`);
  return lines;
}

function access(object: string, key: string, maybeUndefined: boolean): string {
  const dot = maybeUndefined ? '?.' : '.';
  return /^[A-Za-z_$][\w$]*$/.test(key)
    ? `${object}${dot}${key}`
    : `${object}${maybeUndefined ? '?.' : ''}[${quote(key)}]`;
}

function join(label: string, key: string): string {
  return label === '' ? key : `${label}.${key}`;
}

/** `given` test of an exclusive choice: a flag counts only when it is set. */
function isGiven(node: WireNode, expr: string): string {
  return node.kind === 'flag' ? `(${expr} !== undefined && ${expr} !== false)` : `${expr} !== undefined`;
}

/** Members read from `object` (possibly undefined: the options object), sent in spec order. */
function printMembers(
  members: readonly Member[],
  object: string,
  maybeUndefined: boolean,
  label: string,
  ind: string,
  ctx: Ctx,
): string[] {
  const lines: string[] = [];
  for (const member of members) {
    switch (member.kind) {
      case 'tokens':
        lines.push(push(tokens(member.tokens), ind));
        break;
      case 'field': {
        const v = local(ctx, 'value');
        const name = join(label, member.key);
        lines.push(`${ind}const ${v} = ${access(object, member.key, maybeUndefined)};`);
        if (member.node.kind === 'flag') {
          if (!member.optional) lines.push(`${ind}if (${v} !== true) ${reject(ctx, name, 'true', v)}`);
          lines.push(...printNode(member.node, v, name, ind, ctx));
        } else if (member.optional) {
          lines.push(
            `${ind}if (${v} !== undefined) {`,
            ...printNode(member.node, v, name, `${ind}  `, ctx),
            `${ind}}`,
          );
        } else {
          lines.push(...printNode(member.node, v, name, ind, ctx));
        }
        break;
      }
      case 'exclusive': {
        const values = member.choices.map((c) => {
          const v = local(ctx, 'choice');
          lines.push(`${ind}const ${v} = ${access(object, c.key, maybeUndefined)};`);
          return v;
        });
        const given = member.choices.map((c, i) => isGiven(c.node, values[i] as string));
        const keys = member.choices.map((c) => c.key);
        lines.push(
          `${ind}if (${given.map((g) => `(${g} ? 1 : 0)`).join(' + ')} > 1) ${reject(
            ctx,
            join(label, keys.join('|')),
            `at most one of ${keys.join(', ')}`,
            object,
          )}`,
        );
        member.choices.forEach((c, i) => {
          const v = values[i] as string;
          const name = join(label, c.key);
          lines.push(`${ind}${i === 0 ? '' : '} else '}if (${given[i] as string}) {`);
          // A given flag is set unless it is not a boolean at all.
          if (c.node.kind === 'flag')
            lines.push(
              `${ind}  if (${v} !== true) ${reject(ctx, name, 'a boolean', v)}`,
              push(tokens(c.node.tokens), `${ind}  `),
            );
          else lines.push(...printNode(c.node, v, name, `${ind}  `, ctx));
        });
        lines.push(`${ind}}`);
        break;
      }
      case 'group': {
        const present = keysOf(member)
          .map((k) => `${access(object, k, maybeUndefined)} !== undefined`)
          .join(' || ');
        lines.push(
          `${ind}if (${present}) {`,
          ...printMembers(member.members, object, maybeUndefined, label, `${ind}  `, ctx),
          `${ind}}`,
        );
        break;
      }
    }
  }
  return lines;
}

/** The wire value of a derived key count: how many keys the counted argument sends. */
function keyCount(step: Step & { kind: 'keyCount' }): string {
  if (!('param' in step.of)) return `countOf(${access(OPTIONS, step.of.option, true)})`;
  return step.of.rest ? `restCount(${step.of.param})` : `countOf(${step.of.param})`;
}

function printStep(step: Step, ind: string, ctx: Ctx): string[] {
  switch (step.kind) {
    case 'tokens':
      return [push(tokens(step.tokens), ind)];
    case 'param':
      return step.rest
        ? printRest(step.node, step.name, step.name, ind, ctx)
        : printNode(step.node, step.name, step.name, ind, ctx);
    case 'option':
      return printMembers([step.member], OPTIONS, true, '', ind, ctx);
    case 'keyCount':
      return [push(withToken(step.token, keyCount(step)), ind)];
  }
}

/** Every key of the options object, in declaration order (for the unknown-key check). */
export function optionKeys(plan: WirePlan): string[] {
  return plan.steps.flatMap((s) => (s.kind === 'option' ? keysOf(s.member) : []));
}

/**
 * The body of a generated method up to (not including) its `return this.executeCommand(...)`.
 * `knownKeys` names the module-level Set of the options' keys (see optionKeys).
 */
export function printWire(plan: WirePlan, info: string, knownKeys?: string): string[] {
  const ctx: Ctx = { command: plan.command, info, n: 0 };
  // The name, the leading constant tokens and plain parameters are the array literal, checked
  // first: `['GET', key]`, `['CLIENT', 'KILL', 'ID']` (the hot path of the simple commands).
  const initial = plan.command.split(' ').map(quote);
  const checks: string[] = [];
  let at = 0;
  for (let step = plan.steps[at]; step !== undefined; step = plan.steps[++at]) {
    if (step.kind === 'tokens') initial.push(...tokens(step.tokens));
    else if (step.kind === 'keyCount') initial.push(...withToken(step.token, keyCount(step)));
    else if (step.kind === 'param' && !step.rest && step.node.kind === 'value') {
      const node = step.node;
      checks.push(
        `if (!${guardOf(node)}(${step.name})) ${reject(ctx, step.name, expectedValue(node), step.name)}`,
      );
      initial.push(
        ...withToken(node.token, node.value === 'double' ? `doubleArgument(${step.name})` : step.name),
      );
    } else break;
  }
  const lines = [...checks];
  if (plan.steps.some((s) => s.kind === 'option')) {
    lines.push(`if (!isOptions(${OPTIONS})) ${reject(ctx, OPTIONS, 'an object', OPTIONS)}`);
    if (knownKeys !== undefined) {
      lines.push(
        `const unknown_ = ${OPTIONS} === undefined ? undefined : unknownKey(${OPTIONS}, ${knownKeys});`,
        `if (unknown_ !== undefined) return this.rejectCommand(${info}, unknownOption(${quote(plan.command)}, unknown_, ${knownKeys}));`,
      );
    }
  }
  // Through wireArgs, not a literal: see its comment (allocation sites and V8's pretenuring).
  lines.push(`const ${WIRE}: RedisArgument[] = wireArgs(${initial.join(', ')});`);
  for (const step of plan.steps.slice(at)) lines.push(...printStep(step, '', ctx));
  return lines;
}
