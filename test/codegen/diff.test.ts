// spec:diff: the change model on small fixtures (each kind of change once, and prose-only edits
// that must not count), the markdown report against a golden file, the CLI's exit codes, and a
// report between real pulls of redis 7.0.15 and valkey 8.0.1 naming known differences.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../codegen/cli.js';
import { commandsByName, diffSpecs, renderDiffReport, type SpecCommands } from '../../codegen/diff.js';
import { loadSpecDir } from '../../codegen/load.js';
import { startServer, type TestServer } from '../helpers/server.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'diff');

async function load(dir: string): Promise<SpecCommands> {
  const spec = await loadSpecDir(dir);
  expect(spec.problems).toEqual([]);
  return commandsByName(spec.files);
}

/** Runs `redspec spec diff` in-process and captures what it writes. */
async function runCli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const stdout = vi
    .spyOn(process.stdout, 'write')
    .mockImplementation((chunk) => ((out += String(chunk)), true));
  const stderr = vi
    .spyOn(process.stderr, 'write')
    .mockImplementation((chunk) => ((err += String(chunk)), true));
  try {
    return { code: await main(['spec', 'diff', ...argv]), out, err };
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}

describe('diffSpecs on fixtures', () => {
  it('finds added, removed and newly deprecated commands by full name', async () => {
    const diff = diffSpecs(await load(join(fixtures, 'old')), await load(join(fixtures, 'new')));
    expect(diff.added).toEqual(['CLIENT CAPA', 'LMPOP']);
    expect(diff.removed).toEqual(['SUBSTR']);
    expect(diff.deprecated).toEqual([
      { command: 'HMSET', since: '4.0.0', replacedBy: '`HSET` with multiple field-value pairs' },
    ]);
  });

  it('reports argument, reply, arity, flag, tip and key-spec changes, and nothing for prose', async () => {
    const diff = diffSpecs(await load(join(fixtures, 'old')), await load(join(fixtures, 'new')));
    // GET differs only in summary, key-spec notes and the key order of its reply schema.
    expect(diff.changed.map((c) => c.command)).toEqual(['CLIENT INFO', 'INCR', 'SET']);
    const [clientInfo, incr, set] = diff.changed;
    expect(clientInfo).toEqual({
      command: 'CLIENT INFO',
      arguments: [],
      reply: 'added',
      arity: { old: 2, new: -2 },
    });
    expect(incr).toEqual({ command: 'INCR', arguments: [], reply: 'changed' });
    expect(set).toEqual({
      command: 'SET',
      arguments: [
        { path: 'condition.nx', kind: 'changed', fields: { token: { old: 'NX', new: 'IFNX' } } },
        { path: 'expiration', kind: 'changed', fields: { multiple: { old: false, new: true } } },
        { path: 'expiration.keepttl', kind: 'added' },
        { path: 'expiration.milliseconds', kind: 'removed' },
        { path: 'expiration.seconds', kind: 'changed', fields: { type: { old: 'integer', new: 'double' } } },
        { path: 'get', kind: 'changed', fields: { optional: { old: true, new: false } } },
      ],
      reply: 'removed',
      flags: { added: ['FAST'], removed: [] },
      aclCategories: { added: [], removed: ['SLOW'] },
      tips: { added: ['REQUEST_POLICY:ALL_SHARDS'], removed: [] },
      keySpecs: true,
    });
  });

  it('is empty between a spec and itself', async () => {
    const spec = await load(join(fixtures, 'new'));
    expect(diffSpecs(spec, spec)).toEqual({ added: [], removed: [], deprecated: [], changed: [] });
  });

  it('renders the golden markdown report', async () => {
    const old = await load(join(fixtures, 'old'));
    const now = await load(join(fixtures, 'new'));
    const report = renderDiffReport(
      diffSpecs(old, now),
      { old: 'fixture-old 1.0.0', new: 'fixture-new 2.0.0' },
      old,
      now,
    );
    expect(report).toBe(readFileSync(join(fixtures, 'expected.md'), 'utf8'));
  });

  it('fences code spans that hold a backtick', () => {
    const command = (token: string) => ({
      group: 'string',
      arity: 2,
      arguments: [{ name: 'a`b', type: 'pure-token' as const, token }],
    });
    const old = new Map([['X', command('T')]]);
    const now = new Map([['X', command('T`2')]]);
    const report = renderDiffReport(diffSpecs(old, now), { old: 'a', new: 'b' }, old, now);
    expect(report).toContain('- argument `` a`b ``: token `T` → `` T`2 ``');
  });
});

describe('redspec spec diff', () => {
  it('prints the report with labels from SOURCE.json and exits 0', async () => {
    const { code, out } = await runCli(['--', join(fixtures, 'old'), join(fixtures, 'new')]);
    expect(code).toBe(0);
    expect(out).toBe(readFileSync(join(fixtures, 'expected.md'), 'utf8'));
  });

  it('exits 2 on a usage error', async () => {
    const { code, err } = await runCli([join(fixtures, 'old')]);
    expect(code).toBe(2);
    expect(err).toMatch(/^redspec: missing required argument 'new'/);
  });

  it('exits 1 naming the file when a spec file cannot be read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'redspec-diff-'));
    try {
      mkdirSync(join(dir, 'commands'));
      writeFileSync(join(dir, 'commands', 'get.json'), '{"GET": {"group": "string",}}');
      const { code, out, err } = await runCli([join(fixtures, 'old'), dir]);
      expect(code).toBe(1);
      expect(out).toBe('');
      expect(err).toContain('get.json');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Real pulls: redis 7.0.15 (Debian) against valkey 8.0.1, both pulled by spec:pull.

const exec = promisify(execFile);
const repo = join(import.meta.dirname, '..', '..');

describe('spec:diff between pulls of redis 7.0.15 and valkey 8.0.1', () => {
  const servers: TestServer[] = [];
  let work: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'redspec-diff-pull-'));
    const [redis, valkey] = await Promise.all([
      startServer({ flavour: 'redis' }),
      startServer({ flavour: 'valkey' }),
    ]);
    servers.push(redis, valkey);
    const redspec = join(repo, 'node_modules', '.bin', 'redspec');
    await Promise.all(
      [
        [redis, 'redis'],
        [valkey, 'valkey'],
      ].map(([server, name]) =>
        exec(
          redspec,
          ['spec', 'pull', '--url', (server as TestServer).url, '--out', join(work, name as string)],
          {
            cwd: repo,
          },
        ),
      ),
    );
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('lists the commands valkey 8.0 added', async () => {
    const old = await load(join(work, 'redis'));
    const now = await load(join(work, 'valkey'));
    const diff = diffSpecs(old, now);
    for (const command of [
      'CLIENT CAPA',
      'CLIENT NO-TOUCH',
      'CLIENT SETINFO',
      'WAITAOF',
      'CLUSTER MYSHARDID',
    ]) {
      expect(diff.added).toContain(command);
    }
    expect(diff.added.every((name) => now.has(name) && !old.has(name))).toBe(true);
    expect(diff.removed.every((name) => old.has(name) && !now.has(name))).toBe(true);
    // Valkey marks SETNX/SETEX/PSETEX deprecated (Redis 7.0 did not) and QUIT since 7.2.
    expect(diff.deprecated.map((d) => d.command)).toEqual(
      expect.arrayContaining(['PSETEX', 'QUIT', 'SETEX', 'SETNX']),
    );
    const changed = new Map(diff.changed.map((c) => [c.command, c]));
    expect(changed.get('BITOP')?.arguments).toContainEqual({
      path: 'operation',
      kind: 'changed',
      fields: { type: { old: 'string', new: 'oneof' } },
    });
    expect(changed.get('BLPOP')?.flags?.removed).toContain('NOSCRIPT');
    expect(changed.has('GET')).toBe(false);

    const { code, out } = await runCli([join(work, 'redis'), join(work, 'valkey')]);
    expect(code).toBe(0);
    expect(out).toMatch(/^# Spec diff: \S+ 7\.0\.15 → \S+ 8\.0\.1\n/);
    expect(out).toContain('- `CLIENT CAPA` (connection, since 8.0.0)');
    expect(out).toContain('- `WAITAOF` (generic, since 7.2.0)');
  });
});
