// `npm run api:diff -- [--base <git ref> | OLD_SPEC NEW_SPEC]`: the markdown API diff between two
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
import { formatErrors } from '../spec-error.js';

const USAGE = 'usage: api:diff [--base <git ref> | <old spec dir> <new spec dir>]\n';
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

/** spec/ as it is at `ref`, in a temporary directory. */
async function specAt(ref: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'redspec-api-diff-'));
  await run_('sh', ['-c', `git archive "$1" spec | tar -x -C "$2"`, 'sh', ref, dir]);
  return dir;
}

export async function run(argv: string[]): Promise<number> {
  const args = argv.filter((a) => a !== '--');
  let base: string | undefined;
  let dirs: string[] = [];
  if (args[0] === '--base') {
    if (args.length !== 2 || args[1] === undefined) return usage();
    base = args[1];
  } else if (args.length === 0) base = 'HEAD';
  else if (args.length === 2 && !args.some((a) => a.startsWith('-'))) dirs = args;
  else return usage();
  let temp: string | undefined;
  try {
    if (base !== undefined) {
      temp = await specAt(base);
      dirs = [path.join(temp, 'spec'), 'spec'];
    }
    const [old, now] = await Promise.all(dirs.map((d) => apiSide(d)));
    if (typeof old === 'string' || typeof now === 'string' || !old || !now) {
      process.stderr.write(`${[old, now].filter((s) => typeof s === 'string').join('\n')}\n`);
      return 1;
    }
    if (base !== undefined) old.label = `${old.label} (${base})`;
    process.stdout.write(renderApiDiff(old, now));
    return 0;
  } finally {
    if (temp !== undefined) await rm(temp, { recursive: true, force: true });
  }
}

function usage(): number {
  process.stderr.write(USAGE);
  return 2;
}
