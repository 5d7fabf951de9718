import { describe, expect, it } from 'vitest';
import { build } from '../../src/runner/build.js';
import { combine, joinSplit, route } from '../../src/cluster/routing.js';
import { keySlot } from '../../src/cluster/slot.js';
import { CrossSlotError } from '../../src/errors.js';

describe('routing from the command table', () => {
  it('sends a keyed command to its slot, hash tags included', () => {
    expect(route(build.get('user:1'))).toEqual({ kind: 'slot', slot: keySlot('user:1') });
    expect(route(build.mget('{u}a', '{u}b'))).toEqual({ kind: 'slot', slot: keySlot('u') });
    expect(route(build.spublish('news', 'm'))).toEqual({ kind: 'slot', slot: keySlot('news') });
  });

  it('follows the request policy of keyless commands', () => {
    expect(route(build.dbsize())).toEqual({ kind: 'all_shards' });
    expect(route(build.configSet([{ parameter: 'x', value: 'y' }]))).toEqual({ kind: 'all_nodes' });
    expect(route(build.echo('x'))).toEqual({ kind: 'any' });
  });

  it('splits multi_shard commands per slot, each key with its arguments', () => {
    const mset = build.mset([
      { key: 'a', value: '1' },
      { key: 'b', value: '2' },
      { key: 'c', value: '3' },
    ]);
    const where = route(mset);
    if (where.kind !== 'split') throw new Error(`expected a split, got ${where.kind}`);
    const byKey = new Map(where.parts.flatMap((p) => p.keyIndexes.map((k) => [k, p.command.args] as const)));
    expect(byKey.get(0)).toContain('1');
    expect(where.parts.every((p) => p.command.args[0] === 'MSET')).toBe(true);
    const sent = where.parts.flatMap((p) => p.command.args.slice(1));
    expect(sent.sort()).toEqual(['1', '2', '3', 'a', 'b', 'c']);
  });

  it('puts split replies back in key order, or combines them by the response policy', () => {
    const mget = build.mget('a', 'b', 'c', 'd');
    const where = route(mget);
    if (where.kind !== 'split') throw new Error('expected a split');
    const replies = where.parts.map((p) => p.keyIndexes.map((k) => `v${k}`));
    expect(joinSplit(mget, where.parts, replies)).toEqual(['v0', 'v1', 'v2', 'v3']);
    expect(combine(build.del('a', 'b'), [1, 2, 0])).toBe(3);
    expect(combine(build.wait(1, 10), [2, 1, 3])).toBe(1);
    expect(
      combine(build.scriptExists('a', 'b'), [
        [true, false],
        [true, true],
      ]),
    ).toEqual([true, false]);
    expect(combine(build.keys('*'), [['a'], ['b', 'c']])).toEqual(['a', 'b', 'c']);
    expect(combine(build.flushall(), ['OK', 'OK'])).toBe('OK');
    // RESPONSE_POLICY:SPECIAL: the rule spec/overrides gives each command.
    expect(combine(build.randomkey(), [null, 'k2', 'k3'])).toBe('k2');
    expect(combine(build.info(), ['# a', '# b'], ['h:1', 'h:2'])).toEqual({ 'h:1': '# a', 'h:2': '# b' });
  });

  it('refuses keys in several slots for any other command, before sending', () => {
    expect(() => route(build.sinterstore('dest', 'a', 'b'))).toThrow(CrossSlotError);
    expect(() => route(build.rename('a', 'b'))).toThrow(/CROSSSLOT RENAME: its keys are in 2 slots/);
  });
});
