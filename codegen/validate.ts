// Validates a loaded spec: every command file against spec/schema/command.schema.json, overrides and
// SOURCE.json against theirs, each reply_schema compiled as JSON Schema draft 2019-09, and the
// cross-file facts a schema cannot state (key_spec_index in range, unique sibling argument names,
// containers present, overrides that match a command and the arguments they name). Pure: returns
// every fault found, never throws on bad input, so a spec's problems are all reported in one run.
import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import path from 'node:path';
import commandSchema from '../spec/schema/command.schema.json' with { type: 'json' };
import overridesSchema from '../spec/schema/overrides.schema.json' with { type: 'json' };
import sourceSchema from '../spec/schema/source.schema.json' with { type: 'json' };
import type { LoadedSpec } from './load.js';
import { pointer, pointerToken, type SpecError } from './spec-error.js';
import type { LoadedSpecFile, Override, SpecArgument, SpecCommand } from './spec-types.js';
import { mergedFiles } from './merge.js';
import { specFileName } from './write-spec.js';

export { formatErrors, type SpecError } from './spec-error.js';

interface Validators {
  command: ValidateFunction;
  overrides: ValidateFunction;
  source: ValidateFunction;
  /**
   * Compiles reply schemas. Strict (unknown keywords are faults), except for tuple style: upstream
   * writes `items: [...]` tuples without minItems, which draft 2019-09 allows.
   */
  reply: Ajv2019;
}

let validators: Validators | undefined;

function getValidators(): Validators {
  if (validators === undefined) {
    // strictRequired is off: the schemas use `required` inside if/then/not, away from `properties`.
    const ajv = new Ajv2019({
      allErrors: true,
      strict: true,
      strictRequired: false,
      allowUnionTypes: true,
      verbose: true,
    });
    validators = {
      command: ajv.compile(commandSchema),
      overrides: ajv.compile(overridesSchema),
      source: ajv.compile(sourceSchema),
      reply: new Ajv2019({ allErrors: true, strict: true, strictTuples: false, validateFormats: false }),
    };
  }
  return validators;
}

/** Turns ajv errors into SpecErrors, pointing at the faulty property itself where ajv points at its parent. */
export function ajvErrors(
  errors: readonly ErrorObject[] | null | undefined,
  file: string,
  base = '',
): SpecError[] {
  const out: SpecError[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    // These only summarise: the branch's or alternatives' own errors, reported too, say why.
    if (e.keyword === 'if' || e.keyword === 'propertyNames' || e.keyword === 'anyOf') continue;
    let at = base + e.instancePath;
    let message = e.message ?? 'is invalid';
    const params = e.params as Record<string, unknown>;
    if (typeof e.propertyName === 'string') {
      at += `/${pointerToken(e.propertyName)}`;
      message = `name ${message}`;
    }
    if (e.keyword === 'enum' && Array.isArray(params.allowedValues)) {
      message += ` (${params.allowedValues.map(String).join(', ')})`;
    } else if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      at += `/${pointerToken(params.additionalProperty)}`;
      message = `unknown property '${params.additionalProperty}' (must NOT have additional properties)`;
    } else if (e.keyword === 'not' && isRecord(e.schema) && Array.isArray(e.schema.required)) {
      const prop = String(e.schema.required[0]);
      at += `/${pointerToken(prop)}`;
      message = `must NOT have property '${prop}' here`;
    } else if (e.keyword === 'const' && params.allowedValue !== undefined) {
      message += ` (${JSON.stringify(params.allowedValue)})`;
    }
    const key = `${at}\0${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path: file, pointer: at, message });
  }
  return out;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Compiles one reply schema as draft 2019-09; faults are reported under `at`. */
function replySchemaErrors(schema: unknown, file: string, at: string): SpecError[] {
  if (typeof schema === 'boolean') return [];
  if (!isRecord(schema)) return []; // the shape itself is the command schema's to report
  const { reply } = getValidators();
  if (!reply.validateSchema(schema)) return ajvErrors(reply.errors, file, at);
  try {
    reply.compile(schema);
    return [];
  } catch (err) {
    return [{ path: file, pointer: at, message: `reply_schema does not compile: ${(err as Error).message}` }];
  } finally {
    // Forget it again: another file may use the same `$id`, and nothing refers across files.
    reply.removeSchema(schema);
  }
}

/** Full command name: `GET`, `CLIENT KILL`. */
export function fullName(name: string, command: Pick<SpecCommand, 'container'>): string {
  return typeof command.container === 'string' ? `${command.container} ${name}` : name;
}

/** key_spec_index in range and unique names among sibling arguments, over the whole argument tree. */
function argumentErrors(args: unknown, keySpecs: number, file: string, at: string): SpecError[] {
  if (!Array.isArray(args)) return [];
  const out: SpecError[] = [];
  const names = new Map<string, number>();
  args.forEach((arg: unknown, i) => {
    if (!isRecord(arg)) return;
    const here = `${at}/${i}`;
    if (typeof arg.name === 'string') {
      const first = names.get(arg.name);
      if (first !== undefined) {
        out.push({
          path: file,
          pointer: `${here}/name`,
          message: `duplicate argument name '${arg.name}' (also at ${at}/${first})`,
        });
      } else names.set(arg.name, i);
    }
    if (
      typeof arg.key_spec_index === 'number' &&
      (arg.key_spec_index < 0 || arg.key_spec_index >= keySpecs)
    ) {
      out.push({
        path: file,
        pointer: `${here}/key_spec_index`,
        message: `key_spec_index ${arg.key_spec_index} is out of range (the command has ${keySpecs} key_specs)`,
      });
    }
    out.push(...argumentErrors(arg.arguments, keySpecs, file, `${here}/arguments`));
  });
  return out;
}

function checkFile(file: LoadedSpecFile, v: Validators): SpecError[] {
  const out: SpecError[] = [];
  const doc = { [file.name]: file.command };
  if (!v.command(doc)) out.push(...ajvErrors(v.command.errors, file.path));
  const base = pointer(file.name);
  const command = file.command as unknown as Record<string, unknown>;
  if ('reply_schema' in command)
    out.push(...replySchemaErrors(command.reply_schema, file.path, `${base}/reply_schema`));
  const keySpecs = Array.isArray(command.key_specs) ? command.key_specs.length : 0;
  out.push(...argumentErrors(command.arguments, keySpecs, file.path, `${base}/arguments`));
  const container = typeof command.container === 'string' ? command.container : undefined;
  const expected = specFileName(file.name, container);
  if (path.posix.basename(file.path) !== expected) {
    out.push({
      path: file.path,
      pointer: base,
      message: `${fullName(file.name, file.command)} belongs in a file named ${expected}`,
    });
  }
  return out;
}

/** Finds an argument by name anywhere in the tree. */
function hasArgumentNamed(args: readonly SpecArgument[] | undefined, name: string): boolean {
  return (args ?? []).some((a) => a.name === name || hasArgumentNamed(a.arguments, name));
}

/** Follows a '.'-joined path of argument names from the top level. */
function argumentAt(args: readonly SpecArgument[] | undefined, names: string): SpecArgument | undefined {
  let level = args;
  let found: SpecArgument | undefined;
  for (const name of names.split('.')) {
    found = (level ?? []).find((a) => a.name === name);
    if (found === undefined) return undefined;
    level = found.arguments;
  }
  return found;
}

function checkOverrides(spec: LoadedSpec, commands: Map<string, LoadedSpecFile>, v: Validators): SpecError[] {
  const out: SpecError[] = [];
  for (const file of spec.overrides) {
    if (!v.overrides(file.data)) out.push(...ajvErrors(v.overrides.errors, file.path));
    // References are checked on every entry whose own shape allows it, so one bad entry hides nothing.
    const entries: unknown = isRecord(file.data) ? file.data.overrides : undefined;
    if (!Array.isArray(entries)) continue;
    entries.forEach((entry: unknown, i) => {
      if (isRecord(entry))
        out.push(...checkOverride(entry as Partial<Override>, `/overrides/${i}`, file.path, commands));
    });
  }
  return out;
}

function checkOverride(
  o: Partial<Override>,
  at: string,
  file: string,
  commands: Map<string, LoadedSpecFile>,
): SpecError[] {
  const out: SpecError[] = [];
  if (typeof o.command !== 'string') return out;
  const target = commands.get(o.command);
  if (target === undefined) {
    return [{ path: file, pointer: `${at}/command`, message: `override matches no command: ${o.command}` }];
  }
  const args = target.command.arguments;
  const timeoutArg: unknown = isRecord(o.blockingTimeout) ? o.blockingTimeout.argument : undefined;
  if (typeof timeoutArg === 'string' && !hasArgumentNamed(args, timeoutArg)) {
    out.push({
      path: file,
      pointer: `${at}/blockingTimeout/argument`,
      message: `${o.command} has no argument named '${timeoutArg}'`,
    });
  }
  out.push(...widenErrors(o, args, at, file));
  if (o.reply_schema !== undefined)
    out.push(...replySchemaErrors(o.reply_schema, file, `${at}/reply_schema`));
  if (!Array.isArray(o.replyVariants)) return out;
  o.replyVariants.forEach((variant: unknown, j) => {
    if (!isRecord(variant)) return;
    const vat = `${at}/replyVariants/${j}`;
    if (typeof variant.when === 'string') {
      const arg = argumentAt(args, variant.when);
      if (arg === undefined) {
        out.push({
          path: file,
          pointer: `${vat}/when`,
          message: `${o.command} has no argument at '${variant.when}'`,
        });
      } else if (typeof variant.equals === 'string') {
        const tokens = [arg, ...(arg.arguments ?? [])].map((a) => a.token?.toUpperCase());
        if (!tokens.includes(variant.equals.toUpperCase())) {
          out.push({
            path: file,
            pointer: `${vat}/equals`,
            message: `'${variant.equals}' is not a token of ${o.command} argument '${variant.when}'`,
          });
        }
      }
    }
    if ('reply_schema' in variant)
      out.push(...replySchemaErrors(variant.reply_schema, file, `${vat}/reply_schema`));
  });
  return out;
}

/** Types whose generated parameter type has no string: the only ones `accepts: 'string'` widens. */
const WIDENED_TO_STRING = ['integer', 'unix-time'];

/** Each widened argument exists, is one that does not take a string already, and is named once. */
function widenErrors(
  o: Partial<Override>,
  args: readonly SpecArgument[] | undefined,
  at: string,
  file: string,
): SpecError[] {
  if (!Array.isArray(o.widenArguments)) return [];
  const out: SpecError[] = [];
  const seen = new Set<string>();
  o.widenArguments.forEach((widening: unknown, j) => {
    if (!isRecord(widening) || typeof widening.argument !== 'string') return;
    const name = widening.argument;
    const where = `${at}/widenArguments/${j}/argument`;
    const arg = argumentAt(args, name);
    if (arg === undefined) {
      out.push({ path: file, pointer: where, message: `${o.command} has no argument at '${name}'` });
    } else if (!WIDENED_TO_STRING.includes(arg.type)) {
      out.push({
        path: file,
        pointer: where,
        message: `${o.command} argument '${name}' is of type ${arg.type}: only ${WIDENED_TO_STRING.join(' and ')} arguments can be widened to accept a string`,
      });
    }
    if (seen.has(name)) {
      out.push({ path: file, pointer: where, message: `${o.command} argument '${name}' is widened twice` });
    }
    seen.add(name);
  });
  return out;
}

function checkSource(spec: LoadedSpec, v: Validators): SpecError[] {
  const source = spec.source;
  if (source === undefined) return [];
  if (!v.source(source)) return ajvErrors(v.source.errors, spec.sourcePath);
  const actual = { commands: 0, subcommands: 0, withReplySchema: 0, files: spec.files.length };
  for (const file of spec.files) {
    if (file.command.container === undefined) actual.commands++;
    else actual.subcommands++;
    if (file.command.reply_schema !== undefined) actual.withReplySchema++;
  }
  const out: SpecError[] = [];
  for (const key of ['commands', 'subcommands', 'withReplySchema', 'files'] as const) {
    if (source.counts[key] !== actual[key]) {
      out.push({
        path: spec.sourcePath,
        pointer: `/counts/${key}`,
        message: `says ${source.counts[key]} but the spec has ${actual[key]}`,
      });
    }
  }
  return out;
}

/**
 * Validates a loaded spec and returns every fault (loading problems first, then per file in path
 * order, then overrides and SOURCE.json). An empty list means the spec may be generated from.
 */
export function validateSpec(spec: LoadedSpec): SpecError[] {
  const v = getValidators();
  const errors: SpecError[] = [...spec.problems];
  const commands = new Map<string, LoadedSpecFile>();
  for (const file of spec.files) {
    errors.push(...checkFile(file, v));
    const name = fullName(file.name, file.command);
    const other = commands.get(name);
    if (other !== undefined) {
      errors.push({
        path: file.path,
        pointer: pointer(file.name),
        message: `${name} is also defined in ${other.path}`,
      });
    } else commands.set(name, file);
  }
  for (const file of spec.files) {
    const container = file.command.container;
    if (typeof container !== 'string') continue;
    const parent = commands.get(container);
    if (parent === undefined) {
      errors.push({
        path: file.path,
        pointer: `${pointer(file.name)}/container`,
        message: `container ${container} has no spec file (expected ${specFileName(container)})`,
      });
    } else if (parent.command.container !== undefined) {
      errors.push({
        path: file.path,
        pointer: `${pointer(file.name)}/container`,
        message: `container ${container} is itself a subcommand; subcommands nest one level only`,
      });
    }
  }
  // Each merged server's spec is valid on its own and is the release SOURCE.json says; overrides
  // speak of the merged surface.
  (spec.also ?? []).forEach((also, i) => {
    errors.push(...validateSpec(also));
    const said = spec.source?.also?.[i];
    if (said !== undefined && (also.source?.server !== said.server || also.source.version !== said.version)) {
      errors.push({
        path: spec.sourcePath,
        pointer: `/also/${i}`,
        message: `says ${said.server} ${said.version} but ${also.sourcePath} says ${also.source?.server ?? '?'} ${also.source?.version ?? '?'} (update the entry after a pull or import there)`,
      });
    }
  });
  const merged =
    spec.also === undefined || errors.length > 0
      ? commands
      : new Map(mergedFiles(spec).map((f) => [fullName(f.name, f.command), f]));
  errors.push(...checkOverrides(spec, merged, v));
  errors.push(...checkSource(spec, v));
  return errors;
}
