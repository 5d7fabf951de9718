// Model decisions, given/want (argument call forms and wire plans: wire-plan.test.ts): reply types and shapes per schema construct, variants, containers, exclusions, the
// command table entry. The model is plain data, so these tests read it directly.
import { describe, expect, it } from 'vitest';
import { buildModel } from '../../codegen/model/index.js';
import { replyDefs, replyShape, replyType, shapeLine } from '../../codegen/model/reply.js';
import type { LoadedSpecFile, Override, SpecArgument, SpecCommand } from '../../codegen/spec-types.js';

import { key, tok } from '../helpers/spec-arguments.js';

function file(name: string, command: Partial<SpecCommand>): LoadedSpecFile {
  return {
    path: `spec/commands/${name.toLowerCase().replace(' ', '-')}.json`,
    name: name.split(' ').pop() ?? name,
    command: { group: 'string', arity: -2, ...command },
  };
}

function model(files: LoadedSpecFile[], overrides: Override[] = []) {
  return buildModel({ files, overrides, source: { server: 'valkey', version: '9.9.9' } });
}

describe('replies', () => {
  it.each<[string, unknown, string, string]>([
    [
      'string or null',
      { oneOf: [{ type: 'string' }, { type: 'null' }] },
      'string | null',
      "{ kind: 'string' }",
    ],
    ['const', { const: 'OK' }, "'OK'", "{ kind: 'string' }"],
    ['integer', { type: 'integer' }, 'number', "{ kind: 'integer' }"],
    ['double', { type: 'number' }, 'number', "{ kind: 'double' }"],
    [
      'set',
      { type: 'array', uniqueItems: true, items: { type: 'string' } },
      'string[]',
      "{ kind: 'array', items: { kind: 'string' } }",
    ],
    [
      'tuple',
      { type: 'array', items: [{ type: 'string' }, { type: 'number' }] },
      '[string, number]',
      "{ kind: 'tuple', items: [{ kind: 'string' }, { kind: 'double' }] }",
    ],
    [
      'tuple with optional and extra items',
      {
        type: 'array',
        minItems: 1,
        items: [{ type: 'string' }, { oneOf: [{ type: 'integer' }, { type: 'null' }] }],
        additionalItems: { type: 'number' },
      },
      '[string, (number | null)?, ...number[]]',
      // The extra items have a shape too (GEOSEARCH WITHDIST: RESP2 sends the numbers as strings).
      "{ kind: 'tuple', items: [{ kind: 'string' }, { kind: 'integer' }], rest: { kind: 'double' } }",
    ],
    ['empty array', { type: 'array', maxItems: 0 }, '[]', "{ kind: 'tuple', items: [] }"],
    [
      'map',
      { type: 'object', additionalProperties: { type: 'number' } },
      '{\n[key: string]: number;\n}',
      "{ kind: 'object', values: { kind: 'double' } }",
    ],
    ['boolean', { type: 'boolean' }, 'boolean', "{ kind: 'boolean' }"],
    ['schema says nothing', true, 'unknown', "{ kind: 'any' }"],
  ])('%s', (_label, schema, type, shape) => {
    expect(replyType(schema as never, 'SelfReply')).toBe(type);
    expect(replyShape(schema as never, schema as never)).toBe(shape);
  });

  it('types $ref "#/$defs/x" as a named type of its own and unrolls it in the shape', () => {
    const schema = {
      type: 'array',
      items: { $ref: '#/$defs/argument' },
      $defs: {
        argument: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            arguments: { type: 'array', items: { $ref: '#/$defs/argument' } },
          },
        },
      },
    };
    expect(replyType(schema, 'DocsReply')).toBe('DocsArgument[]');
    const defs = replyDefs(schema, 'DocsReply');
    expect(defs.map((d) => d.lines.join('\n'))).toEqual([
      'export type DocsArgument = {\narguments?: DocsArgument[];\nname?: string;\n};',
    ]);
    const shape = replyShape(schema, schema);
    expect(shape.split("arguments: { kind: 'array'").length - 1).toBe(8);
  });

  it('puts the expanded type on one line into the docs, shortened from the inside', () => {
    expect(shapeLine('number')).toBeUndefined();
    expect(shapeLine('{\n/** Doc. */\na?: string;\nb?: number;\n}')).toBe('{ a?: string; b?: number }');
    const long = `{ outer?: { ${Array.from({ length: 20 }, (_, i) => `p${i}?: string`).join('; ')} }[]; n?: number }`;
    expect(shapeLine(long)).toBe('{ outer?: { … }[]; n?: number }');
    const wide = `{ ${Array.from({ length: 30 }, (_, i) => `p${i}?: string`).join('; ')} }`;
    expect(shapeLine(wide)).toMatch(/^\{ p0\?: string; .*; … \}$/);
    expect(shapeLine(wide)?.length).toBeLessThan(170);
  });

  it('types object properties as optional with their descriptions, and $ref "#" as the type itself', () => {
    const schema = {
      type: 'object',
      patternProperties: {
        '^.*$': {
          type: 'object',
          properties: { 'max-len': { type: 'integer', description: 'Limit */ here.' }, sub: { $ref: '#' } },
        },
      },
    };
    const t = replyType(schema, 'DocsReply');
    expect(t).toContain("'max-len'?: number;");
    expect(t).toContain('/** Limit *\\/ here. */');
    expect(t).toContain('sub?: DocsReply;');
    // The runtime shape unrolls the recursion to a fixed depth, then leaves values as decoded.
    expect(replyShape(schema, schema)).toContain("sub: { kind: 'object'");
    expect(replyShape(schema, schema)).toContain("{ kind: 'any' }");
  });
});

describe('buildModel', () => {
  const container = file('CLIENT', { group: 'connection', arity: -2 });
  const sub = file('CLIENT KILL', {
    group: 'connection',
    container: 'CLIENT',
    arity: -3,
    arguments: [{ name: 'id', type: 'integer' }],
    reply_schema: { const: 'OK' },
  });
  const command = file('COMMAND', { group: 'server', arity: -1, reply_schema: { type: 'array' } });
  const commandDocs = file('COMMAND DOCS', { group: 'server', container: 'COMMAND', arity: -2 });

  it('gives every command and subcommand a method, containers only when callable alone', () => {
    const m = model([container, sub, command, commandDocs]);
    const methods = m.groups.flatMap((g) => g.commands.map((c) => c.method));
    expect(methods.sort()).toEqual(['clientKill', 'command', 'commandDocs']);
    expect(m.skipped).toEqual([
      { command: 'CLIENT', reason: 'container command: its subcommands are the methods' },
    ]);
    expect(m.header).toBe('// Code generated by codegen from spec/ (valkey 9.9.9); DO NOT EDIT.');
  });

  it('notes commands without a reply schema and types them unknown', () => {
    const m = model([commandDocs, command]);
    expect(m.untypedReplies).toEqual(['COMMAND DOCS']);
    const docs = m.groups.flatMap((g) => g.commands).find((c) => c.name === 'COMMAND DOCS');
    expect(docs?.docs.join('\n')).toContain('@remarks The spec has no reply schema');
    expect(docs?.declarations.at(-1)?.lines).toEqual(['export type CommandDocsReply = unknown;']);
  });

  it('excludes and renames only by override, and refuses two commands on one method', () => {
    const a = file('GET', { arguments: [key] });
    const b = file('GETX', { arguments: [key] });
    expect(model([a, b], [{ command: 'GETX', reason: 'r', exclude: true }]).skipped).toEqual([
      { command: 'GETX', reason: 'r' },
    ]);
    const renamed = model([a, b], [{ command: 'GETX', reason: 'r', method: 'getExtended' }]);
    expect(renamed.groups[0]?.commands.map((c) => c.method)).toEqual(['get', 'getExtended']);
    expect(() => model([a, b], [{ command: 'GETX', reason: 'r', method: 'get' }])).toThrow(
      /both map to method 'get'/,
    );
  });

  it('builds overloads for reply variants: variant first, base without it, then the union', () => {
    const spop = file('SPOP', {
      group: 'set',
      arguments: [key, { name: 'count', type: 'integer', optional: true }],
    });
    const m = model(
      [spop],
      [
        {
          command: 'SPOP',
          reason: 'r',
          reply_schema: { type: 'string' },
          replyVariants: [{ when: 'count', reply_schema: { type: 'array', items: { type: 'string' } } }],
        },
      ],
    );
    const c = m.groups[0]?.commands[0];
    expect(c?.signatures).toEqual([
      { params: 'key: RedisKey, options: SpopOptions & { count: number | bigint }', reply: 'SpopCountReply' },
      { params: 'key: RedisKey, options?: SpopOptions & { count?: undefined }', reply: 'SpopReply' },
      { params: 'key: RedisKey, options?: SpopOptions', reply: 'SpopReply | SpopCountReply' },
    ]);
    expect(c?.body.at(-1)).toBe(
      'return this.executeCommand(COMMAND_TABLE.SPOP, args_, options?.count !== undefined ? SPOP_COUNT_REPLY : SPOP_REPLY);',
    );
  });

  it('gives variants of one name one type and shape (GEOSEARCH WITHCOORD/WITHDIST/WITHHASH)', () => {
    const geo = file('GEOSEARCH', {
      group: 'geo',
      arguments: [
        key,
        tok('withcoord', 'WITHCOORD', { optional: true }),
        tok('withdist', 'WITHDIST', { optional: true }),
      ],
    });
    const withs = {
      type: 'array',
      items: { type: 'array', items: [{ type: 'string' }], additionalItems: true },
    };
    const m = model(
      [geo],
      [
        {
          command: 'GEOSEARCH',
          reason: 'r',
          reply_schema: { type: 'array', items: { type: 'string' } },
          replyVariants: [
            { when: 'withcoord', name: 'with', reply_schema: withs },
            { when: 'withdist', name: 'with', reply_schema: withs },
          ],
        },
      ],
    );
    const c = m.groups[0]?.commands[0];
    expect(c?.signatures.map((s) => s.reply)).toEqual([
      'GeosearchWithReply',
      'GeosearchWithReply',
      'GeosearchReply',
      'GeosearchReply | GeosearchWithReply',
    ]);
    expect(c?.shape.match(/const GEOSEARCH_WITH_REPLY/g)).toHaveLength(1);
    expect(() =>
      model(
        [geo],
        [
          {
            command: 'GEOSEARCH',
            reason: 'r',
            replyVariants: [
              { when: 'withcoord', name: 'with', reply_schema: withs },
              { when: 'withdist', name: 'with', reply_schema: true },
            ],
          },
        ],
      ),
    ).toThrow(/named 'with' have different reply schemas/);
  });

  it('gives a generic reply a type parameter defaulting to the reply type (EVAL)', () => {
    const evalFile = file('EVAL', { group: 'scripting', arguments: [{ name: 'script', type: 'string' }] });
    const c = model([evalFile], [{ command: 'EVAL', reason: 'r', genericReply: true }]).groups[0]
      ?.commands[0];
    expect(c?.signatures).toEqual([
      { typeParams: '<T = EvalReply>', params: 'script: RedisValue', reply: 'T' },
    ]);
  });

  it('rejects a reply variant naming an argument the spec does not have', () => {
    const spop = file('SPOP', { arguments: [key, { name: 'rank', type: 'integer', optional: true }] });
    expect(() =>
      model(
        [spop],
        [{ command: 'SPOP', reason: 'r', replyVariants: [{ when: 'count', reply_schema: true }] }],
      ),
    ).toThrow(/'count' is not an optional argument in the spec/);
  });

  it('writes command-table facts from flags, key specs and the blocking-timeout override', () => {
    const blpop = file('BLPOP', {
      group: 'list',
      arity: -3,
      command_flags: ['write', 'BLOCKING'],
      acl_categories: ['LIST'],
      key_specs: [
        {
          flags: ['RW'],
          begin_search: { index: { pos: 1 } },
          find_keys: { range: { lastkey: -2, step: 1, limit: 0 } },
        },
      ],
      arguments: [
        { ...key, multiple: true },
        { name: 'timeout', type: 'double' },
      ],
    });
    const m = model(
      [blpop],
      [{ command: 'BLPOP', reason: 'r', blockingTimeout: { argument: 'timeout', unit: 'seconds' } }],
    );
    expect(m.table[0]?.infoText).toBe(
      "{ name: 'BLPOP', arity: -3, flags: ['write', 'BLOCKING'], aclCategories: ['LIST'], tips: [], readonly: false, write: true, blocking: true, noMulti: false, pubsub: false, " +
        'subscriber: false, transactionControl: false, cacheable: false, tokens: [], ' +
        "keySpecs: [{ flags: ['RW'], beginSearch: { type: 'index', pos: 1 }, findKeys: { type: 'range', lastkey: -2, step: 1, limit: 0 } }], blockingTimeout: { argument: 'timeout', unit: 'seconds', index: -1 } }",
    );
  });

  it('marks a blocking timeout the spec lets the caller leave out as optional (XREAD BLOCK)', () => {
    const xread = file('XREAD', {
      group: 'stream',
      arity: -4,
      command_flags: ['READONLY', 'BLOCKING'],
      arguments: [
        { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true },
        { name: 'id', type: 'string', multiple: true },
      ],
    });
    const m = model(
      [xread],
      [
        {
          command: 'XREAD',
          reason: 'r',
          blockingTimeout: { argument: 'milliseconds', unit: 'milliseconds' },
        },
      ],
    );
    expect(m.table[0]?.infoText).toContain(
      "blocking: true, noMulti: false, pubsub: false, subscriber: false, transactionControl: false, cacheable: false, tokens: ['BLOCK'], keySpecs: [], blockingTimeout: { argument: 'milliseconds', unit: 'milliseconds', token: 'BLOCK', optional: true } }",
    );
  });
});

describe('derived key counts (keynum key specs)', () => {
  const keynum = (pos: number, keynumidx = 0): NonNullable<SpecCommand['key_specs']>[number] => ({
    flags: ['RW'],
    begin_search: { index: { pos } },
    find_keys: { keynum: { keynumidx, firstkey: 1, step: 1 } },
  });
  const numkeys: SpecArgument = { name: 'numkeys', type: 'integer' };
  const keys: SpecArgument = { ...key, multiple: true };
  const where: SpecArgument = { name: 'where', type: 'oneof', arguments: [tok('left', 'LEFT')] };

  function derive(
    name: string,
    command: Partial<SpecCommand>,
  ): { params: string; wire: string; body: string } {
    const files = [file(name, command)];
    if (command.container !== undefined) files.push(file(command.container, { arity: -2 }));
    const c = model(files).groups[0]?.commands.find((x) => x.name === name);
    return {
      params: c?.signatures.at(-1)?.params ?? '',
      wire: c?.body.find((line) => line.startsWith('const args_')) ?? '',
      body: c?.body.join('\n') ?? '',
    };
  }

  it.each<[string, string, Partial<SpecCommand>, string, string]>([
    [
      'required keys (LMPOP): the count is their length',
      'LMPOP',
      { key_specs: [keynum(1)], arguments: [numkeys, keys, where] },
      "keys: RedisKey | readonly RedisKey[], where: 'LEFT' | 'left'",
      "const args_: RedisArgument[] = wireArgs('LMPOP', countOf(keys));",
    ],
    [
      'optional keys (EVAL): their length or 0',
      'EVAL',
      {
        key_specs: [keynum(2)],
        arguments: [
          { name: 'script', type: 'string' },
          numkeys,
          { ...keys, optional: true },
          { name: 'arg', type: 'string', optional: true, multiple: true },
        ],
      },
      'script: RedisValue, options?: EvalOptions',
      "const args_: RedisArgument[] = wireArgs('EVAL', script, countOf(options?.keys));",
    ],
    [
      'the second key spec counts (ZUNIONSTORE), the count after a fixed-width key',
      'ZUNIONSTORE',
      {
        key_specs: [
          {
            flags: ['OW'],
            begin_search: { index: { pos: 1 } },
            find_keys: { range: { lastkey: 0, step: 1, limit: 0 } },
          },
          keynum(2),
        ],
        arguments: [
          { name: 'destination', type: 'key', key_spec_index: 0 },
          numkeys,
          { ...keys, key_spec_index: 1 },
          { name: 'weight', type: 'integer', token: 'WEIGHTS', optional: true, multiple: true },
        ],
      },
      'destination: RedisKey, keys: RedisKey | readonly RedisKey[], options?: ZunionstoreOptions',
      "const args_: RedisArgument[] = wireArgs('ZUNIONSTORE', destination, countOf(keys));",
    ],
    [
      'a last, plain key array becomes a rest parameter once the count is gone',
      'ZDIFFSTORE',
      {
        key_specs: [
          {
            flags: ['OW'],
            begin_search: { index: { pos: 1 } },
            find_keys: { range: { lastkey: 0, step: 1, limit: 0 } },
          },
          keynum(2),
        ],
        arguments: [
          { name: 'destination', type: 'key', key_spec_index: 0 },
          numkeys,
          { ...keys, key_spec_index: 1 },
        ],
      },
      'destination: RedisKey, ...keys: (RedisKey | readonly RedisKey[])[]',
      "const args_: RedisArgument[] = wireArgs('ZDIFFSTORE', destination, restCount(keys));",
    ],
    [
      'a tokened count: the key spec points at its value, the token is still sent',
      'KC',
      { key_specs: [keynum(2)], arguments: [{ ...numkeys, token: 'NUMKEYS' }, keys] },
      '...keys: (RedisKey | readonly RedisKey[])[]',
      "const args_: RedisArgument[] = wireArgs('KC', 'NUMKEYS', restCount(keys));",
    ],
    [
      'a subcommand counts its two name words',
      'X COUNTED',
      { container: 'X', key_specs: [keynum(2)], arguments: [numkeys, keys] },
      '...keys: (RedisKey | readonly RedisKey[])[]',
      "const args_: RedisArgument[] = wireArgs('X', 'COUNTED', restCount(keys));",
    ],
  ])('%s', (_label, name, command, params, wire) => {
    expect(derive(name, command)).toMatchObject({ params, wire });
  });

  it.each<[string, string, Partial<SpecCommand>, string]>([
    [
      'the word at P+I is not an integer',
      'KC',
      { key_specs: [keynum(1)], arguments: [{ ...numkeys, type: 'string' }, keys] },
      'numkeys: RedisValue, ...keys: (RedisKey | readonly RedisKey[])[]',
    ],
    [
      'P+I is not a fixed position (after an optional argument)',
      'KC',
      {
        key_specs: [keynum(2)],
        arguments: [{ name: 'mode', type: 'string', optional: true }, numkeys, keys],
      },
      'numkeys: number | bigint, keys: RedisKey | readonly RedisKey[], options?: KcOptions',
    ],
    [
      'P+I is another argument than the count (a subcommand read as one word)',
      'X COUNTED',
      { container: 'X', key_specs: [keynum(1)], arguments: [numkeys, keys] },
      'numkeys: number | bigint, ...keys: (RedisKey | readonly RedisKey[])[]',
    ],
    [
      'the counted key argument is not multiple',
      'KC',
      { key_specs: [keynum(1)], arguments: [numkeys, key] },
      'numkeys: number | bigint, key: RedisKey',
    ],
    [
      'no argument carries the key spec index',
      'KC',
      { key_specs: [keynum(1)], arguments: [numkeys, { ...keys, key_spec_index: 3 }] },
      'numkeys: number | bigint, ...keys: (RedisKey | readonly RedisKey[])[]',
    ],
  ])('keeps the count a parameter when %s', (_label, name, command, params) => {
    expect(derive(name, command).params).toBe(params);
    const body = derive(name, command).body;
    expect(body).toMatch(/(\[|, |push\()numkeys(\]|, |\))/);
    expect(body).not.toContain('.length');
  });
});

describe('method unions', () => {
  const flagged = (name: string, flags: string[], acl: string[] = []): LoadedSpecFile =>
    file(name, { group: 'transactions', arity: 1, command_flags: flags, acl_categories: acl });

  it('lists the methods of NO_MULTI commands and of the TRANSACTION category, sorted, any case', () => {
    const m = model([
      flagged('WATCH', ['NO_MULTI'], ['TRANSACTION']),
      flagged('EXEC', [], ['transaction']),
      flagged('SAVE', ['no_multi']),
      flagged('GET', ['READONLY']),
    ]);
    expect(m.methodUnions).toEqual([
      {
        name: 'NoMultiMethod',
        docs: 'Methods of the commands the server refuses inside MULTI (command flag NO_MULTI).',
        type: "'save' | 'watch'",
      },
      {
        name: 'TransactionControlMethod',
        docs: 'Methods of the commands that control a transaction (ACL category TRANSACTION).',
        type: "'exec' | 'watch'",
      },
    ]);
  });

  it('names renamed methods, leaves out excluded commands, and is never when nothing matches', () => {
    const m = model(
      [flagged('SYNC', ['NO_MULTI']), flagged('PSYNC', ['NO_MULTI']), flagged('GET', [])],
      [
        { command: 'SYNC', reason: 'r', method: 'replicaSync' },
        { command: 'PSYNC', reason: 'r', exclude: true },
      ],
    );
    expect(m.methodUnions.map((u) => u.type)).toEqual(["'replicaSync'", 'never']);
  });
});
