// Turns what spec:import reads into spec files: a source tree's per-command files, a merged
// `{ "GET": {...}, "CLIENT KILL": {...} }` file, or redis's generated commands.json (COMMAND DOCS
// keys, lowercase flags, `@` ACL categories, COMMAND INFO key specs, subcommands nested). Every form
// is normalised to the upstream file spelling; the normalisation is idempotent, so files already in
// that spelling pass through unchanged. Upstream's own quirks (string booleans, token-less pure
// tokens, repeated sibling names, repeated flags) are fixed too, each fix reported as a note with
// file and JSON pointer. Pure: structural faults come back as SpecErrors.
import type { DetectedServer, ImportInput, RawDocument } from './load.js';
import { pointer, type SpecError } from './spec-error.js';
import { distinctSiblingNames } from './sibling-names.js';
import type { SpecCommand, SpecFile, SpecSource } from './spec-types.js';
import { sourceCounts, specFileName } from './write-spec.js';

export interface ImportResult {
  /** One spec file per command and subcommand, sorted by file name. */
  files: SpecFile[];
  errors: SpecError[];
  /** One per quirk of the input that was fixed (same shape as an error: file, pointer, message). */
  notes: SpecError[];
}

/** Receives a note about a fix at a pointer relative to the command being normalised. */
type Note = (at: string, message: string) => void;
const ignore: Note = () => undefined;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Upper-cased, without repeats (Redis 7.0's XREAD lists a flag twice). */
function upper(values: unknown, at: string, note: Note): unknown {
  if (!Array.isArray(values)) return values;
  const out: unknown[] = [];
  values.forEach((v: unknown, i) => {
    const value = typeof v === 'string' ? v.toUpperCase() : v;
    if (typeof value === 'string' && out.includes(value)) note(`${at}/${i}`, `dropped repeated ${value}`);
    else out.push(value);
  });
  return out;
}

const BOOLEAN_FIELDS = new Set(['optional', 'multiple', 'multiple_token']);

/** COMMAND INFO key spec (`{type, spec}` searches, `keystep`) → file form; file form unchanged. */
function normalizeSearch(search: unknown): unknown {
  if (!isObject(search) || typeof search.type !== 'string') return search;
  const spec = isObject(search.spec) ? search.spec : {};
  switch (search.type) {
    case 'index':
      return { index: { pos: spec.index ?? spec.pos } };
    case 'keyword':
      return { keyword: { keyword: spec.keyword, startfrom: spec.startfrom } };
    case 'range':
      return { range: { lastkey: spec.lastkey, step: spec.keystep ?? spec.step, limit: spec.limit } };
    case 'keynum':
      return {
        keynum: { keynumidx: spec.keynumidx, firstkey: spec.firstkey, step: spec.keystep ?? spec.step },
      };
    case 'unknown':
      return { unknown: null };
    default:
      return search; // left for the schema to reject with its pointer
  }
}

function normalizeKeySpec(keySpec: unknown, at: string, note: Note): unknown {
  if (!isObject(keySpec)) return keySpec;
  const out: Json = { ...keySpec };
  if ('flags' in out) out.flags = upper(out.flags, `${at}/flags`, note);
  if ('begin_search' in out) out.begin_search = normalizeSearch(out.begin_search);
  if ('find_keys' in out) out.find_keys = normalizeSearch(out.find_keys);
  return out;
}

/**
 * COMMAND DOCS argument (`display_text`, `flags: [optional, multiple, multiple_token]`) → file form,
 * with upstream's quirks fixed: `"true"` written as a string, a pure-token with only a name (the
 * server matches the name, as upstream's own tooling assumes).
 */
export function normalizeArgument(arg: unknown, at = '', note: Note = ignore): unknown {
  if (!isObject(arg)) return arg;
  const out: Json = {};
  for (const [key, value] of Object.entries(arg)) {
    if (key === 'display_text') {
      if (!('display' in arg)) out.display = value;
    } else if (key === 'flags' && Array.isArray(value)) {
      for (const flag of value) if (typeof flag === 'string') out[flag.toLowerCase()] = true;
    } else if (key === 'arguments' && Array.isArray(value)) {
      out.arguments = normalizeArguments(value, `${at}/arguments`, note);
    } else if (BOOLEAN_FIELDS.has(key) && (value === 'true' || value === 'false')) {
      note(`${at}/${key}`, `string "${value}" read as boolean ${value}`);
      out[key] = value === 'true';
    } else out[key] = value;
  }
  // Tokens as the server's COMMAND DOCS gives them (so pull and import agree): upper case, and
  // MIGRATE's empty key written `"\"\""` in the source as the empty string it stands for.
  if (typeof out.token === 'string') {
    const token = out.token === '""' ? '' : out.token.toUpperCase();
    if (token !== out.token) {
      note(
        `${at}/token`,
        `token ${JSON.stringify(out.token)} read as ${JSON.stringify(token)}, as the server gives it`,
      );
      out.token = token;
    }
  }
  if (out.type === 'pure-token' && out.token === undefined && typeof out.name === 'string') {
    out.token = out.name.toUpperCase();
    note(`${at}/token`, `pure-token without token: its name ${out.token} is the token`);
  }
  return out;
}

function normalizeArguments(args: unknown[], at: string, note: Note): unknown[] {
  const out = args.map((a, i) => normalizeArgument(a, `${at}/${i}`, note));
  if (!out.every((a) => isObject(a) && typeof a.name === 'string')) return out;
  return distinctSiblingNames(out as { name: string }[], (i, from, to) =>
    note(`${at}/${i}/name`, `repeated sibling name '${from}' renamed '${to}' (kept as display)`),
  );
}

/**
 * One command in any supported spelling → upstream file spelling (without `subcommands`, which the
 * caller turns into files of their own). Unknown keys are kept so validation can name them.
 */
export function normalizeCommand(raw: Json, note: Note = ignore): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case 'subcommands':
        break;
      case 'flags': // COMMAND INFO's name for command_flags
      case 'command_flags':
        out.command_flags = upper(value, '/command_flags', note);
        break;
      case 'hints': // generate-commands-json.py's name for command_tips
      case 'tips':
      case 'command_tips':
        out.command_tips = upper(value, '/command_tips', note);
        break;
      case 'acl_categories':
        out.acl_categories = upper(
          Array.isArray(value) ? value.map((c) => (typeof c === 'string' ? c.replace(/^@/, '') : c)) : value,
          '/acl_categories',
          note,
        );
        break;
      case 'doc_flags':
        out.doc_flags = upper(value, '/doc_flags', note);
        break;
      case 'key_specs':
        out.key_specs = Array.isArray(value)
          ? value.map((k, i) => normalizeKeySpec(k, `/key_specs/${i}`, note))
          : value;
        break;
      case 'arguments':
        out.arguments = Array.isArray(value) ? normalizeArguments(value, '/arguments', note) : value;
        break;
      case 'group':
        // Source files spell `sorted_set`, servers `sorted-set`: the spec keeps the server's spelling.
        out.group = typeof value === 'string' && !('module' in raw) ? value.replace(/_/g, '-') : value;
        break;
      default:
        out[key] = value;
    }
  }
  return out;
}

/** Splits `CLIENT KILL` / `client|kill` into container and name, upper-cased. */
function splitName(key: string): { container?: string; name: string } {
  const parts = key.trim().toUpperCase().split(/[ |]+/);
  const name = parts.pop() ?? '';
  return parts.length === 0 ? { name } : { container: parts.join(' '), name };
}

interface Collected {
  name: string;
  command: Json;
  path: string;
  at: string;
}

/** Collects one merged entry and, recursively, its nested subcommands (object or array form). */
function collectEntry(
  key: string,
  value: unknown,
  path: string,
  at: string,
  parent: string | undefined,
  out: Collected[],
  errors: SpecError[],
  notes: SpecError[],
): void {
  if (!isObject(value)) {
    errors.push({ path, pointer: at, message: 'a command entry must be an object' });
    return;
  }
  const split = splitName(key);
  const container = parent ?? split.container;
  const command = normalizeCommand(value, (rel, message) => notes.push({ path, pointer: at + rel, message }));
  if (container !== undefined) {
    if (typeof command.container === 'string' && command.container.toUpperCase() !== container) {
      errors.push({
        path,
        pointer: `${at}/container`,
        message: `says ${command.container} but the entry is under ${container}`,
      });
    }
    command.container = container;
  }
  out.push({ name: split.name, command, path, at });
  const subs = value.subcommands;
  if (subs === undefined) return;
  const full = container === undefined ? split.name : `${container} ${split.name}`;
  if (Array.isArray(subs)) {
    subs.forEach((sub: unknown, i) => {
      const subAt = `${at}/subcommands/${i}`;
      if (!isObject(sub) || Object.keys(sub).length !== 1) {
        errors.push({
          path,
          pointer: subAt,
          message: 'a subcommand entry must be an object with exactly one property, its name',
        });
        return;
      }
      const [subKey, subValue] = Object.entries(sub)[0] as [string, unknown];
      collectEntry(
        splitName(subKey).name,
        subValue,
        path,
        `${subAt}${pointer(subKey)}`,
        full,
        out,
        errors,
        notes,
      );
    });
  } else if (isObject(subs)) {
    for (const [subKey, subValue] of Object.entries(subs)) {
      collectEntry(
        splitName(subKey).name,
        subValue,
        path,
        `${at}/subcommands${pointer(subKey)}`,
        full,
        out,
        errors,
        notes,
      );
    }
  } else {
    errors.push({ path, pointer: `${at}/subcommands`, message: 'must be an object or an array' });
  }
}

function collectFile(doc: RawDocument, out: Collected[], errors: SpecError[], notes: SpecError[]): void {
  if (!isObject(doc.data) || Object.keys(doc.data).length !== 1) {
    errors.push({
      path: doc.path,
      pointer: '',
      message: 'must be an object with exactly one property, the command name',
    });
    return;
  }
  const [key, value] = Object.entries(doc.data)[0] as [string, unknown];
  // A per-command file names its container inside (`"container": "CLIENT"`), not in its key.
  collectEntry(key, value, doc.path, pointer(key), undefined, out, errors, notes);
}

/** Converts an import input into spec files, sorted by file name; duplicates are errors. */
export function importCommands(input: ImportInput): ImportResult {
  const collected: Collected[] = [];
  const errors: SpecError[] = [];
  const notes: SpecError[] = [];
  if (input.kind === 'files') {
    for (const doc of input.documents) collectFile(doc, collected, errors, notes);
  } else if (!isObject(input.document.data)) {
    errors.push({
      path: input.document.path,
      pointer: '',
      message: 'a merged commands file must be an object keyed by command name',
    });
  } else {
    for (const [key, value] of Object.entries(input.document.data)) {
      collectEntry(key, value, input.document.path, pointer(key), undefined, collected, errors, notes);
    }
  }
  const byFile = new Map<string, Collected>();
  for (const entry of collected) {
    const container = typeof entry.command.container === 'string' ? entry.command.container : undefined;
    const fileName = specFileName(entry.name, container);
    const other = byFile.get(fileName);
    if (other !== undefined) {
      errors.push({
        path: entry.path,
        pointer: entry.at,
        message: `${container === undefined ? entry.name : `${container} ${entry.name}`} is also defined at ${other.path}#${other.at}`,
      });
      continue;
    }
    byFile.set(fileName, entry);
  }
  const files = [...byFile]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, entry]): SpecFile => ({ [entry.name]: entry.command as unknown as SpecCommand }));
  return { files, errors, notes };
}

/** SOURCE.json for an import; `server` as given on the command line or detected from version.h. */
export function importSource(
  input: ImportInput,
  files: readonly SpecFile[],
  server: DetectedServer,
): SpecSource {
  return {
    server: server.server,
    version: server.version,
    obtained: 'import',
    from: input.from,
    counts: sourceCounts(files),
  };
}
