// spec:import on hand-written fixtures: a source tree's per-command files, a flat merged file and a
// redis generate-commands-json style file (COMMAND DOCS spelling, subcommands nested) all become the
// same spec files, byte for byte those of test/fixtures/spec/valid; structural faults are reported.
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../codegen/cli.js';
import { importCommands, importSource, normalizeCommand } from '../../codegen/import.js';
import { displayPath, readImportInput } from '../../codegen/load.js';
import type { SpecFile } from '../../codegen/spec-types.js';
import { serializeSpecFile, specFileName, writeSpec } from '../../codegen/write-spec.js';

const FIXTURES = 'test/fixtures/spec';
const GOLDEN = `${FIXTURES}/valid/commands`;

/** `redspec spec import` in-process: the parsing, the verb and the exit code the bin gives. */
const importCli = (argv: string[]): Promise<number> => main(['spec', 'import', ...argv]);

async function golden(): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const name of (await readdir(GOLDEN)).sort())
    out.set(name, await readFile(path.join(GOLDEN, name), 'utf8'));
  return out;
}

function serialized(files: SpecFile[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of files) {
    for (const [name, command] of Object.entries(file)) {
      out.set(specFileName(name, command.container), serializeSpecFile({ [name]: command }));
    }
  }
  return out;
}

function stripped(files: Map<string, string>, keys: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, text] of files) {
    for (const [cmd, command] of Object.entries(
      JSON.parse(text) as Record<string, Record<string, unknown>>,
    )) {
      for (const key of keys) delete command[key];
      out.set(name, serializeSpecFile({ [cmd]: command as never }));
    }
  }
  return out;
}

let tmp: string;
beforeEach(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), 'redspec-import-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(tmp, { recursive: true, force: true });
});

describe('importCommands', () => {
  it('imports a source tree and writes the golden spec files and SOURCE.json', async () => {
    const input = await readImportInput(`${FIXTURES}/source-tree/src/commands`);
    expect(input.detected).toEqual({ server: 'valkey', version: '8.1.1' });
    const { files, errors } = importCommands(input);
    expect(errors).toEqual([]);
    await writeSpec(tmp, files, importSource(input, files, { server: 'valkey', version: '8.1.1' }));
    const written = new Map<string, string>();
    for (const name of (await readdir(path.join(tmp, 'commands'))).sort()) {
      written.set(name, await readFile(path.join(tmp, 'commands', name), 'utf8'));
    }
    expect(written).toEqual(await golden());
    expect(await readFile(path.join(tmp, 'SOURCE.json'), 'utf8')).toBe(
      await readFile(`${FIXTURES}/valid/SOURCE.json`, 'utf8'),
    );
  });

  it('imports a flat merged file ("CLIENT KILL" keys) to the same files', async () => {
    const { files, errors } = importCommands(await readImportInput(`${FIXTURES}/merged/commands-flat.json`));
    expect(errors).toEqual([]);
    expect(serialized(files)).toEqual(await golden());
  });

  it('imports a redis commands.json (COMMAND DOCS spelling, nested subcommands) to the same files', async () => {
    const { files, errors } = importCommands(await readImportInput(`${FIXTURES}/merged/commands-redis.json`));
    expect(errors).toEqual([]);
    // That format carries no source function names; everything else must match.
    const source = ['function', 'get_keys_function'];
    expect(serialized(files)).toEqual(stripped(await golden(), source));
  });

  it('normalises COMMAND INFO key specs, flags and categories to the file spelling', () => {
    expect(
      normalizeCommand({
        group: 'sorted_set',
        flags: ['write', 'movablekeys'],
        acl_categories: ['@sortedset', '@write'],
        hints: ['request_policy:all_shards'],
        doc_flags: ['deprecated'],
        key_specs: [
          {
            flags: ['RW', 'access'],
            begin_search: { type: 'keyword', spec: { keyword: 'STREAMS', startfrom: 1 } },
            find_keys: { type: 'keynum', spec: { keynumidx: 0, firstkey: 1, keystep: 1 } },
          },
          {
            flags: ['RO'],
            begin_search: { type: 'unknown', spec: {} },
            find_keys: { type: 'unknown', spec: {} },
          },
        ],
        arguments: [{ name: 'm', type: 'string', display_text: 'member', flags: ['optional', 'multiple'] }],
      }),
    ).toEqual({
      group: 'sorted-set',
      command_flags: ['WRITE', 'MOVABLEKEYS'],
      acl_categories: ['SORTEDSET', 'WRITE'],
      command_tips: ['REQUEST_POLICY:ALL_SHARDS'],
      doc_flags: ['DEPRECATED'],
      key_specs: [
        {
          flags: ['RW', 'ACCESS'],
          begin_search: { keyword: { keyword: 'STREAMS', startfrom: 1 } },
          find_keys: { keynum: { keynumidx: 0, firstkey: 1, step: 1 } },
        },
        { flags: ['RO'], begin_search: { unknown: null }, find_keys: { unknown: null } },
      ],
      arguments: [{ name: 'm', type: 'string', display: 'member', optional: true, multiple: true }],
    });
  });

  it('reports structural faults of merged input with their pointers', () => {
    const document = {
      GET: 'not an object',
      CLIENT: {
        group: 'connection',
        arity: -2,
        subcommands: { 'client|kill': { group: 'connection', arity: -3, container: 'CONFIG' } },
      },
      'CLIENT KILL': { group: 'connection', arity: -3 },
      OBJECT: { group: 'generic', arity: -2, subcommands: 7 },
      MEMORY: {
        group: 'server',
        arity: -2,
        subcommands: [{ 'memory|usage': { group: 'server', arity: -3 } }, { a: {}, b: {} }],
      },
    };
    const { files, errors } = importCommands({
      kind: 'merged',
      from: 'm.json',
      document: { path: 'm.json', data: document },
    });
    expect(errors).toEqual([
      { path: 'm.json', pointer: '/GET', message: 'a command entry must be an object' },
      {
        path: 'm.json',
        pointer: '/CLIENT/subcommands/client|kill/container',
        message: 'says CONFIG but the entry is under CLIENT',
      },
      { path: 'm.json', pointer: '/OBJECT/subcommands', message: 'must be an object or an array' },
      {
        path: 'm.json',
        pointer: '/MEMORY/subcommands/1',
        message: 'a subcommand entry must be an object with exactly one property, its name',
      },
      {
        path: 'm.json',
        pointer: '/CLIENT KILL',
        message: 'CLIENT KILL is also defined at m.json#/CLIENT/subcommands/client|kill',
      },
    ]);
    // Sorted by file name: client-kill.json comes before client.json.
    expect(files.map((f) => Object.keys(f)[0])).toEqual(['KILL', 'CLIENT', 'USAGE', 'MEMORY', 'OBJECT']);
  });
});

describe('writeSpec', () => {
  it('removes stale command files, keeps overrides and writes the same bytes every time', async () => {
    await mkdir(path.join(tmp, 'commands'), { recursive: true });
    await mkdir(path.join(tmp, 'overrides'), { recursive: true });
    await writeFile(path.join(tmp, 'commands', 'gone.json'), '{}\n');
    await writeFile(path.join(tmp, 'overrides', 'mine.json'), '{"overrides": []}\n');
    const files: SpecFile[] = [
      { PING: { zeta: 1, arity: -1, group: 'connection', summary: 'Ping.' } as never },
    ];
    const source = {
      server: 'redis',
      version: '7.0.15',
      obtained: 'import' as const,
      from: 'x',
      counts: { files: 1, commands: 1, subcommands: 0, withReplySchema: 0 },
    };
    await writeSpec(tmp, files, source);
    const first = await readFile(path.join(tmp, 'commands', 'ping.json'), 'utf8');
    await writeSpec(tmp, files, source);
    expect(await readFile(path.join(tmp, 'commands', 'ping.json'), 'utf8')).toBe(first);
    expect(first).toBe(
      '{\n    "PING": {\n        "summary": "Ping.",\n        "group": "connection",\n        "arity": -1,\n        "zeta": 1\n    }\n}\n',
    );
    expect(await readdir(path.join(tmp, 'commands'))).toEqual(['ping.json']);
    expect(await readdir(path.join(tmp, 'overrides'))).toEqual(['mine.json']);
    expect(await readFile(path.join(tmp, 'SOURCE.json'), 'utf8')).toBe(
      '{\n    "server": "redis",\n    "version": "7.0.15",\n    "obtained": "import",\n    "from": "x",\n    "counts": {\n        "commands": 1,\n        "subcommands": 0,\n        "withReplySchema": 0,\n        "files": 1\n    }\n}\n',
    );
  });

  it('names files as upstream does', () => {
    expect(specFileName('GET')).toBe('get.json');
    expect(specFileName('KILL', 'CLIENT')).toBe('client-kill.json');
    expect(specFileName('COUNT-FAILURE-REPORTS', 'CLUSTER')).toBe('cluster-count-failure-reports.json');
    expect(specFileName('FT.SEARCH')).toBe('ft-search.json');
  });
});

describe('spec:import', () => {
  function capture(): string[] {
    const err: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      err.push(String(chunk));
      return true;
    });
    return err;
  }

  it('writes the spec layout and exits 0', async () => {
    const err = capture();
    expect(
      await importCli([
        `${FIXTURES}/merged/commands-flat.json`,
        '--out',
        tmp,
        '--server',
        'valkey',
        '--version',
        '8.1.1',
      ]),
    ).toBe(0);
    // The fixture spells CLIENT KILL's TYPE tokens in lower case: fixed, and said, never an error.
    expect(err.join('').trim().split('\n')).toHaveLength(4);
    expect(err.join('')).toMatch(
      /^note: .*\/token: token "normal" read as "NORMAL", as the server gives it$/m,
    );
    expect((await readdir(path.join(tmp, 'commands'))).sort()).toEqual([...(await golden()).keys()]);
    const source = JSON.parse(await readFile(path.join(tmp, 'SOURCE.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(source).toMatchObject({
      server: 'valkey',
      version: '8.1.1',
      obtained: 'import',
      from: `${FIXTURES}/merged/commands-flat.json`,
    });
  });

  it('writes nothing and exits 1 when the result does not validate', async () => {
    const err = capture();
    const bad = path.join(tmp, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({ GET: { group: 'string', arity: 2, arguments: [{ name: 'key', type: 'kee' }] } }),
    );
    const out = path.join(tmp, 'out');
    expect(await importCli([bad, '--out', out, '--server', 'redis', '--version', '7.0.15'])).toBe(1);
    expect(err.join('')).toContain(
      `/commands/get.json#/GET/arguments/0/type: must be equal to one of the allowed values (`,
    );
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('fixes upstream quirks with a note each and imports an unknown flag with a warning', async () => {
    const err = capture();
    const quirky = path.join(tmp, 'quirky.json');
    await writeFile(
      quirky,
      JSON.stringify({
        X: {
          group: 'server',
          arity: -2,
          command_flags: ['WRITE', 'EXPERIMENTAL', 'WRITE'],
          arguments: [
            { name: 'value', type: 'string', multiple: 'true', display_text: 'value' },
            { name: 'mode', type: 'oneof', arguments: [{ name: 'crash', type: 'pure-token' }] },
            { name: 'value', type: 'pure-token', token: 'AGAIN', optional: 'false' },
          ],
        },
      }),
    );
    const out = path.join(tmp, 'out');
    expect(await importCli([quirky, '--out', out, '--server', 'redis', '--version', '9.0.0'])).toBe(0);
    const where = `${displayPath(quirky)}#/X`;
    expect(err.join('').trim().split('\n')).toEqual([
      `note: ${where}/command_flags/2: dropped repeated WRITE`,
      `note: ${where}/arguments/0/multiple: string "true" read as boolean true`,
      `note: ${where}/arguments/1/arguments/0/token: pure-token without token: its name CRASH is the token`,
      `note: ${where}/arguments/2/optional: string "false" read as boolean false`,
      `note: ${where}/arguments/2/name: repeated sibling name 'value' renamed 'again' (kept as display)`,
      `warning: ${displayPath(out)}/commands/x.json#/X/command_flags/1: unknown command flag EXPERIMENTAL (kept as data)`,
    ]);
    expect(JSON.parse(await readFile(path.join(out, 'commands', 'x.json'), 'utf8'))).toEqual({
      X: {
        group: 'server',
        arity: -2,
        command_flags: ['WRITE', 'EXPERIMENTAL'],
        arguments: [
          { name: 'value', type: 'string', display: 'value', multiple: true },
          { name: 'mode', type: 'oneof', arguments: [{ name: 'crash', type: 'pure-token', token: 'CRASH' }] },
          { name: 'again', type: 'pure-token', display: 'value', token: 'AGAIN', optional: false },
        ],
      },
    });
  });

  it('asks for the server when it cannot be detected, and reports unreadable JSON with its position', async () => {
    const err = capture();
    expect(await importCli([`${FIXTURES}/merged/commands-flat.json`, '--out', tmp])).toBe(2);
    expect(err.join('')).toContain('pass --server and --version');
    const broken = path.join(tmp, 'broken.json');
    await writeFile(broken, '{"GET": {\n  "arity": 2,,\n}}');
    expect(await importCli([broken, '--out', tmp, '--server', 'redis', '--version', '7.0.15'])).toBe(1);
    expect(err.join('')).toMatch(
      /broken\.json#: invalid JSON at line 2 column 14: expected a double-quoted property name/,
    );
  });
});
