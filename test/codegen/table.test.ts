import { describe, expect, it } from 'vitest';
import { derivedFacts, timeoutLocation } from '../../codegen/model/table.js';
import type { KeySpec, SpecCommand } from '../../codegen/spec-types.js';

const base = { group: 'list', arity: -3 } as const;

const oneKey: KeySpec = {
  flags: ['RO', 'ACCESS'],
  begin_search: { index: { pos: 1 } },
  find_keys: { range: { lastkey: 0, step: 1, limit: 0 } },
};

describe('derivedFacts', () => {
  const facts = (command: Partial<SpecCommand>) => derivedFacts({ ...base, ...command });

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
