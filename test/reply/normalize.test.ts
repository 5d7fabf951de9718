import { describe, expect, it } from 'vitest';
import type { ReplyShape } from '../../generated/executor.js';
import { ReplyError } from '../../src/errors.js';
import { normalizeReply, parseDouble } from '../../src/reply/normalize.js';

const str: ReplyShape = { kind: 'string' };
const dbl: ReplyShape = { kind: 'double' };
const int: ReplyShape = { kind: 'integer' };

describe('normalizeReply', () => {
  it('turns RESP2 flat arrays and RESP3 maps into the same plain object', () => {
    const shape: ReplyShape = { kind: 'object', values: str };
    const resp2 = normalizeReply(['a', '1', 'b', '2'], shape);
    const resp3 = normalizeReply(
      new Map([
        ['a', '1'],
        ['b', '2'],
      ]),
      shape,
    );
    expect(resp2).toEqual({ a: '1', b: '2' });
    expect(resp3).toEqual(resp2);
  });

  it('reads RESP2 arrays of pairs (XREAD) as objects too', () => {
    const shape: ReplyShape = { kind: 'object', values: { kind: 'array', items: { kind: 'any' } } };
    expect(
      normalizeReply(
        [
          ['s1', ['e1']],
          ['s2', []],
        ],
        shape,
      ),
    ).toEqual({ s1: ['e1'], s2: [] });
  });

  it('keeps __proto__ and constructor keys as inert own data properties', () => {
    const out = normalizeReply(['__proto__', 'x', 'constructor', 'y'], {
      kind: 'object',
      values: str,
    }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.keys(out)).toEqual(['__proto__', 'constructor']);
    expect(out['constructor']).toBe('y');
    expect(({} as Record<string, unknown>)['x']).toBeUndefined();
  });

  it('parses RESP2 doubles, including infinities, and leaves RESP3 doubles alone', () => {
    expect(normalizeReply('1.5', dbl)).toBe(1.5);
    expect(normalizeReply('-inf', dbl)).toBe(-Infinity);
    expect(normalizeReply(Buffer.from('inf'), dbl)).toBe(Infinity);
    expect(Number.isNaN(parseDouble('nan'))).toBe(true);
    expect(normalizeReply(2.25, dbl)).toBe(2.25);
  });

  it("normalises the items after a tuple's positional ones by its rest shape (GEOSEARCH WITH*)", () => {
    const shape: ReplyShape = {
      kind: 'array',
      items: {
        kind: 'tuple',
        items: [str],
        rest: { kind: 'oneOf', options: [dbl, int, { kind: 'tuple', items: [dbl, dbl] }] },
      },
    };
    const resp2 = normalizeReply([['a', '1.5', 7, ['1.25', '2.5']]], shape);
    const resp3 = normalizeReply([['a', '1.5', 7, [1.25, 2.5]]], shape);
    expect(resp2).toEqual([['a', 1.5, 7, [1.25, 2.5]]]);
    expect(resp3).toEqual(resp2);
    // A variable-width tuple is never cut out of a flat RESP2 list.
    expect(
      normalizeReply(['a', 'b'], { kind: 'array', items: { kind: 'tuple', items: [str, str], rest: dbl } }),
    ).toEqual(['a', 'b']);
  });

  it('chunks RESP2 flat score lists into the tuples RESP3 sends', () => {
    const shape: ReplyShape = { kind: 'array', items: { kind: 'tuple', items: [str, dbl] } };
    const resp2 = normalizeReply(['a', '1', 'b', '2.5'], shape);
    const resp3 = normalizeReply(
      [
        ['a', 1],
        ['b', 2.5],
      ],
      shape,
    );
    expect(resp2).toEqual([
      ['a', 1],
      ['b', 2.5],
    ]);
    expect(resp3).toEqual(resp2);
  });

  it('maps 0/1 to booleans and keeps nulls and error values', () => {
    expect(normalizeReply(1, { kind: 'boolean' })).toBe(true);
    expect(normalizeReply(0, { kind: 'boolean' })).toBe(false);
    expect(normalizeReply(null, { kind: 'object' })).toBeNull();
    const err = new ReplyError('WRONGTYPE nope');
    expect(normalizeReply([err, '1'], { kind: 'array', items: int })).toEqual([err, 1]);
  });

  it('chooses the oneOf alternative by the decoded kind', () => {
    const shape: ReplyShape = {
      kind: 'oneOf',
      options: [{ kind: 'null' }, dbl, { kind: 'array', items: dbl }],
    };
    expect(normalizeReply('3', shape)).toBe(3);
    expect(normalizeReply(['1', '2'], shape)).toEqual([1, 2]);
    expect(normalizeReply(null, shape)).toBeNull();
  });

  it('builds Maps when keys are not strings', () => {
    const shape: ReplyShape = { kind: 'map', keys: int, values: str };
    expect(normalizeReply([1, 'a', 2, 'b'], shape)).toEqual(
      new Map([
        [1, 'a'],
        [2, 'b'],
      ]),
    );
  });
});
