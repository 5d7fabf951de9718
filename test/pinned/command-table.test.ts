// The committed command table's derived facts on the real spec: which commands each boolean picks
// out, so a spec bump that changes a set shows up here by name, and the facts agree with the rules
// src/ used to apply at run time.
import { describe, expect, it } from 'vitest';
import { COMMAND_TABLE } from '../../generated/command-table.js';
import type { CommandInfo } from '../../generated/executor.js';
import { pinnedApplies } from './release.js';

const pinned = pinnedApplies('test/pinned/command-table.test.ts');

const entries = Object.values(COMMAND_TABLE) as CommandInfo[];
const named = (pick: (info: CommandInfo) => boolean): string[] =>
  entries
    .filter(pick)
    .map((info) => info.name)
    .sort();

describe.runIf(pinned)('the committed command table', () => {
  it('marks exactly the six subscription commands as subscriber (flags PUBSUB and NOSCRIPT)', () => {
    expect(named((info) => info.subscriber)).toEqual([
      'PSUBSCRIBE',
      'PUNSUBSCRIBE',
      'SSUBSCRIBE',
      'SUBSCRIBE',
      'SUNSUBSCRIBE',
      'UNSUBSCRIBE',
    ]);
    const byFlags = (info: CommandInfo): boolean =>
      info.pubsub && info.flags.some((flag) => flag.toUpperCase() === 'NOSCRIPT');
    for (const info of entries) expect(info.subscriber, info.name).toBe(byFlags(info));
  });

  it('marks the ACL category TRANSACTION as transactionControl', () => {
    expect(named((info) => info.transactionControl)).toEqual([
      'DISCARD',
      'EXEC',
      'MULTI',
      'UNWATCH',
      'WATCH',
    ]);
  });

  it('marks only keyed, deterministic, non-blocking reads as cacheable', () => {
    const cacheable = named((info) => info.cacheable);
    expect(cacheable).toEqual(
      expect.arrayContaining(['GET', 'HGETALL', 'LRANGE', 'MGET', 'SMEMBERS', 'ZRANGE']),
    );
    for (const name of [
      'SCAN',
      'HSCAN',
      'SRANDMEMBER',
      'XREAD',
      'BLPOP',
      'DBSIZE',
      'RANDOMKEY',
      'SET',
      'PUBLISH',
    ])
      expect(cacheable, name).not.toContain(name);
    for (const info of entries.filter((e) => e.cacheable)) {
      expect(info.readonly && !info.blocking && !info.pubsub && info.keySpecs.length > 0, info.name).toBe(
        true,
      );
      expect(
        info.tips.map((t) => t.toUpperCase()),
        info.name,
      ).not.toContain('NONDETERMINISTIC_OUTPUT');
    }
  });

  it('carries each policy tip as its lower-case value, and none without a tip', () => {
    expect(COMMAND_TABLE.WAIT).toMatchObject({ requestPolicy: 'all_shards', responsePolicy: 'agg_min' });
    expect(COMMAND_TABLE.DBSIZE).toMatchObject({ requestPolicy: 'all_shards', responsePolicy: 'agg_sum' });
    expect(COMMAND_TABLE.MGET).toMatchObject({ requestPolicy: 'multi_shard' });
    expect(COMMAND_TABLE.SCAN).toMatchObject({ requestPolicy: 'special', responsePolicy: 'special' });
    expect('requestPolicy' in COMMAND_TABLE.GET || 'responsePolicy' in COMMAND_TABLE.GET).toBe(false);
    for (const info of entries) {
      const tip = (name: string): string | undefined =>
        info.tips
          .find((t) => t.toUpperCase().startsWith(`${name}:`))
          ?.slice(name.length + 1)
          .toLowerCase();
      expect(info.requestPolicy, info.name).toBe(tip('REQUEST_POLICY'));
      expect(info.responsePolicy, info.name).toBe(tip('RESPONSE_POLICY'));
    }
  });

  it('marks the blocking timeouts the spec lets the caller leave out as optional, and only those', () => {
    const optional = named((info) => info.blockingTimeout?.optional === true);
    expect(optional).toEqual(['XREAD', 'XREADGROUP']);
    expect(COMMAND_TABLE.XREAD.blocking).toBe(true);
    expect(COMMAND_TABLE.BLPOP.blockingTimeout).not.toHaveProperty('optional');
  });
});
