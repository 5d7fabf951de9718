import { describe, expect, it } from 'vitest';
import { timeoutLocation } from '../../codegen/model/table.js';
import type { SpecCommand } from '../../codegen/spec-types.js';

const base = { group: 'list', arity: -3 } as const;

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
