// The `generate` verb end to end on temporary copies: --check passes on a fresh tree, fails with a
// diff when a file was edited or a stale one added, writing restores the tree and removes stale
// files, an invalid spec fails; and the committed generated/ is what spec/ produces, byte for byte.
import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../codegen/cli.js';

const FIXTURE_SPEC = 'test/fixtures/codegen/spec';

let dir: string;
let output: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'redspec-generate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs `redspec generate` in-process, capturing stdout + stderr. */
async function generate(...argv: string[]): Promise<number> {
  output = '';
  const capture = (chunk: string | Uint8Array): boolean => {
    output += String(chunk);
    return true;
  };
  const out = vi.spyOn(process.stdout, 'write').mockImplementation(capture);
  const err = vi.spyOn(process.stderr, 'write').mockImplementation(capture);
  try {
    return await main(['generate', ...argv]);
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('generate', () => {
  it('writes a tree that --check then accepts', async () => {
    const out = path.join(dir, 'fresh');
    expect(await generate('--spec', FIXTURE_SPEC, '--out', out)).toBe(0);
    expect(output).toMatch(/generated 25 methods in 11 groups/);
    expect(await generate('--check', '--spec', FIXTURE_SPEC, '--out', out)).toBe(0);
  });

  it('--check exits 1 with a diff naming the edited file and lines, and writes nothing', async () => {
    const out = path.join(dir, 'edited');
    await generate('--spec', FIXTURE_SPEC, '--out', out);
    const file = path.join(out, 'commands', 'string.ts');
    const original = await readFile(file, 'utf8');
    await writeFile(
      file,
      original.replace(
        'get(key: RedisKey): ResultKinds<GetReply, Acc>[K];',
        'get(key: string): ResultKinds<GetReply, Acc>[K];',
      ),
    );
    expect(await generate('--check', '--spec', FIXTURE_SPEC, '--out', out)).toBe(1);
    expect(output).toContain('--- a/commands/string.ts');
    expect(output).toContain('+++ b/commands/string.ts');
    expect(output).toContain('-  get(key: string): ResultKinds<GetReply, Acc>[K];');
    expect(output).toContain('+  get(key: RedisKey): ResultKinds<GetReply, Acc>[K];');
    expect(await readFile(file, 'utf8')).not.toBe(original);
  });

  it('reports a stale file under --check and removes it on write', async () => {
    const out = path.join(dir, 'stale');
    await generate('--spec', FIXTURE_SPEC, '--out', out);
    await writeFile(path.join(out, 'commands', 'removed-group.ts'), '// old\n');
    expect(await generate('--check', '--spec', FIXTURE_SPEC, '--out', out)).toBe(1);
    expect(output).toContain('--- a/commands/removed-group.ts\n+++ /dev/null');
    expect(await generate('--spec', FIXTURE_SPEC, '--out', out)).toBe(0);
    expect(output).toMatch(/1 removed/);
    await expect(stat(path.join(out, 'commands', 'removed-group.ts'))).rejects.toThrow();
    expect(await generate('--check', '--spec', FIXTURE_SPEC, '--out', out)).toBe(0);
  });

  it('is deterministic: a spec change shows up only where it matters', async () => {
    const spec = path.join(dir, 'spec-copy');
    const out = path.join(dir, 'spec-change');
    await cp(FIXTURE_SPEC, spec, { recursive: true });
    await generate('--spec', spec, '--out', out);
    const getFile = path.join(spec, 'commands', 'get.json');
    await writeFile(
      getFile,
      (await readFile(getFile, 'utf8')).replace('Returns the string value of a key.', 'Gets a value.'),
    );
    expect(await generate('--check', '--spec', spec, '--out', out)).toBe(1);
    const changed = output.split('\n').filter((l) => l.startsWith('+++ '));
    expect(changed).toEqual(['+++ b/commands/string.ts']);
    expect(output).toContain('+   * Gets a value.');
  });

  it('fails on an invalid spec, naming the file and the JSON pointer', async () => {
    const spec = path.join(dir, 'bad-spec');
    await cp(FIXTURE_SPEC, spec, { recursive: true });
    const getFile = path.join(spec, 'commands', 'get.json');
    await writeFile(getFile, (await readFile(getFile, 'utf8')).replace('"arity": 2', '"arity": "two"'));
    expect(await generate('--spec', spec, '--out', path.join(dir, 'never'))).toBe(1);
    expect(output).toMatch(/get\.json#\/GET\/arity/);
    await expect(stat(path.join(dir, 'never'))).rejects.toThrow();
  });

  it('fails on a policy tip with an unknown value, naming the command and the tip', async () => {
    // Only a module command gets past validation with a tip the schema does not list.
    const spec = path.join(dir, 'bad-tip');
    await cp(FIXTURE_SPEC, spec, { recursive: true });
    const getFile = path.join(spec, 'commands', 'get.json');
    const get = JSON.parse(await readFile(getFile, 'utf8')) as { GET: Record<string, unknown> };
    get.GET.module = 'fixture';
    get.GET.command_tips = ['REQUEST_POLICY:SOME_SHARDS'];
    await writeFile(getFile, JSON.stringify(get));
    expect(await generate('--spec', spec, '--out', path.join(dir, 'never'))).toBe(1);
    expect(output).toContain("GET: unknown REQUEST_POLICY in tip 'REQUEST_POLICY:SOME_SHARDS'");
    await expect(stat(path.join(dir, 'never'))).rejects.toThrow();
  });

  it('rejects unknown arguments with usage', async () => {
    expect(await generate('--frobnicate')).toBe(2);
    expect(output).toMatch(/unknown option '--frobnicate'[^]*redspec generate --help/);
  });

  it('reproduces the committed generated/ from spec/ byte for byte', async () => {
    expect(await generate('--check')).toBe(0);
  });
});
