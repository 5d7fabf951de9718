// `redspec api diff [--base <git ref> | OLD_SPEC NEW_SPEC]`: the markdown API diff between two
// spec directories, or between spec/ at a git ref and spec/ in the working tree (default: HEAD).
// Each side is merged (SOURCE.json `also`) and modelled as `generate` would, overrides included.
// Exit 0 on a report, 1 when a spec cannot be read, 2 on a usage error.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { renderApiDiff, type ApiSide } from '../api-diff.js';
import { commandsByName } from '../diff.js';
import { loadSpecDir } from '../load.js';
import { mergedFiles } from '../merge.js';
import { buildModel } from '../model/index.js';
import { methodSurfaces } from '../model/surface.js';
import { CliError, usageError } from '../cli-error.js';
import { REPO_ROOT, repoPath } from '../repo-path.js';
import { formatErrors } from '../spec-error.js';

const run_ = promisify(execFile);

/** One side of the diff: the spec directory merged and modelled as `generate` does; a string on load faults. */
export async function apiSide(dir: string): Promise<ApiSide | string> {
  const spec = await loadSpecDir(dir);
  if (spec.problems.length > 0) return formatErrors(spec.problems);
  const files = mergedFiles(spec);
  const source = spec.source ?? { server: dir, version: '' };
  const model = buildModel({
    files,
    overrides: spec.overrides.flatMap((o) => o.data.overrides),
    source,
    also: (spec.also ?? []).flatMap((s) => (s.source === undefined ? [] : [s.source])),
  });
  const label = [source, ...(spec.source?.also ?? [])]
    .map((s) => `${s.server} ${s.version}`.trim())
    .join(' + ');
  return { label, methods: methodSurfaces(model), commands: commandsByName(files) };
}

/** The repository's spec/ as it is at `ref`, in a temporary directory; a ref git does not know exits 1. */
async function specAt(ref: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'redspec-api-diff-'));
  try {
    const tar = path.join(dir, 'spec.tar');
    await run_('git', ['archive', '--output', tar, ref, 'spec'], { cwd: REPO_ROOT });
    await run_('tar', ['-xf', tar, '-C', dir]);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const stderr = err instanceof Error && 'stderr' in err ? err.stderr : undefined;
    const why =
      typeof stderr === 'string' && stderr.trim() !== '' ? stderr.trim().split('\n')[0] : String(err);
    throw new CliError(`cannot read spec/ at ${ref}: ${why}`, 1);
  }
  return dir;
}

export interface ApiDiffOptions {
  /** A git ref whose spec/ is the old side (the working tree's spec/ is the new one). */
  base?: string;
  /** Two spec directories, old then new; neither or both. */
  dirs: string[];
}

export async function run(options: ApiDiffOptions): Promise<number> {
  if (options.base !== undefined && options.dirs.length > 0)
    throw usageError('give --base <git ref> or two spec directories, not both');
  if (options.dirs.length !== 0 && options.dirs.length !== 2)
    throw usageError(`two spec directories are needed (old and new), got ${options.dirs.length}`);
  const base = options.dirs.length === 0 ? (options.base ?? 'HEAD') : undefined;
  let dirs = options.dirs;
  let temp: string | undefined;
  try {
    if (base !== undefined) {
      temp = await specAt(base);
      dirs = [path.join(temp, 'spec'), repoPath('spec')];
    }
    const [old, now] = await Promise.all(dirs.map((d) => apiSide(d)));
    if (typeof old === 'string' || typeof now === 'string' || !old || !now) {
      const errors = [old, now].filter((s) => typeof s === 'string');
      process.stderr.write(`${errors.join('\n')}\nredspec: invalid spec\n`);
      return 1;
    }
    if (base !== undefined) old.label = `${old.label} (${base})`;
    process.stdout.write(renderApiDiff(old, now));
    return 0;
  } finally {
    if (temp !== undefined) await rm(temp, { recursive: true, force: true });
  }
}
