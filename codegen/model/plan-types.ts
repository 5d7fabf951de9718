// Type text of a wire plan: what the caller may write for each node, the positional parameters and
// the options type (an interface, or an intersection with the exclusive unions of lifted oneofs),
// each key with its documentation from the spec.
import { propertyKey } from '../naming.js';
import { displayOf, docsOf, type ModelArgument } from './arguments.js';
import { docText } from './docs.js';
import { expected } from './print-wire.js';
import { arrayOf, tokenLiteralType, union } from './type-text.js';
import type { ExclusiveChoice, Member, Step, ValueKind, WireNode, WirePlan } from './wire-plan.js';

function valueType(kind: ValueKind, acceptsString: boolean): string {
  switch (kind) {
    case 'key':
    case 'pattern':
      return 'RedisKey';
    case 'value':
      return 'RedisValue';
    case 'integer':
      return acceptsString ? 'number | bigint | string' : 'number | bigint';
    case 'double':
      return 'number | string';
  }
}

function readonlyArray(type: string): string {
  return `readonly ${arrayOf(type)}`;
}

/** The type a caller writes for `node`. */
export function nodeType(node: WireNode): string {
  switch (node.kind) {
    case 'tokens':
      return tokenLiteralType(node.tokens.join(' '));
    case 'flag':
      return 'boolean';
    case 'value':
      return valueType(node.value, node.acceptsString);
    case 'repeat': {
      const item = nodeType(node.item);
      return node.lone ? `${item} | ${readonlyArray(item)}` : readonlyArray(item);
    }
    case 'pairs': {
      const first = valueType(node.first.value, false);
      const second = valueType(node.second.value, false);
      return `Readonly<Record<string, ${second}>> | ReadonlyMap<${first}, ${second}> | readonly { ${node.first.key}: ${first}; ${node.second.key}: ${second} }[]`;
    }
    case 'block':
      return objectType(node.members, false);
    case 'counted':
      return nodeType(node.items);
    case 'choice':
      return union(
        node.alternatives.map((a) =>
          a.kind === 'literal'
            ? tokenLiteralType(a.tokens.join(' '))
            : a.kind === 'bare'
              ? nodeType(a.node)
              : `{ ${propertyKey(a.key)}: ${nodeType(a.node)} }`,
        ),
      );
  }
}

interface Field {
  key: string;
  optional: boolean;
  type: string;
  docs: string[];
}

/** Keys of an object's plain members (groups flattened: all their keys optional) and its exclusives. */
function collect(
  members: readonly Member[],
  inGroup: boolean,
): { fields: Field[]; exclusives: ExclusiveChoice[][] } {
  const fields: Field[] = [];
  const exclusives: ExclusiveChoice[][] = [];
  for (const m of members) {
    if (m.kind === 'field') {
      fields.push({
        key: m.key,
        optional: m.optional || inGroup,
        type: nodeType(m.node),
        docs: docsOf(m.arg),
      });
    } else if (m.kind === 'exclusive') {
      exclusives.push(m.choices);
    } else if (m.kind === 'group') {
      const inner = collect(m.members, true);
      fields.push(...inner.fields);
      exclusives.push(...inner.exclusives);
    }
  }
  return { fields, exclusives };
}

function choiceType(choice: ExclusiveChoice): string {
  return choice.node.kind === 'flag' ? 'boolean' : valueType(choice.node.value, choice.node.acceptsString);
}

/** `{ EX: T; PX?: never; ... } | ... | { EX?: never; PX?: never; ... }`: at most one key. */
function exclusiveType(choices: readonly ExclusiveChoice[], multiline: boolean): string {
  const member = (chosen: ExclusiveChoice | undefined): string => {
    const keys = choices.map((c) =>
      c === chosen
        ? `${docBlock(docsOf(c.arg), multiline)}${propertyKey(c.key)}: ${choiceType(c)}`
        : `${propertyKey(c.key)}?: never`,
    );
    return `{ ${keys.join('; ')} }`;
  };
  return `(${[...choices.map(member), member(undefined)].join(' | ')})`;
}

function docBlock(docs: readonly string[], multiline: boolean): string {
  if (!multiline || docs.length === 0) return '';
  return `/** ${docs.map(docText).join(' ')} */ `;
}

/** An object type for block members (inline, no docs). */
function objectType(members: readonly Member[], inGroup: boolean): string {
  const { fields, exclusives } = collect(members, inGroup);
  const plain = `{ ${fields.map((f) => `${propertyKey(f.key)}${f.optional ? '?' : ''}: ${f.type}`).join('; ')} }`;
  return exclusives.length === 0
    ? plain
    : [plain, ...exclusives.map((e) => exclusiveType(e, false))].join(' & ');
}

export interface OptionsDeclaration {
  lines: string[];
  /** Key → type text, for the API report. */
  fields: { key: string; type: string }[];
}

/** The options type of a plan, or undefined when the command has no optional argument. */
export function optionsDeclaration(plan: WirePlan, typeName: string): OptionsDeclaration | undefined {
  const members = plan.steps.flatMap((s) => (s.kind === 'option' ? [s.member] : []));
  if (members.length === 0) return undefined;
  const { fields, exclusives } = collect(members, true);
  const body: string[] = [];
  for (const f of fields) {
    body.push(
      `/**`,
      ...f.docs.map((d) => ` * ${d.replace(/\*\//g, '*\\/')}`),
      ` */`,
      `${propertyKey(f.key)}?: ${f.type};`,
    );
  }
  const report = [
    ...fields.map((f) => ({ key: f.key, type: f.type })),
    ...exclusives.flat().map((c) => ({ key: c.key, type: choiceType(c) })),
  ];
  if (exclusives.length === 0)
    return { lines: [`export interface ${typeName} {`, ...body, '}'], fields: report };
  const alternatives = exclusives.map((e) => exclusiveType(e, true));
  return {
    lines: [`export type ${typeName} = {`, ...body, `} & ${alternatives.join(' & ')};`],
    fields: report,
  };
}

/** Positional parameters as text (`key: RedisKey, ...elements: ...`) and their docs. */
export function paramsText(plan: WirePlan, optionsType: string | undefined, optional = true): string {
  const parts = plan.steps.flatMap((s: Step) => {
    if (s.kind !== 'param') return [];
    if (!s.rest) return [`${s.name}: ${nodeType(s.node)}`];
    const item = s.node.kind === 'repeat' ? nodeType(s.node.item) : nodeType(s.node);
    return [`...${s.name}: (${item} | ${readonlyArray(item)})[]`];
  });
  if (optionsType !== undefined) parts.push(`options${optional ? '?' : ''}: ${optionsType}`);
  return parts.join(', ');
}

/** The implementation's parameters: everything `unknown`, checked by the body. */
export function implementationParams(plan: WirePlan, hasOptions: boolean): string {
  const parts = plan.steps.flatMap((s) =>
    s.kind !== 'param' ? [] : [s.rest ? `...${s.name}: unknown[]` : `${s.name}: unknown`],
  );
  if (hasOptions) parts.push('options?: unknown');
  return parts.join(', ');
}

/** One line of prose for a `@param` tag (no inline tags: `@since` would start a new one). */
function paramText(arg: ModelArgument, node: WireNode): string {
  const parts: string[] = [];
  if (arg.summary !== undefined) parts.push(docText(arg.summary).replace(/\.?$/, '.'));
  parts.push(`Wire: \`${displayOf(arg)}\`; takes ${expected(node)}.`);
  if (arg.since !== undefined) parts.push(`Since ${arg.since}.`);
  if (arg.deprecated_since !== undefined) parts.push(`Deprecated since ${arg.deprecated_since}.`);
  return parts.join(' ');
}

/** `@param` lines of the positional parameters and the options object. */
export function paramDocs(plan: WirePlan, hasOptions: boolean): string[] {
  const lines = plan.steps.flatMap((s) =>
    s.kind === 'param' ? [`@param ${s.name} - ${paramText(s.arg, s.node)}`] : [],
  );
  if (hasOptions) lines.push('@param options - The optional arguments (see each key).');
  return lines;
}
