// The bump rehearsal: the upstream command files of every release Debian's stable suites carry
// (Redis 7.0.15, Valkey 8.0.1, Redis 8.0.2, Valkey 8.1.1; fetched and cached by
// .ci/fetch-upstream.sh) go through spec:import → validate → generate into a scratch tree, and
// src/ is type-checked against each generated tree, so a version bump is known to work before
// anyone tries one. Overrides naming a command or argument a release lacks are dropped for that
// release (and listed); anything else that fails is a failed bump.
import { execFile } from 'node:child_process';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullSpec, specFiles } from '../../codegen/commands/pull.js';
import { generate } from '../../codegen/commands/generate.js';
import { importCommands, importSource } from '../../codegen/import.js';
import {
  loadedSpecFromFiles,
  loadOverrides,
  readImportInput,
  type LoadedOverrideFile,
} from '../../codegen/load.js';
import type { SpecFile, SpecSource } from '../../codegen/spec-types.js';
import { formatErrors, validateSpec, type SpecError } from '../../codegen/validate.js';
import { vocabularyWarnings } from '../../codegen/vocabulary.js';
import { writeTree } from '../../codegen/write-generated.js';
import { writeSpec } from '../../codegen/write-spec.js';
import { startServer, type TestServer } from '../helpers/server.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const WORK = path.join(ROOT, '.tmp', 'rehearsal');
const RELEASES = ['redis-7.0.15', 'valkey-8.0.1', 'redis-8.0.2', 'valkey-8.1.1'] as const;

let upstream: string;
beforeAll(async () => {
  const { stdout } = await run('bash', [path.join(ROOT, '.ci/fetch-upstream.sh')], { maxBuffer: 1 << 20 });
  upstream = stdout.trim().split('\n').at(-1) ?? '';
  await rm(WORK, { recursive: true, force: true });
}, 300_000);
afterAll(async () => {
  await rm(WORK, { recursive: true, force: true });
});

/** Override entries whose command or argument the release lacks: dropped, with what they named. */
function withoutUnmatched(
  overrides: LoadedOverrideFile[],
  errors: SpecError[],
): { overrides: LoadedOverrideFile[]; dropped: string[] } {
  const dropped: string[] = [];
  const out = overrides.map((file) => {
    const bad = new Set<number>();
    for (const e of errors) {
      const m = /^\/overrides\/(\d+)\//.exec(e.pointer);
      if (e.path === file.path && m && /matches no command|has no argument/.test(e.message)) {
        bad.add(Number(m[1]));
        dropped.push(e.message);
      }
    }
    return { ...file, data: { overrides: file.data.overrides.filter((_, i) => !bad.has(i)) } };
  });
  return { overrides: out, dropped };
}

/** Upstream's src/commands when the mirror had the source, else a pull of the same release's binary. */
async function readRelease(release: string): Promise<{ files: SpecFile[]; source: SpecSource; how: string }> {
  const dir = path.join(upstream, release, 'src', 'commands');
  if (existsSync(dir)) {
    const input = await readImportInput(dir);
    const { files, errors } = importCommands(input);
    expect(formatErrors(errors)).toBe('');
    if (input.detected === undefined) throw new Error(`${dir}: no src/version.h`);
    return { files, source: importSource(input, files, input.detected), how: 'import' };
  }
  // Debian's mirror may lack a backports source tarball; the binary the tests run is that release.
  const [flavour, version] = release.split('-') as ['redis' | 'valkey', string];
  const servers: TestServer[] = [];
  try {
    const server = await startServer({ flavour });
    servers.push(server);
    const sentinel = await startServer({ flavour, sentinel: true });
    servers.push(sentinel);
    const pulled = await pullSpec({ url: server.url, sentinel: sentinel.url, protocol: 3 });
    expect(pulled.source.version).toBe(version);
    const files = specFiles(pulled);
    return { files, source: pulled.source, how: 'pull' };
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
  }
}

describe('bump rehearsal: upstream releases import, generate and type-check src/', () => {
  const trees = new Map<string, string>();

  it.each(RELEASES)(
    '%s: import → validate → generate',
    async (release) => {
      const { files, source, how } = await readRelease(release);
      const out = path.join(WORK, release);
      const specDir = path.join(out, 'spec');
      const all = await loadOverrides(path.join(ROOT, 'spec'));
      const first = validateSpec(loadedSpecFromFiles(specDir, files, source, all.overrides));
      const { overrides, dropped } = withoutUnmatched(all.overrides, first);
      const errors = validateSpec(loadedSpecFromFiles(specDir, files, source, overrides));
      expect(formatErrors(errors)).toBe('');
      // Warnings (unknown flags and the like) are data, never a failed bump.
      const warnings = vocabularyWarnings(loadedSpecFromFiles(specDir, files, source));
      await writeSpec(specDir, files, source);
      await mkdir(path.join(specDir, 'overrides'), { recursive: true });
      for (const file of overrides)
        await writeFile(
          path.join(specDir, 'overrides', path.basename(file.path)),
          `${JSON.stringify(file.data)}\n`,
        );
      const result = await generate(specDir);
      if ('errors' in result) throw new Error(result.errors);
      await writeTree(path.join(out, 'generated'), result.files);
      await cp(path.join(ROOT, 'src'), path.join(out, 'src'), { recursive: true });
      await writeFile(
        path.join(out, 'tsconfig.json'),
        JSON.stringify({
          extends: path.join(ROOT, 'tsconfig.json'),
          compilerOptions: { noEmit: true, skipLibCheck: true, incremental: false, rootDir: '.' },
          include: ['src', 'generated'],
        }),
      );
      trees.set(release, out);
      expect(result.model.groups.length).toBeGreaterThan(10);
      console.info(
        `${release}: ${how}; ${files.length} files, ${warnings.length} warning(s)` +
          (dropped.length > 0 ? `; overrides dropped (${dropped.join('; ')})` : ''),
      );
    },
    120_000,
  );

  it('type-checks src/ against every generated tree (one tsc per release, two at a time)', async () => {
    expect([...trees.keys()].sort()).toEqual([...RELEASES].sort());
    const tsc = path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const failures: string[] = [];
    const queue = [...trees];
    const worker = async (): Promise<void> => {
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        const [release, dir] = next;
        try {
          await run(process.execPath, [tsc, '-p', path.join(dir, 'tsconfig.json')], { maxBuffer: 16 << 20 });
        } catch (err) {
          const { stdout } = err as { stdout?: string };
          failures.push(`${release}:\n${stdout ?? String(err)}`);
        }
      }
    };
    await Promise.all([worker(), worker()]);
    expect(failures.join('\n')).toBe('');
  }, 240_000);
});
