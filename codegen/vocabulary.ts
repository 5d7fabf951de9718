// Warnings for values the generator does not know in the spec's open vocabularies: command flags,
// doc flags, ACL categories, tips, key-spec flags (known values in spec/schema/vocabulary.json) and
// properties of a command or argument the schema does not name. A future server's new flag must
// not fail a bump, so these never stop generation; the values are carried through as data (the
// command table lists every flag, category and tip as spelled). Pure.
import commandSchema from '../spec/schema/command.schema.json' with { type: 'json' };
import vocabulary from '../spec/schema/vocabulary.json' with { type: 'json' };
import type { LoadedSpec } from './load.js';
import { pointer, type SpecError } from './spec-error.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const KNOWN = {
  command_flags: new Set<string>(vocabulary.command_flags),
  acl_categories: new Set<string>(vocabulary.acl_categories),
  command_tips: new Set<string>(vocabulary.command_tips),
  doc_flags: new Set<string>(vocabulary.doc_flags),
};
const KEY_SPEC_FLAGS = new Set<string>(vocabulary.key_spec_flags);
const COMMAND_FIELDS = new Set(Object.keys(commandSchema.$defs.command.properties));
const ARGUMENT_FIELDS = new Set(Object.keys(commandSchema.$defs.argument.properties));

function unknownValues(values: unknown, known: ReadonlySet<string>, file: string, at: string, what: string) {
  const out: SpecError[] = [];
  if (!Array.isArray(values)) return out;
  values.forEach((v: unknown, i) => {
    if (typeof v === 'string' && !known.has(v))
      out.push({ path: file, pointer: `${at}/${i}`, message: `unknown ${what} ${v} (kept as data)` });
  });
  return out;
}

function unknownFields(value: Json, known: ReadonlySet<string>, file: string, at: string, what: string) {
  return Object.keys(value)
    .filter((k) => !known.has(k))
    .map((k) => ({
      path: file,
      pointer: `${at}${pointer(k)}`,
      message: `unknown ${what} property '${k}' (kept as data)`,
    }));
}

function argumentWarnings(args: unknown, file: string, at: string): SpecError[] {
  if (!Array.isArray(args)) return [];
  return args.flatMap((arg: unknown, i) => {
    if (!isObject(arg)) return [];
    const here = `${at}/${i}`;
    return [
      ...unknownFields(arg, ARGUMENT_FIELDS, file, here, 'argument'),
      ...argumentWarnings(arg.arguments, file, `${here}/arguments`),
    ];
  });
}

/** Every unknown value of an open vocabulary in the spec's command files, in file order. */
export function vocabularyWarnings(spec: Pick<LoadedSpec, 'files'>): SpecError[] {
  const out: SpecError[] = [];
  for (const file of spec.files) {
    const command = file.command as unknown as Json;
    const base = pointer(file.name);
    // A module's command may use any flag or category; only the server's own are checked.
    if (!('module' in command)) {
      for (const [field, known] of Object.entries(KNOWN)) {
        const what = field.replace(/_/g, ' ').replace(/s$/, '').replace('categorie', 'category');
        out.push(...unknownValues(command[field], known, file.path, `${base}/${field}`, what));
      }
      if (Array.isArray(command.key_specs)) {
        command.key_specs.forEach((k: unknown, i) => {
          if (isObject(k))
            out.push(
              ...unknownValues(
                k.flags,
                KEY_SPEC_FLAGS,
                file.path,
                `${base}/key_specs/${i}/flags`,
                'key-spec flag',
              ),
            );
        });
      }
    }
    out.push(...unknownFields(command, COMMAND_FIELDS, file.path, base, 'command'));
    out.push(...argumentWarnings(command.arguments, file.path, `${base}/arguments`));
  }
  return out;
}
