// Write stage: puts the emitted files into generated/ and removes every other file there (stale
// output of commands that left the spec), so the directory is exactly the generator's output. Also
// reads the tree back for `generate --check`. With load, the only codegen code touching the disk.
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { EmittedFile } from './emit.js';

/** Every file under `dir` as relative path (with `/`) → text; empty when `dir` does not exist. */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  async function walk(sub: string): Promise<void> {
    let entries;
    try {
      entries = await readdir(path.join(dir, sub), { withFileTypes: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    for (const e of entries) {
      const rel = sub === '' ? e.name : `${sub}/${e.name}`;
      if (e.isDirectory()) await walk(rel);
      else out.set(rel, await readFile(path.join(dir, rel), 'utf8'));
    }
  }
  await walk('');
  return out;
}

export interface WriteResult {
  written: string[];
  removed: string[];
}

/** Writes changed files and removes files (and then-empty directories) not among `files`. */
export async function writeTree(dir: string, files: readonly EmittedFile[]): Promise<WriteResult> {
  const existing = await readTree(dir);
  const wanted = new Set(files.map((f) => f.path));
  const result: WriteResult = { written: [], removed: [] };
  for (const rel of [...existing.keys()].sort()) {
    if (!wanted.has(rel)) {
      await rm(path.join(dir, rel));
      result.removed.push(rel);
    }
  }
  for (const f of files) {
    if (existing.get(f.path) === f.text) continue;
    await mkdir(path.dirname(path.join(dir, f.path)), { recursive: true });
    await writeFile(path.join(dir, f.path), f.text);
    result.written.push(f.path);
  }
  await removeEmptyDirs(dir);
  return result;
}

async function removeEmptyDirs(dir: string): Promise<boolean> {
  const entries = await readdir(dir, { withFileTypes: true });
  let empty = true;
  for (const e of entries) {
    if (e.isDirectory() && (await removeEmptyDirs(path.join(dir, e.name))))
      await rm(path.join(dir, e.name), { recursive: true });
    else empty = false;
  }
  return empty;
}
