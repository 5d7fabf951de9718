// The merge of several servers' specs into one surface (codegen/merge.ts) on small in-memory
// specs: which commands exist, how arguments and replies combine, what each is marked with, and
// the JSDoc and table facts the model derives from the marks.
import { describe, expect, it } from 'vitest';
import { commandFacts } from '../../codegen/facts-only.js';
import { loadedSpecFromFiles, type LoadedSpec } from '../../codegen/load.js';
import { mergedFiles } from '../../codegen/merge.js';
import { buildModel } from '../../codegen/model/index.js';
import type { SpecCommand, SpecFile } from '../../codegen/spec-types.js';
import { sourceCounts } from '../../codegen/write-spec.js';

const cmd = (extra: Partial<SpecCommand>): SpecCommand => ({
  group: 'string',
  arity: -2,
  since: '1.0.0',
  ...extra,
});

function spec(server: string, version: string, files: SpecFile[], dir = 'spec'): LoadedSpec {
  const source = { server, version, obtained: 'pull' as const, from: server, counts: sourceCounts(files) };
  return loadedSpecFromFiles(dir, files, source);
}

function merged(valkey: SpecFile[], redis: SpecFile[]): Map<string, SpecCommand> {
  const primary = spec('valkey', '8.1.1', valkey);
  primary.also = [spec('redis', '8.0.2', redis, 'spec/redis')];
  return new Map(mergedFiles(primary).map((f) => [f.name, f.command]));
}

describe('mergedFiles', () => {
  it('has a command when either server has it, marked with the servers that do', () => {
    const out = merged(
      [{ GET: cmd({}) }, { COMMANDLOG: cmd({ since: '8.1.0' }) }],
      [{ GET: cmd({}) }, { HGETEX: cmd({ group: 'hash', since: '8.0.0' }) }],
    );
    expect([...out.keys()].sort()).toEqual(['COMMANDLOG', 'GET', 'HGETEX']);
    expect(out.get('GET')?.availability).toEqual([
      { server: 'valkey', version: '8.1.1', since: '1.0.0' },
      { server: 'redis', version: '8.0.2', since: '1.0.0' },
    ]);
    expect(out.get('HGETEX')?.availability).toEqual([{ server: 'redis', version: '8.0.2', since: '8.0.0' }]);
    expect(out.get('COMMANDLOG')?.availability).toEqual([
      { server: 'valkey', version: '8.1.1', since: '8.1.0' },
    ]);
  });

  it('unites arguments by name: one-server arguments and choices are kept in place and marked', () => {
    const valkey = cmd({
      arguments: [
        { name: 'key', type: 'key', key_spec_index: 0 },
        {
          name: 'condition',
          type: 'oneof',
          optional: true,
          arguments: [
            { name: 'nx', type: 'pure-token', token: 'NX' },
            { name: 'comparison-value', type: 'string', token: 'IFEQ', since: '8.1.0' },
          ],
        },
        { name: 'get', type: 'pure-token', token: 'GET', optional: true },
      ],
      key_specs: [
        {
          flags: ['RW'],
          begin_search: { index: { pos: 1 } },
          find_keys: { range: { lastkey: 0, step: 1, limit: 0 } },
        },
      ],
    });
    const redis = cmd({
      arguments: [
        { name: 'key', type: 'key', key_spec_index: 0 },
        {
          name: 'condition',
          type: 'oneof',
          optional: true,
          arguments: [{ name: 'nx', type: 'pure-token', token: 'NX' }],
        },
        { name: 'fnx', type: 'pure-token', token: 'FNX', optional: true, since: '8.0.0' },
        { name: 'get', type: 'pure-token', token: 'GET', optional: true },
      ],
    });
    const args = merged([{ SET: valkey }], [{ SET: redis }]).get('SET')?.arguments ?? [];
    expect(args.map((a) => a.name)).toEqual(['key', 'condition', 'fnx', 'get']);
    expect(args[1]?.arguments?.[1]).toEqual({
      name: 'comparison-value',
      type: 'string',
      token: 'IFEQ',
      since: '8.1.0',
      availability: [{ server: 'valkey', version: '8.1.1', since: '8.1.0' }],
    });
    expect(args[2]).toMatchObject({ optional: true, availability: [{ server: 'redis', since: '8.0.0' }] });
    expect(args[0]?.availability).toBeUndefined();
  });

  it('takes a renamed argument in the same place for the same argument (the first name wins)', () => {
    const out = merged(
      [{ MASTER: cmd({ arguments: [{ name: 'primary-name', type: 'string' }] }) }],
      [{ MASTER: cmd({ arguments: [{ name: 'master-name', type: 'string' }] }) }],
    );
    expect(out.get('MASTER')?.arguments).toEqual([{ name: 'primary-name', type: 'string' }]);
  });

  it('pairs by token across renames, and leaves out another shape under a name or token already used', () => {
    const out = merged(
      [
        {
          XCLAIM: cmd({
            arguments: [
              { name: 'ID', type: 'string', multiple: true },
              { name: 'id', type: 'string', token: 'LASTID', optional: true },
              { name: 'store', type: 'key', token: 'STORE', optional: true, key_spec_index: 0 },
            ],
            key_specs: [
              {
                flags: ['OW'],
                begin_search: { index: { pos: 1 } },
                find_keys: { range: { lastkey: 0, step: 1, limit: 0 } },
              },
            ],
          }),
        },
      ],
      [
        {
          XCLAIM: cmd({
            arguments: [
              { name: 'id', type: 'string', multiple: true },
              { name: 'lastid', type: 'string', token: 'LASTID', optional: true },
              {
                name: 'store',
                type: 'oneof',
                optional: true,
                arguments: [{ name: 'storekey', type: 'string', token: 'STORE' }],
              },
            ],
          }),
        },
      ],
    );
    expect(out.get('XCLAIM')?.arguments?.map((a) => [a.name, a.token, a.availability])).toEqual([
      ['ID', undefined, undefined],
      ['id', 'LASTID', undefined],
      // Redis's shape of `store` is left out; the one kept is, as far as the specs say, Valkey's.
      ['store', 'STORE', [{ server: 'valkey', version: '8.1.1' }]],
    ]);
  });

  it('unites replies: one schema when they agree apart from descriptions, else anyOf', () => {
    const four = {
      type: 'array',
      items: [{ type: 'string' }, { type: 'integer' }, { type: 'integer' }, { type: 'integer' }],
    };
    const six = { type: 'array', items: [...four.items, { type: 'integer' }, { type: 'integer' }] };
    const out = merged(
      [
        { A: cmd({ reply_schema: { description: 'Valkey words', type: 'string' } }) },
        { B: cmd({ reply_schema: six }) },
        { C: cmd({}) },
      ],
      [
        { A: cmd({ reply_schema: { type: 'string' } }) },
        { B: cmd({ reply_schema: four }) },
        { C: cmd({ reply_schema: { type: 'integer' } }) },
      ],
    );
    expect(out.get('A')?.reply_schema).toEqual({ description: 'Valkey words', type: 'string' });
    expect(out.get('B')?.reply_schema).toEqual({
      anyOf: [
        { ...six, description: 'Valkey 8.1.1.' },
        { ...four, description: 'Redis 8.0.2.' },
      ],
    });
    expect(out.get('C')?.reply_schema).toEqual({ type: 'integer' });
  });

  it('gives the model JSDoc naming the servers, their docs links, and the table the servers', () => {
    const files = mergedFiles(
      Object.assign(spec('valkey', '8.1.1', [{ GET: cmd({}) }]), {
        also: [
          spec(
            'redis',
            '8.0.2',
            [
              { GET: cmd({}) },
              { HGETEX: cmd({ group: 'hash', since: '8.0.0', reply_schema: { type: 'string' } }) },
            ],
            'spec/redis',
          ),
        ],
      }),
    );
    const model = buildModel({
      files,
      overrides: [],
      source: { server: 'valkey', version: '8.1.1' },
      also: [{ server: 'redis', version: '8.0.2' }],
    });
    expect(model.header).toBe(
      '// Code generated by codegen from spec/ (valkey 8.1.1, redis 8.0.2); DO NOT EDIT.',
    );
    const docs = new Map(model.groups.flatMap((g) => g.commands.map((c) => [c.name, c.docs])));
    expect(docs.get('HGETEX')).toEqual([
      'The HGETEX command.',
      '',
      'Servers: Only Redis 8.0.2 (since 8.0.0).',
      '@since 8.0.0',
      '@see https://redis.io/docs/latest/commands/hgetex/',
    ]);
    expect(docs.get('GET')?.filter((l) => l.startsWith('@see') || l.startsWith('Servers'))).toEqual([
      'Servers: Valkey 8.1.1 (since 1.0.0), Redis 8.0.2 (since 1.0.0).',
      '@see https://valkey.io/commands/get/',
      '@see https://redis.io/docs/latest/commands/get/',
    ]);
    expect(model.table.find((t) => t.name === 'HGETEX')?.infoText).toContain(`servers: ['redis']`);
  });
});

describe('commandFacts', () => {
  it('keeps the facts and drops the prose', () => {
    const command = cmd({
      summary: 'Prose.',
      complexity: 'O(1) prose.',
      history: [['7.0.0', 'Prose.']],
      replaced_by: '`X` prose',
      deprecated_since: '7.0.0',
      arguments: [{ name: 'key', type: 'key', key_spec_index: 0, summary: 'Prose.' }],
      key_specs: [
        {
          notes: 'Prose.',
          flags: ['RO'],
          begin_search: { index: { pos: 1 } },
          find_keys: { range: { lastkey: 0, step: 1, limit: 0 } },
        },
      ],
      reply_schema: {
        description: 'Prose.',
        type: 'object',
        properties: { description: { description: 'Prose.', type: 'string' } },
      },
    });
    expect(commandFacts(command)).toEqual({
      group: 'string',
      arity: -2,
      since: '1.0.0',
      deprecated_since: '7.0.0',
      arguments: [{ name: 'key', type: 'key', key_spec_index: 0 }],
      key_specs: [
        {
          flags: ['RO'],
          begin_search: { index: { pos: 1 } },
          find_keys: { range: { lastkey: 0, step: 1, limit: 0 } },
        },
      ],
      reply_schema: { type: 'object', properties: { description: { type: 'string' } } },
    });
  });
});
