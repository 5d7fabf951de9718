// The package as a user installs it: `npm pack` of a fresh build (what `prepare` makes), checked
// by @arethetypeswrong/cli, installed into a new ES-module project and a new CommonJS project,
// type-checked there under TypeScript's default target with the declarations checked too
// (skipLibCheck off), and the quick start run against a throwaway server. The package carries no
// dependency and no generator: codegen/ is a workspace of the repository, never packed.
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './helpers/server.js';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '..');
const bin = (name: string) => join(root, 'node_modules', '.bin', name);

const quickStart = `
const r = createClient(process.env.REDIS_URL);
await r.set('pkg:k', 'v', { EX: 60 });
const value: string | null = await r.get('pkg:k');
const [ok, n] = await r.pipeline().set('pkg:n', '1').incr('pkg:n').exec();
try {
  await r.hset('pkg:k', [{ field: 'f', value: 'x' }]);
} catch (error) {
  if (!(error instanceof WrongTypeError)) throw error;
}
console.log(JSON.stringify({ value, ok, n }));
await r.close();
`;

let server: TestServer;
let dir: string;
let tarball: string;

beforeAll(async () => {
  server = await startServer();
  dir = mkdtempSync(join(tmpdir(), 'redspec-pkg-'));
  await run('npm', ['run', 'build'], { cwd: root, timeout: 120_000 });
  await run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], { cwd: root, timeout: 60_000 });
  const name = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (name === undefined) throw new Error('npm pack made no tarball');
  tarball = join(dir, name);
}, 180_000);
afterAll(async () => {
  await server?.stop();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

async function project(kind: 'module' | 'commonjs'): Promise<string> {
  const at = join(dir, kind);
  rmSync(at, { recursive: true, force: true });
  await run('mkdir', ['-p', at]);
  writeFileSync(join(at, 'package.json'), JSON.stringify({ name: `try-${kind}`, private: true, type: kind }));
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], {
    cwd: at,
    timeout: 60_000,
  });
  writeFileSync(
    join(at, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        lib: ['es2022'],
        strict: true,
        noEmit: true,
        skipLibCheck: false,
        types: ['node'],
        typeRoots: [join(root, 'node_modules', '@types')],
      },
      files: ['index.ts'],
    }),
  );
  return at;
}

describe('the packed package', () => {
  it('declares no dependencies and packs no generator (codegen/ stays in the repository)', async () => {
    const { stdout: list } = await run('tar', ['-tzf', tarball]);
    const files = list.trim().split('\n');
    expect(files).toContain('package/package.json');
    expect(files.filter((f) => f.includes('/codegen/'))).toEqual([]);
    const { stdout: manifest } = await run('tar', ['-xzOf', tarball, 'package/package.json']);
    const pkg = JSON.parse(manifest) as Record<string, unknown>;
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.peerDependencies).toBeUndefined();
    expect(pkg.optionalDependencies).toBeUndefined();
    expect(pkg.bin).toBeUndefined();
    // The root of the repository declares none either (what npm install redspec would read).
    const rootPkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
    expect(rootPkg.dependencies).toBeUndefined();
  });

  it('installs nothing but itself: no ajv, handlebars, ts-morph, commander or tsx', async () => {
    const at = await project('module');
    const installed = readdirSync(join(at, 'node_modules')).filter((name) => !name.startsWith('.'));
    expect(installed).toEqual(['redspec']);
  }, 120_000);

  it('has types that resolve right for every resolution mode (attw)', async () => {
    const { stdout } = await run(bin('attw'), [tarball, '--format', 'ascii'], { timeout: 60_000 });
    expect(stdout).toContain('No problems found');
  }, 60_000);

  it('works from an ES module project: types check, the quick start runs', async () => {
    const at = await project('module');
    writeFileSync(
      join(at, 'index.ts'),
      `import { createClient, WrongTypeError } from 'redspec';\n${quickStart}`,
    );
    await run(bin('tsc'), ['-p', '.'], { cwd: at, timeout: 60_000 });
    writeFileSync(
      join(at, 'index.mjs'),
      `import { createClient, WrongTypeError } from 'redspec';\n${quickStart.replace(': string | null', '')}`,
    );
    const { stdout } = await run('node', ['index.mjs'], {
      cwd: at,
      env: { ...process.env, REDIS_URL: server.url },
    });
    expect(JSON.parse(stdout)).toEqual({ value: 'v', ok: 'OK', n: 2 });
  }, 120_000);

  it('works from a CommonJS project: require(), types check, the quick start runs', async () => {
    const at = await project('commonjs');
    const body = quickStart.replace(': string | null', '');
    writeFileSync(
      join(at, 'index.ts'),
      `import { createClient, WrongTypeError } from 'redspec';\nasync function main(): Promise<void> {${quickStart}}\nvoid main();\n`,
    );
    await run(bin('tsc'), ['-p', '.'], { cwd: at, timeout: 60_000 });
    writeFileSync(
      join(at, 'index.cjs'),
      `const { createClient, WrongTypeError } = require('redspec');\n(async () => {${body}})();\n`,
    );
    const { stdout } = await run('node', ['index.cjs'], {
      cwd: at,
      env: { ...process.env, REDIS_URL: server.url },
    });
    expect(JSON.parse(stdout)).toEqual({ value: 'v', ok: 'OK', n: 2 });
  }, 120_000);
});
