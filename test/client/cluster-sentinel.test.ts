// The cluster and sentinel command groups against real servers: a cluster-enabled node (one node
// serving all 16384 slots) and a sentinel monitoring a real primary, on Redis 7.0.15 and Valkey
// 8.0.1 under both protocols. Multi-node routing is the cluster client's job, tested apart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, keySlot, type RedisClient } from '../../src/index.js';
import type { Flavour } from '../helpers/binaries.js';
import { startServer, type TestServer } from '../helpers/server.js';

const matrix: [Flavour, 2 | 3][] = [
  ['redis', 2],
  ['redis', 3],
  ['valkey', 2],
  ['valkey', 3],
];

describe.each(matrix)('cluster group on %s RESP%i', (flavour, protocol) => {
  let node: TestServer;
  let r: RedisClient;

  beforeAll(async () => {
    node = await startServer({ flavour, config: ['cluster-enabled yes', 'cluster-config-file nodes.conf'] });
    r = createClient({ url: node.url, protocol });
    expect(await r.clusterAddslotsrange([{ startSlot: 0, endSlot: 16383 }])).toBe('OK');
    // The node turns its state to ok shortly after it owns every slot.
    for (let i = 0; i < 100 && !/cluster_state:ok/.test(await r.clusterInfo()); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
  afterAll(async () => {
    await r.close();
    await node.stop();
  });

  it('answers CLUSTER KEYSLOT as keySlot computes it', async () => {
    for (const key of ['foo', '{user1000}.following', 'a{}b', '']) {
      expect(await r.clusterKeyslot(key)).toBe(keySlot(key));
    }
    expect(await r.clusterKeyslot('foo')).toBe(12182);
  });

  it('reports its id, slots and state', async () => {
    const id = await r.clusterMyid();
    expect(id).toMatch(/^[0-9a-f]{40}$/);
    expect(await r.clusterInfo()).toMatch(/cluster_slots_assigned:16384/);
    await r.set('foo', '1');
    expect(await r.clusterCountkeysinslot(12182)).toBe(1);
    expect(await r.clusterGetkeysinslot(12182, 10)).toEqual(['foo']);
    const shards = await r.clusterShards();
    expect(shards).toHaveLength(1);
    expect(shards[0]?.slots).toEqual([0, 16383]);
    expect(shards[0]?.nodes?.[0]?.id).toBe(id);
  });
});

describe.each(matrix)('sentinel group on %s RESP%i', (flavour, protocol) => {
  let primary: TestServer;
  let sentinel: TestServer;
  let s: RedisClient;

  beforeAll(async () => {
    primary = await startServer({ flavour });
    sentinel = await startServer({ flavour, sentinel: true });
    s = createClient({ url: sentinel.url, protocol });
  });
  afterAll(async () => {
    await s.close();
    await sentinel.stop();
    await primary.stop();
  });

  it('monitors a primary and reports it', async () => {
    expect(await s.sentinelMonitor('main', '127.0.0.1', primary.port, 1)).toBe('OK');
    expect(await s.sentinelGetMasterAddrByName('main')).toEqual(['127.0.0.1', String(primary.port)]);
    const master = await s.sentinelMaster('main');
    expect(master.name).toBe('main');
    expect(master.port).toBe(String(primary.port));
    const masters = await s.sentinelMasters();
    expect(masters.map((m) => m.name)).toEqual(['main']);
    expect(await s.sentinelMyid()).toMatch(/^[0-9a-f]{40}$/);
    expect(await s.sentinelRemove('main')).toBe('OK');
    expect(await s.sentinelMasters()).toEqual([]);
  });
});
