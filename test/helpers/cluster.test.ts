// Smoke test of the cluster helper on Redis 7.0.15 and Valkey 8.0.1: a 3+3 cluster starts with every
// slot covered, keys live on their owners, migrateSlots moves a slot's keys (the old owner answers
// MOVED), failover() promotes a replica, stop() leaves no process and no directory behind.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AskError, MovedError } from '../../src/errors.js';
import type { Flavour } from './binaries.js';
import { startCluster, type ClusterNodeHandle, type TestCluster } from './cluster.js';
import { ownerOf, parseClusterNodes } from './cluster-topology.js';

async function owner(cluster: TestCluster, slot: number): Promise<ClusterNodeHandle> {
  const lines = parseClusterNodes(String(await cluster.command(cluster.nodes[0]!, ['CLUSTER', 'NODES'])));
  const id = ownerOf(lines, slot);
  const node = cluster.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id}`);
  return node;
}

describe.each<Flavour>(['redis', 'valkey'])('startCluster on %s', (flavour) => {
  let cluster: TestCluster;

  beforeAll(async () => {
    cluster = await startCluster({ flavour });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('starts 3 primaries and 3 replicas covering all 16384 slots', async () => {
    expect(cluster.nodes).toHaveLength(6);
    expect(cluster.addresses).toEqual(cluster.nodes.map((n) => `127.0.0.1:${n.port}`));
    for (const node of cluster.nodes) {
      expect(node.port).not.toBe(6379);
      expect(node.id).toMatch(/^[0-9a-f]{40}$/);
      const info = String(await cluster.command(node, ['CLUSTER', 'INFO']));
      expect(info).toMatch(/cluster_state:ok/);
      expect(info).toMatch(/cluster_slots_assigned:16384/);
      expect(info).toMatch(/cluster_known_nodes:6/);
    }
    const primaries = await cluster.primaries();
    expect(primaries).toEqual(cluster.nodes.slice(0, 3));
    expect(await cluster.replicas()).toHaveLength(3);
    const lines = parseClusterNodes(String(await cluster.command(primaries[0]!, ['CLUSTER', 'NODES'])));
    const owned = lines.flatMap((l) => l.slots).reduce((sum, [from, to]) => sum + to - from + 1, 0);
    expect(owned).toBe(16384);
    expect(new Set(lines.filter((l) => l.slots.length > 0).map((l) => l.id))).toEqual(
      new Set(primaries.map((p) => p.id)),
    );
  });

  it('stores a key on the primary that owns its slot', async () => {
    const slot = (await cluster.command(cluster.nodes[0]!, ['CLUSTER', 'KEYSLOT', 'smoke'])) as number;
    const node = await owner(cluster, slot);
    expect(await cluster.command(node, ['SET', 'smoke', 'v'])).toBe('OK');
    expect(await cluster.command(node, ['GET', 'smoke'])).toBe('v');
  });

  it('migrates a slot with its keys; the old owner answers MOVED', async () => {
    const keys = ['{mig}a', '{mig}b', '{mig}c', '{mig}d', '{mig}e'];
    const slot = (await cluster.command(cluster.nodes[0]!, ['CLUSTER', 'KEYSLOT', keys[0]!])) as number;
    const source = await owner(cluster, slot);
    for (const key of keys) await cluster.command(source, ['SET', key, key]);
    const target = (await cluster.primaries()).find((p) => p !== source)!;
    let batches = 0;
    await cluster.migrateSlots([slot], target, {
      keysPerBatch: 2,
      betweenBatches: async () => {
        batches++;
        // Half-migrated: a key already moved, asked of the source, is an ASK redirect.
        const left = (await cluster.command(source, ['CLUSTER', 'GETKEYSINSLOT', slot, 10])) as string[];
        expect(left).toHaveLength(Math.max(0, 5 - 2 * batches));
        const gone = keys.find((k) => !left.includes(k))!;
        const asked = await cluster.command(source, ['GET', gone]).catch((e: unknown) => e);
        expect(asked).toBeInstanceOf(AskError);
      },
    });
    expect(batches).toBe(3);
    expect(await owner(cluster, slot)).toBe(target);
    for (const key of keys) expect(await cluster.command(target, ['GET', key])).toBe(key);
    expect(await cluster.command(target, ['CLUSTER', 'COUNTKEYSINSLOT', slot])).toBe(5);
    const moved = await cluster.command(source, ['GET', keys[0]!]).catch((e: unknown) => e);
    expect(moved).toBeInstanceOf(MovedError);
    expect((moved as MovedError).message).toContain(`${slot} 127.0.0.1:${target.port}`);
  });

  it('fails over to a replica', async () => {
    const before = await owner(cluster, 0);
    const promoted = await cluster.failover();
    expect(promoted).not.toBe(before);
    expect(((await cluster.command(promoted, ['ROLE'])) as unknown[])[0]).toBe('master');
    expect(await owner(cluster, 0)).toBe(promoted);
    expect(await cluster.primaries()).toContain(promoted);
    expect(await cluster.replicas()).toContain(before);
  });

  it('stops every process and removes every directory, twice', async () => {
    const nodes = [...cluster.nodes];
    await cluster.stop();
    await cluster.stop();
    for (const node of nodes) {
      expect(node.process.exitCode !== null || node.process.signalCode !== null).toBe(true);
      expect(existsSync(node.dir)).toBe(false);
    }
    expect(existsSync(dirname(nodes[0]!.dir))).toBe(false);
  });
});
