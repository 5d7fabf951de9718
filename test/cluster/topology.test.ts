import { describe, expect, it } from 'vitest';
import { SlotMap } from '../../src/cluster/topology.js';

const origin = { asked: { host: '10.0.0.9', port: 7000 }, tls: false };

describe('the slot map', () => {
  it('reads CLUSTER SHARDS: endpoint, a null or empty endpoint is the asked host, ? is left out, loading kept', () => {
    const map = SlotMap.fromShards(
      [
        {
          slots: [0, 8191],
          nodes: [
            { endpoint: '127.0.0.1', ip: '127.0.0.1', port: 7001, role: 'master', health: 'online' },
            { endpoint: '', ip: '127.0.0.1', port: 7004, role: 'replica', health: 'online' },
            { endpoint: '?', ip: '127.0.0.1', port: 7005, role: 'replica', health: 'online' },
            { endpoint: '127.0.0.1', port: 7006, role: 'replica', health: 'loading' },
          ],
        },
        { slots: [8192, 16383], nodes: [{ port: 7002, role: 'master', health: 'online' }] },
      ],
      origin,
    );
    expect(map.shardOf(0)?.primary).toEqual({ host: '127.0.0.1', port: 7001 });
    // Redis 7.0 calls a replica that has received nothing yet 'loading': it is kept.
    expect(map.shardOf(0)?.replicas).toEqual([
      { host: '10.0.0.9', port: 7004 },
      { host: '127.0.0.1', port: 7006 },
    ]);
    expect(map.shardOf(16383)?.primary).toEqual({ host: '10.0.0.9', port: 7002 });
    expect(map.uncovered()).toBe(0);
  });

  it('leaves out failed nodes: a failed-over primary stays listed as master after its replica took over', () => {
    const map = SlotMap.fromShards(
      [
        {
          slots: [0, 16383],
          nodes: [
            { endpoint: '127.0.0.1', port: 7002, role: 'master', health: 'online' },
            { endpoint: '127.0.0.1', port: 7001, role: 'master', health: 'fail' },
          ],
        },
      ],
      origin,
    );
    expect(map.shardOf(0)?.primary.port).toBe(7002);
    expect(map.shardOf(0)?.replicas).toEqual([]);
  });

  it('reads CLUSTER SLOTS (null host: the asked one) and takes the TLS port and server name under TLS', () => {
    const slots = SlotMap.fromSlots(
      [
        [0, 100, [null, 7001, 'id1', {}], ['127.0.0.1', 7004, 'id4', {}]],
        [101, 16383, ['127.0.0.2', 7002, 'id2', { hostname: 'b.example' }]],
      ],
      origin,
    );
    expect(slots.shardOf(50)?.primary).toEqual({ host: '10.0.0.9', port: 7001 });
    expect(slots.shardOf(50)?.replicas).toEqual([{ host: '127.0.0.1', port: 7004 }]);
    const tls = SlotMap.fromShards(
      [
        {
          slots: [0, 16383],
          nodes: [{ endpoint: 'a', port: 7000, 'tls-port': 7443, hostname: 'a.example', role: 'master' }],
        },
      ],
      { ...origin, tls: true },
    );
    expect(tls.shardOf(1)?.primary).toEqual({ host: 'a', port: 7443, servername: 'a.example' });
  });

  it('updates one slot on MOVED and compares maps', () => {
    const map = SlotMap.fromSlots([[0, 16383, ['h', 1, 'a', {}]]], origin);
    const moved = map.moved(42, { host: 'h', port: 2 });
    expect(moved.shardOf(42)?.primary.port).toBe(2);
    expect(moved.shardOf(43)?.primary.port).toBe(1);
    expect(map.equals(moved)).toBe(false);
    expect(map.equals(SlotMap.fromSlots([[0, 16383, ['h', 1, 'b', {}]]], origin))).toBe(true);
  });
});
