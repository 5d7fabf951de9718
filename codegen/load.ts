// Reads spec input from disk: the spec layout (commands/*.json, overrides/*.json, SOURCE.json) and
// the inputs of spec:import (a source tree's src/commands/ or a merged commands.json). Together
// with write-spec.ts the only codegen stage that touches the file system. Nothing here judges the
// content: per-file faults (bad JSON, a file that is not one command) are collected as SpecErrors in
// `problems` and reported by validateSpec together with everything else.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { findJsonSyntaxError } from './json-syntax.js';
import { pointer, type SpecError } from './spec-error.js';
import type { LoadedSpecFile, OverrideFile, SpecCommand, SpecFile, SpecSource } from './spec-types.js';
import { specFileName } from './write-spec.js';

export type { LoadedSpecFile } from './spec-types.js';

/** One spec/overrides/*.json file as read; its shape is only trusted once validateSpec passed. */
export interface LoadedOverrideFile {
  path: string;
  data: OverrideFile;
}

/**
 * A spec as read from disk (or built in memory by `loadedSpecFromFiles`). Contents are parsed but
 * not validated: run `validateSpec` and stop on any error before trusting the types.
 */
export interface LoadedSpec {
  /** Spec directory as given (e.g. "spec"). */
  dir: string;
  /** One entry per command file, sorted by path. */
  files: LoadedSpecFile[];
  /** Override files, sorted by path. */
  overrides: LoadedOverrideFile[];
  /** spec/SOURCE.json when present. */
  source?: SpecSource;
  /** Where SOURCE.json is (or would be), for error messages. */
  sourcePath: string;
  /** Faults found while reading (unparsable JSON, a file that is not one command); validateSpec reports them. */
  problems: SpecError[];
  /** The specs SOURCE.json's `also` names, loaded from their directories (one level, no overrides). */
  also?: LoadedSpec[];
}

/** A raw JSON document and the path it was read from. */
export interface RawDocument {
  path: string;
  data: unknown;
}

/** What spec:import reads: a directory of per-command files or one merged commands.json. */
export type ImportInput =
  | { kind: 'files'; from: string; documents: RawDocument[]; detected?: DetectedServer }
  | { kind: 'merged'; from: string; document: RawDocument; detected?: DetectedServer };

/** Server and version found next to a source tree's src/commands (src/version.h). */
export interface DetectedServer {
  server: string;
  version: string;
}

/** An I/O fault or unparsable input that stops loading altogether. */
export class SpecLoadError extends Error {
  override name = 'SpecLoadError';
  readonly errors: SpecError[];
  constructor(message: string, errors: SpecError[] = []) {
    super(message);
    this.errors = errors;
  }
}

/** Path as shown in messages: relative to the working directory with `/`, absolute when outside it. */
export function displayPath(file: string): string {
  const rel = path.relative(process.cwd(), path.resolve(file));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel))
    return path.resolve(file).split(path.sep).join('/');
  return rel.split(path.sep).join('/');
}

type Parsed = { ok: true; data: unknown } | { ok: false; error: SpecError };

/** Parses JSON text, naming line and column of the first syntax fault. */
export function parseJson(text: string, file: string): Parsed {
  try {
    return { ok: true, data: JSON.parse(text) as unknown };
  } catch {
    const where = findJsonSyntaxError(text);
    const message = where
      ? `invalid JSON at line ${where.line} column ${where.column}: ${where.message}`
      : 'invalid JSON';
    return { ok: false, error: { path: file, pointer: '', message } };
  }
}

async function readJson(file: string): Promise<Parsed> {
  return parseJson(await readFile(file, 'utf8'), displayPath(file));
}

async function jsonFilesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => e.name)
    .sort()
    .map((name) => path.join(dir, name));
}

async function isDirectory(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Loads a spec directory: `<dir>/commands/*.json` (required), `<dir>/overrides/*.json` and
 * `<dir>/SOURCE.json` (both optional). Throws SpecLoadError only when `<dir>/commands` is missing.
 */
export async function loadSpecDir(dir: string): Promise<LoadedSpec> {
  const commandsDir = path.join(dir, 'commands');
  if (!(await isDirectory(commandsDir))) {
    throw new SpecLoadError(
      `${displayPath(commandsDir)}: not a directory (expected a spec directory with commands/)`,
    );
  }
  const problems: SpecError[] = [];
  const files: LoadedSpecFile[] = [];
  for (const file of await jsonFilesIn(commandsDir)) {
    const parsed = await readJson(file);
    if (!parsed.ok) {
      problems.push(parsed.error);
      continue;
    }
    const shown = displayPath(file);
    const data = parsed.data;
    if (!isPlainObject(data) || Object.keys(data).length !== 1) {
      problems.push({
        path: shown,
        pointer: '',
        message: 'must be an object with exactly one property, the command name',
      });
      continue;
    }
    const [name, command] = Object.entries(data)[0] as [string, unknown];
    if (!isPlainObject(command)) {
      problems.push({ path: shown, pointer: pointer(name), message: 'must be object' });
      continue;
    }
    files.push({ path: shown, name, command: command as unknown as SpecCommand });
  }
  const { overrides, problems: overrideProblems } = await loadOverrides(dir);
  problems.push(...overrideProblems);
  const sourceFile = path.join(dir, 'SOURCE.json');
  const spec: LoadedSpec = { dir, files, overrides, sourcePath: displayPath(sourceFile), problems };
  try {
    await stat(sourceFile);
  } catch {
    return spec;
  }
  const parsed = await readJson(sourceFile);
  if (parsed.ok) spec.source = parsed.data as SpecSource;
  else problems.push(parsed.error);
  const also = spec.source?.also;
  if (Array.isArray(also)) {
    spec.also = [];
    for (const [i, entry] of also.entries()) {
      const sub = typeof entry?.dir === 'string' ? path.join(dir, entry.dir) : undefined;
      if (sub === undefined || !(await isDirectory(path.join(sub, 'commands')))) {
        problems.push({
          path: spec.sourcePath,
          pointer: `/also/${i}/dir`,
          message: 'is not a spec directory with commands/',
        });
        continue;
      }
      const loaded = await loadSpecDir(sub);
      delete loaded.also; // one level: a merged source merges nothing itself
      loaded.overrides = [];
      spec.also.push(loaded);
    }
  }
  return spec;
}

/**
 * The specs `<dir>/SOURCE.json` merges (its `also`), loaded, for validating files about to replace
 * `<dir>`'s own: overrides speak of the merged surface. None when there is no such spec yet.
 */
export async function loadMergedSources(dir: string): Promise<LoadedSpec[] | undefined> {
  if (!(await isDirectory(path.join(dir, 'commands')))) return undefined;
  return (await loadSpecDir(dir)).also;
}

/** Loads `<dir>/overrides/*.json` (none when the directory does not exist). */
export async function loadOverrides(
  dir: string,
): Promise<{ overrides: LoadedOverrideFile[]; problems: SpecError[] }> {
  const overridesDir = path.join(dir, 'overrides');
  const overrides: LoadedOverrideFile[] = [];
  const problems: SpecError[] = [];
  if (!(await isDirectory(overridesDir))) return { overrides, problems };
  for (const file of await jsonFilesIn(overridesDir)) {
    const parsed = await readJson(file);
    if (parsed.ok) overrides.push({ path: displayPath(file), data: parsed.data as OverrideFile });
    else problems.push(parsed.error);
  }
  return { overrides, problems };
}

/**
 * Builds a LoadedSpec from files about to be written to `dir` (by spec:pull or spec:import), so they
 * are validated under the paths they will have, together with the overrides already in `dir`.
 */
export function loadedSpecFromFiles(
  dir: string,
  specFiles: readonly SpecFile[],
  source: SpecSource | undefined,
  overrides: LoadedOverrideFile[] = [],
  problems: SpecError[] = [],
): LoadedSpec {
  const files: LoadedSpecFile[] = [];
  const localProblems = [...problems];
  for (const file of specFiles) {
    const entries = Object.entries(file);
    const entry = entries[0];
    if (entries.length !== 1 || entry === undefined) {
      localProblems.push({
        path: displayPath(path.join(dir, 'commands')),
        pointer: '',
        message: `a spec file must hold exactly one command, got ${entries.length} (${entries.map(([k]) => k).join(', ')})`,
      });
      continue;
    }
    const [name, command] = entry;
    const file_ = displayPath(path.join(dir, 'commands', specFileName(name, command.container)));
    files.push({ path: file_, name, command });
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const spec: LoadedSpec = {
    dir,
    files,
    overrides,
    sourcePath: displayPath(path.join(dir, 'SOURCE.json')),
    problems: localProblems,
  };
  if (source !== undefined) spec.source = source;
  return spec;
}

/**
 * Reads what spec:import converts: a directory of per-command files (a source tree's src/commands)
 * or a merged commands.json. Throws SpecLoadError naming every unparsable file.
 */
export async function readImportInput(target: string): Promise<ImportInput> {
  const from = displayPath(target);
  if (await isDirectory(target)) {
    const documents: RawDocument[] = [];
    const errors: SpecError[] = [];
    for (const file of await jsonFilesIn(target)) {
      const parsed = await readJson(file);
      if (parsed.ok) documents.push({ path: displayPath(file), data: parsed.data });
      else errors.push(parsed.error);
    }
    if (errors.length > 0) throw new SpecLoadError(`cannot read ${from}`, errors);
    if (documents.length === 0) throw new SpecLoadError(`${from}: no *.json command files in this directory`);
    const input: ImportInput = { kind: 'files', from, documents };
    const detected = await detectServer(path.join(target, '..', 'version.h'));
    if (detected) input.detected = detected;
    return input;
  }
  let text: string;
  try {
    text = await readFile(target, 'utf8');
  } catch (err) {
    throw new SpecLoadError(`${from}: cannot read (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const parsed = parseJson(text, from);
  if (!parsed.ok) throw new SpecLoadError(`cannot read ${from}`, [parsed.error]);
  return { kind: 'merged', from, document: { path: from, data: parsed.data } };
}

/** Reads `#define VALKEY_VERSION "x"` / `#define REDIS_VERSION "x"` from a source tree's version.h. */
async function detectServer(versionH: string): Promise<DetectedServer | undefined> {
  let text: string;
  try {
    text = await readFile(versionH, 'utf8');
  } catch {
    return undefined;
  }
  for (const server of ['valkey', 'redis']) {
    const m = new RegExp(`#define\\s+${server.toUpperCase()}_VERSION\\s+"([^"]+)"`).exec(text);
    if (m?.[1]) return { server, version: m[1] };
  }
  return undefined;
}
