// buildModel: validated spec + overrides → the plain-data model every template renders. Decides
// which commands get methods (every command and subcommand; containers such as CLIENT only through
// their subcommands unless callable alone; exclusions only by override), names, signatures, bodies, replies and shapes.
import { ModelError } from './model-error.js';
import {
  groupFileName,
  groupInterfaceName,
  groupMixinName,
  methodName,
  optionsTypeName,
  quote,
  replyTypeName,
} from '../naming.js';
import { fullName as fullNameOf } from '../validate.js';
import type { LoadedSpecFile, Override, SpecCommand, SpecSource } from '../spec-types.js';
import { flattenSingleBlocks, widenArguments } from './arguments.js';
import { implementationParams, optionsDeclaration, paramDocs, paramsText } from './plan-types.js';
import { optionKeys, printWire, WIRE } from './print-wire.js';
import { planArguments } from './wire-plan.js';
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
  const plan = planArguments(name, specArgs, derivedKeyCounts(name, command));
  const declarations: Declaration[] = [];
  let optionsType: string | undefined;
  let options: CommandModel['options'] = [];
  const declared = optionsDeclaration(plan, optionsTypeName(method));
  if (declared !== undefined) {
    optionsType = optionsTypeName(method);
    options = declared.fields;
    declarations.push({ docs: [`Optional arguments of ${name}.`], lines: declared.lines });
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
    if (optionsType === undefined) throw new ModelError(`${name}: reply variants need optional arguments`);
    const absent: string[] = [];
    const union: string[] = [replyName];
    const tests: string[] = [];
    for (const [i, variant] of variants.entries()) {
      const variantPlan = planVariant(name, plan, variant);
      const last = variant.when.split('.').pop() ?? variant.when;
      const variantName = replyTypeName(
        method,
        variant.name ?? `${last}${variant.equals === undefined ? '' : ` ${variant.equals}`}`,
      );
      const variantShape = `${constName(`${name} ${variant.name ?? last} ${variant.equals ?? ''}`.trim())}_REPLY`;
      if (!sharedVariant(name, variants.slice(0, i), variant)) {
        if (union.includes(variantName))
          throw new ModelError(`${name}: two reply variants named ${variantName}`);
        union.push(variantName);
        const own = variantReply(name, variants, variant, variantName);
        declarations.push(...own.declarations);
        shapes.push(`const ${variantShape}: ReplyShape = ${own.shape};`);
      }
      tests.push(`${variantPlan.test} ? ${variantShape} : `);
      signatures.push({
        params: paramsText(plan, `${optionsType} & ${variantPlan.given}`, false),
        reply: variantName,
      });
      absent.push(variantPlan.absent);
    }
    signatures.push({ params: paramsText(plan, [optionsType, ...absent].join(' & ')), reply: replyName });
    signatures.push({ params: paramsText(plan, optionsType), reply: union.join(' | ') });
    shapeExpr = `${tests.join('')}${shapeName}`;
  } else {
    signatures.push({ params: paramsText(plan, optionsType), reply: replyName });
  }
  if (override?.genericReply === true) genericReply(name, signatures, variants.length > 0);
  const info = `COMMAND_TABLE${/^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${quote(name)}]`}`;
  // The keys the options object may have, so a misspelt one is refused rather than ignored.
  const keys = optionKeys(plan);
  const keysName = keys.length === 0 ? undefined : `${constName(name)}_OPTIONS`;
  if (keysName !== undefined)
    shapes.push(`const ${keysName}: ReadonlySet<string> = new Set([${keys.map(quote).join(', ')}]);`);
  const body = printWire(plan, info, keysName);
  body.push(`return this.executeCommand(${info}, ${WIRE}, ${shapeExpr});`);
  return {
    name,
    method,
    docs: [...commandDocs(name, command, remarks, servers), ...paramDocs(plan, optionsType !== undefined)],
    declarations,
    signatures,
    options,
    implementationParams: implementationParams(plan, optionsType !== undefined),
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
    if (clash !== undefined)
      throw new ModelError(`${name} and ${clash} both map to method '${model.method}'`);
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
