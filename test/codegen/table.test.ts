import { describe, expect, it } from 'vitest';
import { derivedFacts, policyTypes, timeoutLocation, timeoutOptional } from '../../codegen/model/table.js';
import type { KeySpec, SpecCommand } from '../../codegen/spec-types.js';

const base = { group: 'list', arity: -3 } as const;

const oneKey: KeySpec = {
  flags: ['RO', 'ACCESS'],
  begin_search: { index: { pos: 1 } },
  find_keys: { range: { lastkey: 0, step: 1, limit: 0 } },
};

describe('derivedFacts', () => {
  const facts = (command: Partial<SpecCommand>) => derivedFacts('X', { ...base, ...command });

  it.each<[string, Partial<SpecCommand>, boolean]>([
    ['SUBSCRIBE: PUBSUB and NOSCRIPT', { command_flags: ['PUBSUB', 'NOSCRIPT', 'LOADING', 'STALE'] }, true],
    ['spelled in lower case', { command_flags: ['pubsub', 'noscript'] }, true],
    ['PUBLISH: PUBSUB alone', { command_flags: ['PUBSUB', 'LOADING', 'STALE', 'FAST'] }, false],
    ['EVAL: NOSCRIPT alone', { command_flags: ['NOSCRIPT', 'STALE'] }, false],
  ])('subscriber, %s', (_label, command, want) => {
    expect(facts(command).subscriber).toBe(want);
  });

  it.each<[string, Partial<SpecCommand>, boolean]>([
    ['MULTI: ACL category TRANSACTION', { acl_categories: ['FAST', 'TRANSACTION'] }, true],
    ['spelled in lower case', { acl_categories: ['transaction'] }, true],
    ['GET: no such category', { acl_categories: ['READ', 'STRING', 'FAST'] }, false],
  ])('transactionControl, %s', (_label, command, want) => {
    expect(facts(command).transactionControl).toBe(want);
  });

  const read = { command_flags: ['READONLY'], key_specs: [oneKey] };
  it.each<[string, Partial<SpecCommand>, boolean]>([
    ['GET: a read of a key', read, true],
    ['spelled in lower case', { ...read, command_flags: ['readonly'] }, true],
    [
      'SMEMBERS: NONDETERMINISTIC_OUTPUT_ORDER only',
      { ...read, command_tips: ['NONDETERMINISTIC_OUTPUT_ORDER'] },
      true,
    ],
    ['a policy tip does not matter', { ...read, command_tips: ['REQUEST_POLICY:MULTI_SHARD'] }, true],
    ['HSCAN: NONDETERMINISTIC_OUTPUT', { ...read, command_tips: ['NONDETERMINISTIC_OUTPUT'] }, false],
    ['tip in lower case', { ...read, command_tips: ['nondeterministic_output'] }, false],
    ['SCAN: no key specs', { command_flags: ['READONLY'] }, false],
    ['XREAD: BLOCKING', { ...read, command_flags: ['READONLY', 'BLOCKING'] }, false],
    ['a PUBSUB read', { ...read, command_flags: ['READONLY', 'PUBSUB'] }, false],
    ['SET: not READONLY', { ...read, command_flags: ['WRITE'] }, false],
  ])('cacheable, %s', (_label, command, want) => {
    expect(facts(command).cacheable).toBe(want);
  });

  it.each<[string, string[], Pick<ReturnType<typeof facts>, 'requestPolicy' | 'responsePolicy'>]>([
    ['no policy tip: both absent', ['NONDETERMINISTIC_OUTPUT'], {}],
    [
      'WAIT: both, in lower case',
      ['REQUEST_POLICY:ALL_SHARDS', 'RESPONSE_POLICY:AGG_MIN'],
      { requestPolicy: 'all_shards', responsePolicy: 'agg_min' },
    ],
    ['MGET: a request policy alone', ['REQUEST_POLICY:MULTI_SHARD'], { requestPolicy: 'multi_shard' }],
    ['a response policy alone', ['RESPONSE_POLICY:AGG_LOGICAL_OR'], { responsePolicy: 'agg_logical_or' }],
    [
      'tips spelled in lower case by a pull',
      ['request_policy:all_nodes', 'response_policy:all_succeeded'],
      { requestPolicy: 'all_nodes', responsePolicy: 'all_succeeded' },
    ],
    [
      'the same tip twice',
      ['REQUEST_POLICY:SPECIAL', 'request_policy:special'],
      { requestPolicy: 'special' },
    ],
  ])('policies, %s', (_label, tips, want) => {
    const got = facts({ command_tips: tips });
    expect({ requestPolicy: got.requestPolicy, responsePolicy: got.responsePolicy }).toEqual({
      requestPolicy: undefined,
      responsePolicy: undefined,
      ...want,
    });
    expect('requestPolicy' in got).toBe('requestPolicy' in want);
    expect('responsePolicy' in got).toBe('responsePolicy' in want);
  });

  it('fails on an unknown policy value or two different ones, naming the command and the tip', () => {
    const command = (tips: string[]): SpecCommand => ({ ...base, command_tips: tips });
    expect(() => derivedFacts('FT.SEARCH', command(['REQUEST_POLICY:SOME_SHARDS']))).toThrow(
      "FT.SEARCH: unknown REQUEST_POLICY in tip 'REQUEST_POLICY:SOME_SHARDS' (known: ALL_NODES, ALL_SHARDS, MULTI_SHARD, SPECIAL)",
    );
    expect(() => derivedFacts('X', command(['response_policy:agg_avg']))).toThrow(
      /^X: unknown RESPONSE_POLICY in tip 'response_policy:agg_avg'/,
    );
    expect(() => derivedFacts('X', command(['REQUEST_POLICY']))).toThrow(
      /^X: unknown REQUEST_POLICY in tip 'REQUEST_POLICY'/,
    );
    expect(() => derivedFacts('X', command(['RESPONSE_POLICY:AGG_MIN', 'RESPONSE_POLICY:AGG_MAX']))).toThrow(
      "X: two RESPONSE_POLICY tips, 'RESPONSE_POLICY:AGG_MIN' and 'RESPONSE_POLICY:AGG_MAX'",
    );
  });

  it('gives executor.ts the policy unions from the same lists', () => {
    expect(policyTypes()).toEqual({
      request: "'all_nodes' | 'all_shards' | 'multi_shard' | 'special'",
      response:
        "'one_succeeded' | 'all_succeeded' | 'agg_logical_and' | 'agg_logical_or' | 'agg_min' | 'agg_max' | 'agg_sum' | 'special'",
    });
  });
});

describe('timeoutLocation', () => {
  it('finds a timeout after variable keys from the end (BLPOP key [key ...] timeout)', () => {
    const cmd: SpecCommand = {
      ...base,
      arguments: [
        { name: 'key', type: 'key', key_spec_index: 0, multiple: true },
        { name: 'timeout', type: 'double' },
      ],
    };
    expect(timeoutLocation('BLPOP', cmd, 'timeout')).toEqual({ index: -1 });
  });

  it('counts fixed arguments from the start, oneofs of tokens included (BLMOVE)', () => {
    const where = {
      type: 'oneof',
      arguments: [
        { name: 'left', type: 'pure-token', token: 'LEFT' },
        { name: 'right', type: 'pure-token', token: 'RIGHT' },
      ],
    } as const;
    const cmd: SpecCommand = {
      ...base,
      arguments: [
        { name: 'source', type: 'key', key_spec_index: 0 },
        { name: 'destination', type: 'key', key_spec_index: 1 },
        { name: 'wherefrom', ...where, arguments: [...where.arguments] },
        { name: 'whereto', ...where, arguments: [...where.arguments] },
        { name: 'timeout', type: 'double' },
      ],
    };
    expect(timeoutLocation('BLMOVE', cmd, 'timeout')).toEqual({ index: 5 });
  });

  it('uses the token of a tokened timeout (XREAD BLOCK ms) and counts subcommand words', () => {
    const xread: SpecCommand = {
      ...base,
      arguments: [
        { name: 'count', type: 'integer', token: 'COUNT', optional: true },
        { name: 'milliseconds', type: 'integer', token: 'BLOCK', optional: true },
      ],
    };
    expect(timeoutLocation('XREAD', xread, 'milliseconds')).toEqual({ token: 'BLOCK' });
    const sub: SpecCommand = { ...base, arguments: [{ name: 'timeout', type: 'integer' }] };
    expect(timeoutLocation('X WAIT', sub, 'timeout')).toEqual({ index: 2 });
  });

  it('gives up when the position varies on both sides', () => {
    const cmd: SpecCommand = {
      ...base,
      arguments: [
        { name: 'a', type: 'key', key_spec_index: 0, multiple: true },
        { name: 'timeout', type: 'double' },
        { name: 'b', type: 'string', optional: true },
      ],
    };
    expect(timeoutLocation('X', cmd, 'timeout')).toBeUndefined();
  });
});

describe('timeoutOptional', () => {
  const timeout = { name: 'timeout', type: 'double' } as const;
  const tok = (token: string) => ({ name: token.toLowerCase(), type: 'pure-token', token }) as const;
  it.each<[string, SpecCommand['arguments'], boolean]>([
    ['BLPOP: a required timeout', [{ name: 'key', type: 'key', multiple: true }, timeout], false],
    [
      'XREAD: [BLOCK milliseconds]',
      [
        { name: 'count', type: 'integer', token: 'COUNT', optional: true },
        { name: 'timeout', type: 'integer', token: 'BLOCK', optional: true },
      ],
      true,
    ],
    [
      'inside an optional block',
      [{ name: 'wait', type: 'block', optional: true, arguments: [tok('WAIT'), timeout] }],
      true,
    ],
    ['inside a required block', [{ name: 'wait', type: 'block', arguments: [tok('WAIT'), timeout] }], false],
    [
      'one alternative of a required oneof',
      [{ name: 'mode', type: 'oneof', arguments: [tok('NOW'), { ...timeout, token: 'AFTER' }] }],
      true,
    ],
  ])('%s', (_label, args, want) => {
    expect(timeoutOptional({ ...base, arguments: args ?? [] }, 'timeout')).toBe(want);
  });
});
