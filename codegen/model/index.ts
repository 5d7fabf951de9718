// buildModel: validated spec + overrides → the plain-data model every template renders. Decides
// which commands get methods (every command and subcommand; containers such as CLIENT only through
// their subcommands unless callable alone; exclusions only by override), names, signatures, bodies, replies and shapes.
import {
  groupFileName,
  groupInterfaceName,
  groupMixinName,
  methodName,
  optionsTypeName,
  propertyKey,
  quote,
  replyTypeName,
} from '../naming.js';
import { fullName as fullNameOf } from '../validate.js';
import type { LoadedSpecFile, Override, SpecCommand, SpecSource } from '../spec-types.js';
import {
  buildArguments,
  flattenSingleBlocks,
  OPTIONS,
  WIRE,
  widenArguments,
  type ArgumentsModel,
} from './arguments.js';
import { commandDocs } from './docs.js';
import { derivedKeyCounts } from './key-counts.js';
import { methodUnions } from './method-unions.js';
import { replyDefs, replyDocs, replyShape, replyType } from './reply.js';
import { constName, policyTypes, tableEntry } from './table.js';
import type { CommandModel, Declaration, GroupModel, Model, Signature } from './types.js';
import { genericReply, planVariant, sharedVariant, variantReply } from './variants.js';

export interface ModelInput {
  files: readonly LoadedSpecFile[];
  overrides: readonly Override[];
  source: Pick<SpecSource, 'server' | 'version'>;
  /** The servers merged into the surface (SOURCE.json `also`), for the header. */
  also?: readonly Pick<SpecSource, 'server' | 'version'>[];
}

const UNTYPED_REMARK =
  'The spec has no reply schema for this command, so its reply is typed `unknown` (returned as decoded).';

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Overrides merged per command (several files may speak of one command, about different facts). */
function overridesByCommand(overrides: readonly Override[]): Map<string, Override> {
  const out = new Map<string, Override>();
  for (const o of overrides) {
    const key = o.command.toUpperCase();
    const prev = out.get(key);
    out.set(key, prev === undefined ? { ...o } : { ...prev, ...o, reason: `${prev.reason}; ${o.reason}` });
  }
  return out;
}

function paramsText(args: ArgumentsModel, optionsType: string | undefined, optional = true): string {
  const parts = args.positional.map((p) => (p.rest ? `...${p.name}: ${p.type}` : `${p.name}: ${p.type}`));
  if (optionsType !== undefined) parts.push(`${OPTIONS}${optional ? '?' : ''}: ${optionsType}`);
  return parts.join(', ');
}

/** Folds the leading unconditional pushes into the array literal: `['GET', key]`. */
function wireBody(name: string, body: string[]): string[] {
  const initial = name.split(' ').map(quote);
  let i = 0;
  for (; i < body.length; i++) {
    const m = new RegExp(`^${WIRE}\\.push\\((.*)\\);$`).exec(body[i] ?? '');
    if (m === null || m[1] === undefined) break;
    initial.push(m[1]);
  }
  return [`const ${WIRE}: RedisArgument[] = [${initial.join(', ')}];`, ...body.slice(i)];
}

function buildCommand(
  name: string,
  command: SpecCommand,
  override: Override | undefined,
  untyped: string[],
  servers: { primary: string; all: number },
): CommandModel {
  const method = override?.method ?? methodName(name);
  const specArgs = widenArguments(
    name,
    flattenSingleBlocks(command.arguments ?? []),
    override?.widenArguments ?? [],
  );
  const args = buildArguments(name, specArgs, derivedKeyCounts(name, command));
  const declarations: Declaration[] = [];
  let optionsType: string | undefined;
  if (args.options.length > 0) {
    optionsType = optionsTypeName(method);
    const lines = [`export interface ${optionsType} {`];
    for (const f of args.options) {
      lines.push(
        `/**`,
        ...f.docs.map((d) => ` * ${d.replace(/\*\//g, '*\\/')}`),
        ` */`,
        `${propertyKey(f.key)}?: ${f.type};`,
      );
    }
    lines.push('}');
    declarations.push({ docs: [`Optional arguments of ${name}.`], lines });
  }
  const schema = override?.reply_schema ?? command.reply_schema;
  const remarks: string[] = [];
  if (schema === undefined) {
    remarks.push(UNTYPED_REMARK);
    untyped.push(name);
  }
  const replyName = replyTypeName(method);
  declarations.push({
    docs: [`Reply of ${name}.`, ...replyDocs(schema, replyName)],
    lines: [`export type ${replyName} = ${replyType(schema, replyName)};`],
  });
  declarations.push(...replyDefs(schema, replyName));
  const shapeName = `${constName(name)}_REPLY`;
  const shapes: string[] = [`const ${shapeName}: ReplyShape = ${replyShape(schema, schema)};`];
  const signatures: Signature[] = [];
  let shapeExpr = shapeName;
  const variants = override?.replyVariants ?? [];
  if (variants.length > 0) {
    if (optionsType === undefined) throw new Error(`${name}: reply variants need optional arguments`);
    const absent: string[] = [];
    const union: string[] = [replyName];
    const tests: string[] = [];
    for (const [i, variant] of variants.entries()) {
      const plan = planVariant(name, specArgs, variant);
      const last = variant.when.split('.').pop() ?? variant.when;
      const variantName = replyTypeName(
        method,
        variant.name ?? `${last}${variant.equals === undefined ? '' : ` ${variant.equals}`}`,
      );
      const variantShape = `${constName(`${name} ${variant.name ?? last} ${variant.equals ?? ''}`.trim())}_REPLY`;
      if (!sharedVariant(name, variants.slice(0, i), variant)) {
        if (union.includes(variantName)) throw new Error(`${name}: two reply variants named ${variantName}`);
        union.push(variantName);
        const own = variantReply(name, variants, variant, variantName);
        declarations.push(...own.declarations);
        shapes.push(`const ${variantShape}: ReplyShape = ${own.shape};`);
      }
      tests.push(`${plan.test} ? ${variantShape} : `);
      signatures.push({
        params: paramsText(args, `${optionsType} & ${plan.given}`, false),
        reply: variantName,
      });
      absent.push(plan.absent);
    }
    signatures.push({ params: paramsText(args, [optionsType, ...absent].join(' & ')), reply: replyName });
    signatures.push({ params: paramsText(args, optionsType), reply: union.join(' | ') });
    shapeExpr = `${tests.join('')}${shapeName}`;
  } else {
    signatures.push({ params: paramsText(args, optionsType), reply: replyName });
  }
  if (override?.genericReply === true) genericReply(name, signatures, variants.length > 0);
  const body = wireBody(name, args.body);
  body.push(
    `return this.executeCommand(COMMAND_TABLE${/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${quote(name)}]`}, ${WIRE}, ${shapeExpr});`,
  );
  return {
    name,
    method,
    docs: commandDocs(name, command, remarks, servers),
    declarations,
    signatures,
    implementationParams: paramsText(args, optionsType),
    body,
    shape: shapes.join('\n'),
  };
}

export function buildModel(input: ModelInput): Model {
  const overrides = overridesByCommand(input.overrides);
  const commands = input.files
    .map((f) => ({ name: fullNameOf(f.name, f.command), command: f.command }))
    .sort((a, b) => byCodeUnit(a.name, b.name));
  const containers = new Set(
    commands.filter((c) => c.command.container !== undefined).map((c) => c.command.container?.toUpperCase()),
  );
  const skipped: Model['skipped'] = [];
  const untypedReplies: string[] = [];
  const groups = new Map<string, CommandModel[]>();
  const methods = new Map<string, string>();
  const withMethods: { method: string; command: SpecCommand }[] = [];
  for (const { name, command } of commands) {
    const override = overrides.get(name.toUpperCase());
    if (override?.exclude === true) {
      skipped.push({ command: name, reason: override.reason });
      continue;
    }
    // A container (CLIENT) is only a prefix of its subcommands unless its arity lets it be sent
    // alone (COMMAND: arity -1), in which case it is a command in its own right.
    if (containers.has(name.toUpperCase()) && command.arity !== 1 && command.arity !== -1) {
      skipped.push({ command: name, reason: 'container command: its subcommands are the methods' });
      continue;
    }
    const servers = { primary: input.source.server, all: 1 + (input.also?.length ?? 0) };
    const model = buildCommand(name, command, override, untypedReplies, servers);
    const clash = methods.get(model.method);
    if (clash !== undefined) throw new Error(`${name} and ${clash} both map to method '${model.method}'`);
    methods.set(model.method, name);
    withMethods.push({ method: model.method, command });
    const list = groups.get(command.group) ?? [];
    list.push(model);
    groups.set(command.group, list);
  }
  const groupModels: GroupModel[] = [...groups.entries()]
    .map(([group, list]) => ({
      group,
      file: groupFileName(group),
      interfaceName: groupInterfaceName(group),
      mixinName: groupMixinName(group),
      commands: list,
    }))
    .sort((a, b) => byCodeUnit(a.file, b.file));
  return {
    header: `// Code generated by codegen from spec/ (${[input.source, ...(input.also ?? [])].map((s) => `${s.server} ${s.version}`).join(', ')}); DO NOT EDIT.`,
    groups: groupModels,
    table: commands.map(({ name, command }) => tableEntry(name, command, overrides.get(name.toUpperCase()))),
    skipped,
    untypedReplies,
    methodUnions: methodUnions(withMethods),
    policyTypes: policyTypes(),
  };
}
