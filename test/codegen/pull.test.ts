// spec:pull: the pure normaliser on given/want tables (each fed as RESP3 values and as their RESP2
// flattening), and whole pulls from real redis-server 7.0.15 and valkey-server 8.0.1 (each with a
// sentinel of the same binary) over RESP2 and RESP3, checked against golden argument trees and key
// specs and run through the validator.
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../codegen/cli.js';
import { loadSpecDir } from '../../codegen/load.js';
import {
  normalisePull,
  PullShapeError,
  serverIdentity,
  upstreamName,
  type PullReplies,
} from '../../codegen/pull.js';
import { replySchema } from '../../codegen/pull-schema.js';
import { validateSpec } from '../../codegen/validate.js';
import type { SpecCommand } from '../../codegen/spec-types.js';
import type { RespValue } from '../../src/resp/types.js';
import { startServer, type TestServer } from '../helpers/server.js';

// ---- building replies ---------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON object as the RESP3 decoder delivers it: objects → Map, in key order. */
function resp3(value: Json): RespValue {
  if (Array.isArray(value)) return value.map(resp3);
  if (value !== null && typeof value === 'object') {
    return new Map<RespValue, RespValue>(Object.entries(value).map(([k, v]) => [k, resp3(v)]));
  }
  return value;
}

/** The same reply as a RESP2 server sends it: maps flattened, booleans as 0/1. */
function resp2(value: Json): RespValue {
  if (Array.isArray(value)) return value.map(resp2);
  if (value !== null && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [k, resp2(v)]);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

const protocols = [
  ['RESP3', resp3],
  ['RESP2', resp2],
] as const;

const SERVER_INFO =
  '# Server\r\nredis_version:7.2.4\r\nserver_name:valkey\r\nvalkey_version:8.1.1\r\nserver_mode:standalone\r\n';
const SENTINEL_INFO = SERVER_INFO.replace('standalone', 'sentinel');

const getKeySpec = {
  flags: ['RO', 'access'],
  begin_search: { type: 'index', spec: { index: 1 } },
  find_keys: { type: 'range', spec: { lastkey: 0, keystep: 1, limit: 0 } },
};

/** One COMMAND INFO row. */
function infoRow(
  name: string,
  arity: number,
  extra: { flags?: string[]; acl?: string[]; tips?: string[]; keySpecs?: Json[]; subs?: Json[] } = {},
): Json {
  return [
    name,
    arity,
    extra.flags ?? [],
    0,
    0,
    0,
    extra.acl ?? [],
    extra.tips ?? [],
    extra.keySpecs ?? [],
    extra.subs ?? [],
  ];
}

function replies(
  docs: Json,
  info: Json,
  encode: (v: Json) => RespValue,
  serverInfo = SERVER_INFO,
): PullReplies {
  return { docs: encode(docs), info: encode(info), serverInfo };
}

function only(docs: Json, info: Json, encode: (v: Json) => RespValue): SpecCommand {
  const { commands } = normalisePull(replies(docs, info, encode));
  expect(commands).toHaveLength(1);
  return (commands[0] as { command: SpecCommand }).command;
}

// ---- pure normaliser ----------------------------------------------------------------------------

describe('upstreamName', () => {
  it.each([
    ['write', 'WRITE'],
    ['denyoom', 'DENYOOM'],
    ['skip_monitor', 'SKIP_MONITOR'],
    ['@sortedset', 'SORTEDSET'],
    ['@string', 'STRING'],
    ['nondeterministic_output', 'NONDETERMINISTIC_OUTPUT'],
    ['request_policy:all_shards', 'REQUEST_POLICY:ALL_SHARDS'],
    ['access', 'ACCESS'],
    ['RO', 'RO'],
  ])('%s → %s', (given, want) => expect(upstreamName(given)).toBe(want));
});

describe('serverIdentity', () => {
  it.each([
    [SERVER_INFO, { server: 'valkey', version: '8.1.1', mode: 'standalone' }],
    [SENTINEL_INFO, { server: 'valkey', version: '8.1.1', mode: 'sentinel' }],
    [
      '# Server\nredis_version:7.0.15\nredis_mode:standalone\n',
      { server: 'redis', version: '7.0.15', mode: 'standalone' },
    ],
    [
      '# Server\r\nredis_version:7.0.15\r\nredis_mode:sentinel\r\n',
      { server: 'redis', version: '7.0.15', mode: 'sentinel' },
    ],
  ])('%j', (given, want) => expect(serverIdentity(given)).toEqual(want));

  it('rejects INFO without a version', () => {
    expect(() => serverIdentity('# Server\nserver_name:valkey\n')).toThrow(PullShapeError);
  });
});

describe.each(protocols)('normalisePull over %s', (_label, encode) => {
  it('maps docs fields and info flags, categories, tips to the upstream spelling', () => {
    const docs = {
      get: {
        summary: 'Returns the string value of a key.',
        since: '1.0.0',
        group: 'string',
        complexity: 'O(1)',
        doc_flags: ['deprecated', 'syscmd'],
        deprecated_since: '6.2.0',
        replaced_by: '`GETEX`',
        history: [['2.6.12', 'Added things.']],
        arguments: [{ name: 'key', type: 'key', display_text: 'key', key_spec_index: 0 }],
      },
    };
    const info = [
      infoRow('get', 2, {
        flags: ['readonly', 'fast'],
        acl: ['@read', '@string', '@fast'],
        tips: ['nondeterministic_output', 'request_policy:all_shards'],
        keySpecs: [getKeySpec],
      }),
    ];
    expect(only(docs, info, encode)).toEqual({
      summary: 'Returns the string value of a key.',
      complexity: 'O(1)',
      group: 'string',
      since: '1.0.0',
      arity: 2,
      history: [['2.6.12', 'Added things.']],
      deprecated_since: '6.2.0',
      replaced_by: '`GETEX`',
      doc_flags: ['DEPRECATED', 'SYSCMD'],
      command_flags: ['READONLY', 'FAST'],
      acl_categories: ['READ', 'STRING', 'FAST'],
      command_tips: ['NONDETERMINISTIC_OUTPUT', 'REQUEST_POLICY:ALL_SHARDS'],
      key_specs: [
        {
          flags: ['RO', 'ACCESS'],
          begin_search: { index: { pos: 1 } },
          find_keys: { range: { lastkey: 0, step: 1, limit: 0 } },
        },
      ],
      arguments: [{ name: 'key', type: 'key', display: 'key', key_spec_index: 0 }],
    });
  });

  it.each<[string, Json, SpecCommand['key_specs']]>([
    [
      'keyword + range with limit (XREAD)',
      {
        flags: ['RO', 'access'],
        begin_search: { type: 'keyword', spec: { keyword: 'STREAMS', startfrom: 1 } },
        find_keys: { type: 'range', spec: { lastkey: -1, keystep: 1, limit: 2 } },
      },
      [
        {
          flags: ['RO', 'ACCESS'],
          begin_search: { keyword: { keyword: 'STREAMS', startfrom: 1 } },
          find_keys: { range: { lastkey: -1, step: 1, limit: 2 } },
        },
      ],
    ],
    [
      'index + keynum with notes (EVAL)',
      {
        notes: 'We cannot tell how the keys will be used',
        flags: ['RW', 'access', 'update'],
        begin_search: { type: 'index', spec: { index: 2 } },
        find_keys: { type: 'keynum', spec: { keynumidx: 0, firstkey: 1, keystep: 1 } },
      },
      [
        {
          notes: 'We cannot tell how the keys will be used',
          flags: ['RW', 'ACCESS', 'UPDATE'],
          begin_search: { index: { pos: 2 } },
          find_keys: { keynum: { keynumidx: 0, firstkey: 1, step: 1 } },
        },
      ],
    ],
    [
      'unknown begin and find',
      {
        flags: ['RW', 'incomplete'],
        begin_search: { type: 'unknown', spec: {} },
        find_keys: { type: 'unknown', spec: {} },
      },
      [{ flags: ['RW', 'INCOMPLETE'], begin_search: { unknown: null }, find_keys: { unknown: null } }],
    ],
  ])('key spec: %s', (_name, given, want) => {
    const docs = { x: { group: 'generic' } };
    const cmd = only(docs, [infoRow('x', -2, { keySpecs: [given] })], encode);
    expect(cmd.key_specs).toEqual(want);
  });

  it.each<[string, Json, SpecCommand['arguments']]>([
    [
      'flags become booleans, nested arguments kept in order',
      {
        name: 'score_member',
        type: 'block',
        flags: ['optional', 'multiple', 'multiple_token'],
        token: 'T',
        summary: 'S',
        since: '3.0.2',
        deprecated_since: '7.0.0',
        arguments: [
          { name: 'score', type: 'double', display_text: 'score' },
          { name: 'member', type: 'string' },
        ],
      },
      [
        {
          name: 'score_member',
          type: 'block',
          token: 'T',
          summary: 'S',
          since: '3.0.2',
          deprecated_since: '7.0.0',
          optional: true,
          multiple: true,
          multiple_token: true,
          arguments: [
            { name: 'score', type: 'double', display: 'score' },
            { name: 'member', type: 'string' },
          ],
        },
      ],
    ],
    [
      'a pure-token without token is sent as its name',
      { name: 'mode', type: 'oneof', arguments: [{ name: 'crash-after-election', type: 'pure-token' }] },
      [
        {
          name: 'mode',
          type: 'oneof',
          arguments: [{ name: 'crash-after-election', type: 'pure-token', token: 'CRASH-AFTER-ELECTION' }],
        },
      ],
    ],
  ])('argument: %s', (_name, given, want) => {
    const cmd = only({ x: { group: 'generic', arguments: [given] } }, [infoRow('x', -2)], encode);
    expect(cmd.arguments).toEqual(want);
  });

  it('tells repeated sibling names apart by token and keeps the server name as display', () => {
    const args: Json[] = [
      { name: 'key', type: 'key', key_spec_index: 0 },
      { name: 'key', type: 'key', key_spec_index: 1, token: 'STORE', flags: ['optional'] },
      { name: 'key', type: 'key', key_spec_index: 2, token: 'STOREDIST', flags: ['optional'] },
      { name: 'key', type: 'string' },
    ];
    const cmd = only({ x: { group: 'geo', arguments: args } }, [infoRow('x', -2)], encode);
    expect(cmd.arguments?.map((a) => [a.name, a.display])).toEqual([
      ['key', undefined],
      ['store', 'key'],
      ['storedist', 'key'],
      ['key-2', 'key'],
    ]);
  });

  it('makes each subcommand its own command with container, in name order', () => {
    const docs = {
      client: {
        summary: 'A container.',
        group: 'connection',
        subcommands: {
          'client|kill': { summary: 'Kills.', group: 'connection', since: '2.4.0' },
          'client|id': { summary: 'Id.', group: 'connection', since: '5.0.0' },
        },
      },
      append: { group: 'string' },
    };
    const info = [
      infoRow('client', -2, {
        subs: [infoRow('client|kill', -3, { flags: ['admin'] }), infoRow('client|id', 2)],
      }),
      infoRow('append', 3),
    ];
    const { commands, source } = normalisePull(replies(docs, info, encode));
    expect(commands.map((c) => [c.name, c.key, c.command.container, c.command.arity])).toEqual([
      ['APPEND', 'APPEND', undefined, 3],
      ['CLIENT', 'CLIENT', undefined, -2],
      ['CLIENT ID', 'ID', 'CLIENT', 2],
      ['CLIENT KILL', 'KILL', 'CLIENT', -3],
    ]);
    expect(commands[3]?.command.command_flags).toEqual(['ADMIN']);
    expect(source).toEqual({
      server: 'valkey',
      version: '8.1.1',
      obtained: 'pull',
      from: 'valkey 8.1.1 (COMMAND DOCS, COMMAND INFO)',
      counts: { commands: 2, subcommands: 2, withReplySchema: 0, files: 4 },
    });
  });

  it('keeps module commands with their module, in the upstream spelling', () => {
    const docs = { 'ft.search': { summary: 'Searches.', group: 'module', module: 'search', since: '1.0.0' } };
    const info = [infoRow('ft.search', -3, { flags: ['readonly', 'module'], acl: ['@search'] })];
    const { commands } = normalisePull(replies(docs, info, encode));
    expect(commands).toEqual([
      {
        name: 'FT.SEARCH',
        key: 'FT.SEARCH',
        command: {
          summary: 'Searches.',
          group: 'module',
          since: '1.0.0',
          arity: -3,
          module: 'search',
          command_flags: ['READONLY', 'MODULE'],
          acl_categories: ['SEARCH'],
        },
      },
    ]);
  });

  it('takes from the sentinel only the commands the server lacks, with their subcommands', () => {
    const server = replies(
      { ping: { summary: 'server ping', group: 'connection' } },
      [infoRow('ping', -1, { flags: ['fast'] })],
      encode,
    );
    const sentinel = replies(
      {
        ping: { summary: 'sentinel ping', group: 'connection' },
        sentinel: {
          group: 'sentinel',
          subcommands: { 'sentinel|masters': { group: 'sentinel', reply_schema: { type: 'array' } } },
        },
      },
      [infoRow('ping', -1), infoRow('sentinel', -2, { subs: [infoRow('sentinel|masters', 2)] })],
      encode,
      SENTINEL_INFO,
    );
    const { commands, source } = normalisePull(server, sentinel);
    expect(commands.map((c) => c.name)).toEqual(['PING', 'SENTINEL', 'SENTINEL MASTERS']);
    expect(commands[0]?.command.summary).toBe('server ping');
    expect(commands[0]?.command.command_flags).toEqual(['FAST']);
    expect(commands[2]?.command.reply_schema).toEqual({ type: 'array' });
    expect(source.from).toBe(
      'valkey 8.1.1 (COMMAND DOCS, COMMAND INFO); sentinel valkey 8.1.1 (COMMAND DOCS, COMMAND INFO)',
    );
    expect(source.counts).toEqual({ commands: 2, subcommands: 1, withReplySchema: 1, files: 3 });
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      'a command in DOCS but not in INFO',
      () => normalisePull(replies({ get: { group: 'string' } }, [], encode)),
      /get is in COMMAND DOCS but not in COMMAND INFO/,
    ],
    [
      'an unknown COMMAND DOCS field',
      () => normalisePull(replies({ get: { group: 'string', colour: 'red' } }, [infoRow('get', 2)], encode)),
      /COMMAND DOCS\/get\/colour: unknown COMMAND DOCS field/,
    ],
    [
      'an unknown argument flag',
      () =>
        normalisePull(
          replies(
            { get: { group: 'string', arguments: [{ name: 'k', type: 'string', flags: ['sometimes'] }] } },
            [infoRow('get', 2)],
            encode,
          ),
        ),
      /unknown argument flag sometimes/,
    ],
    [
      'an unknown begin_search type',
      () =>
        normalisePull(
          replies(
            { get: { group: 'string' } },
            [infoRow('get', 2, { keySpecs: [{ ...getKeySpec, begin_search: { type: 'magic', spec: {} } }] })],
            encode,
          ),
        ),
      /unknown begin_search type "magic"/,
    ],
    [
      'a sentinel passed as the server',
      () => normalisePull(replies({}, [], encode, SENTINEL_INFO)),
      /the server is a sentinel/,
    ],
    [
      'a sentinel of another version',
      () =>
        normalisePull(
          replies({}, [], encode),
          replies({}, [], encode, SENTINEL_INFO.replace('valkey_version:8.1.1', 'valkey_version:8.0.1')),
        ),
      /sentinel is valkey 8.0.1 but the server is valkey 8.1.1/,
    ],
    [
      'a non-sentinel passed as the sentinel',
      () => normalisePull(replies({}, [], encode), replies({}, [], encode)),
      /not a sentinel \(standalone\)/,
    ],
  ])('rejects %s', (_name, call, message) => {
    expect(call).toThrow(PullShapeError);
    expect(call).toThrow(message);
  });
});

describe('replySchema', () => {
  const schema: Json = {
    description: 'A tricky one',
    oneOf: [
      { const: 0 },
      { const: 'OK' },
      {
        type: 'array',
        uniqueItems: true,
        minItems: 2,
        items: [{ type: 'string' }, { type: 'integer', minimum: 0 }],
        additionalItems: false,
      },
      {
        type: 'object',
        additionalProperties: false,
        properties: { type: { type: 'string' }, items: { enum: ['a', 'b'] } },
        patternProperties: { '^db\\d+$': { type: ['integer', 'null'] } },
        required: ['type'],
      },
      { type: 'array', items: { type: 'string' } },
      true,
    ],
  };

  it.each(protocols)('reads the same JSON Schema over %s', (_label, encode) => {
    expect(replySchema(encode(schema), 'reply_schema')).toEqual(schema);
  });

  it('reads RESP2 doubles (bulk strings) of numeric keywords as numbers', () => {
    expect(replySchema(['type', 'number', 'minimum', '0.5'], 'r')).toEqual({ type: 'number', minimum: 0.5 });
  });

  it('rejects a non-boolean where JSON Schema wants a boolean', () => {
    expect(() => replySchema(['uniqueItems', 'yes'], 'r')).toThrow(/r\/uniqueItems: expected a boolean/);
  });
});

// ---- whole pulls from real servers --------------------------------------------------------------

/** `redspec spec pull` in-process: the parsing, the verb and the exit code the bin gives. */
const run = (argv: string[]): Promise<number> => main(['spec', 'pull', ...argv]);

const GOLDEN = ['GET', 'SET', 'ZADD', 'XREAD', 'CLIENT KILL', 'MIGRATE'];

function readPulled(dir: string): Map<string, SpecCommand> {
  const out = new Map<string, SpecCommand>();
  for (const file of readdirSync(join(dir, 'commands'))) {
    const data = JSON.parse(readFileSync(join(dir, 'commands', file), 'utf8')) as Record<string, SpecCommand>;
    for (const [key, cmd] of Object.entries(data))
      out.set(cmd.container ? `${cmd.container} ${key}` : key, cmd);
  }
  return out;
}

function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>([['SOURCE.json', readFileSync(join(dir, 'SOURCE.json'), 'utf8')]]);
  for (const f of readdirSync(join(dir, 'commands')))
    files.set(f, readFileSync(join(dir, 'commands', f), 'utf8'));
  return files;
}

describe.each([
  ['redis', 'redis-7.0.15', 'redis', '7.0.15'],
  ['valkey', 'valkey-8.0.1', 'valkey', '8.0.1'],
] as const)('spec:pull against %s', (flavour, golden, serverName, version) => {
  let server: TestServer;
  let sentinel: TestServer;
  const tmp = mkdtempSync(join(tmpdir(), 'redspec-pull-'));
  const dirs = { 2: join(tmp, 'resp2'), 3: join(tmp, 'resp3') };

  beforeAll(async () => {
    [server, sentinel] = await Promise.all([
      startServer({ flavour }),
      startServer({ flavour, sentinel: true }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([server?.stop(), sentinel?.stop()]);
    rmSync(tmp, { recursive: true, force: true });
  });

  it.each([3, 2] as const)('pulls over RESP%i and the written spec validates', async (resp) => {
    const code = await run([
      '--url',
      server.url,
      '--sentinel',
      sentinel.url,
      '--out',
      dirs[resp],
      '--resp',
      String(resp),
    ]);
    expect(code).toBe(0);
    const loaded = await loadSpecDir(dirs[resp]);
    expect(validateSpec(loaded)).toEqual([]);
    expect(loaded.source).toMatchObject({ server: serverName, version, obtained: 'pull' });
    expect(loaded.source?.from).not.toContain(String(server.port));
    expect(loaded.source?.counts.files).toBe(loaded.files.length);
    expect(loaded.source?.counts.withReplySchema).toBe(0); // release builds have no reply schemas
    const pulled = readPulled(dirs[resp]);
    // The sentinel family came from the sentinel; PING stayed the server's.
    expect(pulled.get('SENTINEL')?.group).toBe('sentinel');
    expect(pulled.get('SENTINEL MASTERS')?.container).toBe('SENTINEL');
    const want = JSON.parse(
      readFileSync(new URL(`../fixtures/pull/${golden}.json`, import.meta.url), 'utf8'),
    ) as Record<string, Pick<SpecCommand, 'arity' | 'key_specs' | 'arguments'>>;
    for (const name of GOLDEN) {
      const cmd = pulled.get(name);
      expect(cmd, name).toBeDefined();
      expect({ arity: cmd?.arity, key_specs: cmd?.key_specs ?? [], arguments: cmd?.arguments }, name).toEqual(
        want[name],
      );
    }
    // A few facts spelled out, independent of the golden file.
    expect(pulled.get('XREAD')?.key_specs).toEqual([
      {
        flags: ['RO', 'ACCESS'],
        begin_search: { keyword: { keyword: 'STREAMS', startfrom: 1 } },
        find_keys: { range: { lastkey: -1, step: 1, limit: 2 } },
      },
    ]);
    expect(pulled.get('MIGRATE')?.key_specs?.[1]?.flags).toEqual(['RW', 'ACCESS', 'DELETE', 'INCOMPLETE']);
    expect(pulled.get('ZADD')?.arguments?.at(-1)?.arguments).toEqual([
      { name: 'score', type: 'double', ...(flavour === 'valkey' ? { display: 'score' } : {}) },
      { name: 'member', type: 'string', ...(flavour === 'valkey' ? { display: 'member' } : {}) },
    ]);
    expect(pulled.get('SET')?.command_flags).toEqual(['WRITE', 'DENYOOM']);
    expect(pulled.get('CLIENT KILL')?.acl_categories).toEqual(['ADMIN', 'SLOW', 'DANGEROUS', 'CONNECTION']);
  });

  it('writes byte-identical files over RESP2 and RESP3', () => {
    expect(readTree(dirs[2])).toEqual(readTree(dirs[3]));
  });

  it('exits 1 and writes nothing when the server cannot be reached', async () => {
    const out = join(tmp, 'unreachable');
    expect(await run(['--url', 'redis://127.0.0.1:1', '--out', out])).toBe(1);
    expect(() => readdirSync(out)).toThrow();
  });
});

describe('spec:pull with a password and with a failing validation', () => {
  let server: TestServer;
  const tmp = mkdtempSync(join(tmpdir(), 'redspec-pull-'));
  beforeAll(async () => {
    server = await startServer({ flavour: 'redis', args: ['--requirepass', 'pull-secret'] });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it.each([3, 2] as const)('authenticates from the URL over RESP%i', async (resp) => {
    const url = `redis://:pull-secret@127.0.0.1:${server.port}`;
    const out = join(tmp, `auth${resp}`);
    expect(await run(['--url', url, '--out', out, '--resp', String(resp)])).toBe(0);
    expect(readFileSync(join(out, 'SOURCE.json'), 'utf8')).not.toContain('pull-secret');
  });

  it('exits 1 on a wrong password without printing it', async () => {
    const out = join(tmp, 'wrong');
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => (
      written.push(String(chunk)),
      true
    )) as typeof process.stderr.write;
    try {
      expect(await run(['--url', `redis://:not-it@127.0.0.1:${server.port}`, '--out', out])).toBe(1);
    } finally {
      process.stderr.write = original;
    }
    expect(written.join('')).toMatch(/WRONGPASS|invalid password/);
    expect(written.join('')).not.toContain('not-it');
    expect(() => readdirSync(out)).toThrow();
  });

  it('writes nothing when the result does not validate (an override that matches no command)', async () => {
    const out = join(tmp, 'invalid');
    mkdirSync(join(out, 'overrides'), { recursive: true });
    writeFileSync(
      join(out, 'overrides', 'stale.json'),
      JSON.stringify({ overrides: [{ command: 'NO-SUCH-COMMAND', reason: 'left over', method: 'gone' }] }),
    );
    const url = `redis://:pull-secret@127.0.0.1:${server.port}`;
    expect(await run(['--url', url, '--out', out])).toBe(1);
    expect(readdirSync(out)).toEqual(['overrides']);
  });
});
