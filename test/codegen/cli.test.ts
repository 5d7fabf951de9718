// The redspec bin as contributors run it (node_modules/.bin/redspec, a child process): --help on
// every verb, exit codes (0 ok, 1 check failed / invalid spec / unreachable server, 2 usage), the
// one-line errors, and the progress lines of a real pull from a server this file starts. Nothing
// here writes into the repository: stale trees, broken specs and pulls live in a temporary dir.
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startServer, type TestServer } from '../helpers/server.js';

const root = path.resolve(import.meta.dirname, '..', '..');
const bin = path.join(root, 'node_modules', '.bin', 'redspec');

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the bin from the repository root; never rejects, the exit code is the result. */
function redspec(...args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'redspec-cli-'));
});
afterAll(async () => {
  if (tmp !== undefined) await rm(tmp, { recursive: true, force: true });
});

describe('redspec --help', () => {
  it.each<[string[], string[]]>([
    [[], ['generate', 'spec', 'api', 'redspec spec pull --url', 'Exit codes']],
    [['generate'], ['--check', '--spec <dir>', '--out <dir>', '--progress']],
    [['spec'], ['pull', 'import', 'validate', 'diff']],
    [
      ['spec', 'pull'],
      ['--url <url>', '--sentinel <url>', '--out <dir>', '--resp <version>', '--facts-only'],
    ],
    [
      ['spec', 'import'],
      ['<dir|file>', '--out <dir>', '--server <name>', '--version <x.y.z>', '--facts-only'],
    ],
    [['spec', 'validate'], ['[dir]']],
    [
      ['spec', 'diff'],
      ['<old>', '<new>'],
    ],
    [
      ['api', 'diff'],
      ['--base <ref>', '[old]', '[new]'],
    ],
  ])('redspec %j --help exits 0 and names its options', async (verb, names) => {
    const { code, stdout } = await redspec(...verb, '--help');
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: redspec ${verb.join(' ')}`.trimEnd());
    for (const name of names) expect(stdout).toContain(name);
  });
});

describe('usage errors exit 2 with one message and a pointer to --help', () => {
  it.each<[string[], RegExp]>([
    [['frobnicate'], /^redspec: unknown command 'frobnicate'/m],
    [
      ['generate', '--frobnicate'],
      /^redspec: unknown option '--frobnicate'\n\(run 'redspec generate --help'/m,
    ],
    [['spec', 'pull'], /^redspec: required option '--url <url>' not specified/m],
    [['spec', 'pull', '--url', 'redis://127.0.0.1:1', '--resp', '4'], /argument '4' is invalid/],
    [['spec', 'import'], /^redspec: missing required argument 'dir\|file'/m],
    [['spec', 'diff', 'spec'], /^redspec: missing required argument 'new'/m],
    [['api', 'diff', 'only-one'], /^redspec: two spec directories are needed/m],
  ])('redspec %j', async (args, message) => {
    const { code, stdout, stderr } = await redspec(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
  });

  it('a URL that is not one, naming the option and never the password', async () => {
    const { code, stderr } = await redspec(
      'spec',
      'pull',
      '--url',
      'http://:hunter2@127.0.0.1:1',
      '--out',
      tmp,
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/^redspec: --url: invalid Redis URL: unsupported scheme "http:"/);
    expect(stderr).not.toContain('hunter2');
  });
});

describe('redspec generate --check', () => {
  it('exits 0 on the committed generated/', async () => {
    const { code, stdout } = await redspec('generate', '--check');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^generated\/ is up to date \(\d+ files\)$/m);
  });

  it('exits 1 with a diff when a generated file is stale (a copy, not the repository)', async () => {
    const out = path.join(tmp, 'generated');
    await cp(path.join(root, 'generated'), out, { recursive: true });
    const index = path.join(out, 'index.ts');
    await writeFile(index, `${await readFile(index, 'utf8')}// edited\n`);
    const { code, stdout, stderr } = await redspec('generate', '--check', '--out', out, '--progress');
    expect(code).toBe(1);
    expect(stdout).toContain('--- a/index.ts');
    expect(stdout).toContain('-// edited');
    expect(stderr).toMatch(/^redspec: generate --check: .*generated\/ differs from what spec\/ generates/m);
    // --progress: a line per phase, each with its time.
    for (const phase of ['loaded', 'validated', 'modelled', 'rendered', 'emitted and formatted', 'compared'])
      expect(stderr).toMatch(new RegExp(`^generate: ${phase} .*\\(\\d+ ms\\)$`, 'm'));
  });
});

describe('redspec generate on a spec it cannot model', () => {
  it('exits 1 with one line naming the command and the fault, not a stack', async () => {
    const spec = path.join(tmp, 'unmodelled-spec');
    await cp(path.join(root, 'test/fixtures/spec/valid'), spec, { recursive: true });
    const replies = path.join(spec, 'overrides', 'replies.json');
    // Valid file by file, but two commands on one method name is a fault of the whole surface.
    const data = JSON.parse(await readFile(replies, 'utf8')) as { overrides: object[] };
    data.overrides.push({ command: 'SET', reason: 'a clash', method: 'get' });
    await writeFile(replies, JSON.stringify(data));
    const { code, stderr } = await redspec(
      'generate',
      '--check',
      '--spec',
      spec,
      '--out',
      path.join(tmp, 'out'),
    );
    expect(code).toBe(1);
    expect(stderr).toBe("redspec: cannot generate from this spec: SET and GET both map to method 'get'\n");
  });
});

describe('redspec spec validate', () => {
  it('exits 0 on spec/', async () => {
    const { code, stdout } = await redspec('spec', 'validate');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^spec: \d+ command files and \d+ override files are valid/);
  });

  it('exits 1 on a spec with one broken file, naming the file and the JSON pointer', async () => {
    const spec = path.join(tmp, 'broken-spec');
    await cp(path.join(root, 'test/fixtures/spec/valid'), spec, { recursive: true });
    const get = path.join(spec, 'commands', 'get.json');
    await writeFile(get, (await readFile(get, 'utf8')).replace('"group": "string"', '"group": "strings"'));
    const { code, stderr } = await redspec('spec', 'validate', spec);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `${spec}/commands/get.json#/GET/group: must be equal to one of the allowed values`,
    );
    expect(stderr).toMatch(/^redspec: invalid spec: 1 error\(s\)/m);
  });

  it('exits 1 on a directory that is not a spec, in one line', async () => {
    const { code, stderr } = await redspec('spec', 'validate', path.join(tmp, 'nowhere'));
    expect(code).toBe(1);
    expect(stderr).toBe(
      `redspec: ${tmp}/nowhere/commands: not a directory (expected a spec directory with commands/)\n`,
    );
  });
});

describe('redspec spec pull', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ flavour: 'valkey' });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('exits 1 with one line naming the URL (without its password) when nothing listens', async () => {
    const port = await freePort();
    const { code, stderr } = await redspec(
      'spec',
      'pull',
      '--url',
      `redis://:hunter2@127.0.0.1:${port}`,
      '--out',
      tmp,
    );
    expect(code).toBe(1);
    expect(stderr).toBe(`redspec: cannot connect to redis://127.0.0.1:${port}: ECONNREFUSED\n`);
  });

  it('pulls a real server, with a progress line per phase on stderr under --progress', async () => {
    const out = path.join(tmp, 'pulled');
    const { code, stdout, stderr } = await redspec(
      'spec',
      'pull',
      '--url',
      server.url,
      '--out',
      out,
      '--progress',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^.*pulled: pulled \d+ commands and \d+ subcommands .* from valkey 8\.0\.1/);
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(`^spec pull: read COMMAND DOCS and COMMAND INFO from ${server.url} \\(\\d+ ms\\)$`),
      ),
      expect.stringMatching(
        /^spec pull: normalised \d+ commands and \d+ subcommands of valkey 8\.0\.1 \(\d+ ms\)$/,
      ),
      expect.stringMatching(/^spec pull: validated \d+ files \(\d+ ms\)$/),
      expect.stringMatching(/^spec pull: wrote \d+ files to .*pulled\/ \(\d+ ms\)$/),
    ]);
  });

  it('prints no progress lines when stderr is not a terminal and none are asked for', async () => {
    const { code, stderr } = await redspec(
      'spec',
      'pull',
      '--url',
      server.url,
      '--out',
      path.join(tmp, 'quiet'),
    );
    expect(code).toBe(0);
    expect(stderr).toBe('');
  });
});
