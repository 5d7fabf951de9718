// The cluster helper's fault paths on Redis 7.0.15 and Valkey 8.0.1, apart from the smoke test so
// that the two files start their clusters in parallel: kill -9 of a primary (its replica is
// promoted, the restarted node rejoins as a replica, FORCE when the primary is dead, the error of
// a cluster that cannot heal) and a cluster whose nodes require a password.
import { describe, it } from 'vitest';
import { ReplyError } from '../../src/errors.js';
import type { Flavour } from './binaries.js';
import { startCluster, type ClusterNodeHandle, type TestCluster } from './cluster.js';
import { ownerOf, parseClusterNodes } from './cluster-topology.js';
import { RawClient } from './raw-client.js';

async function owner(cluster: TestCluster, slot: number): Promise<ClusterNodeHandle> {
  const live = cluster.nodes.find((n) => n.process.exitCode === null && n.process.signalCode === null)!;
  const lines = parseClusterNodes(String(await cluster.command(live, ['CLUSTER', 'NODES'])));
  const id = ownerOf(lines, slot);
  const node = cluster.nodes.find((n) => n.id === id);
  if (!node) throw new Error(`no node ${id}`);
  return node;
}

const flavours: Flavour[] = ['redis', 'valkey'];

// Each test has a cluster of its own, so they run side by side (assertions on the test's expect).
describe.concurrent('cluster faults', () => {
  it.for(flavours)(
    '%s: kill -9 of a primary promotes its replica; the restarted node rejoins as replica',
    async (flavour, { expect }) => {
      const cluster = await startCluster({ flavour });
      try {
        const victim = await owner(cluster, 16383);
        const pid = victim.process.pid;
        cluster.kill(victim);
        await cluster.waitStable();
        const successor = await owner(cluster, 16383);
        expect(successor).not.toBe(victim);
        expect(await cluster.primaries()).not.toContain(victim);
        await cluster.restart(victim);
        expect(victim.process.pid).not.toBe(pid);
        const role = (await cluster.command(victim, ['ROLE'])) as unknown[];
        expect(role.slice(0, 4)).toEqual(['slave', '127.0.0.1', successor.port, 'connected']);
        expect(await cluster.replicas()).toContain(victim);

        // A replica whose primary is dead is promoted at once by FORCE, not after the node timeout.
        const dead = await owner(cluster, 0);
        const heir = (await cluster.replicas()).find((r) => r !== victim)!;
        cluster.kill(dead);
        expect(await cluster.failover(heir)).toBe(heir);
        expect(await owner(cluster, 0)).toBe(heir);

        // With a primary and its only replica gone the cluster cannot heal: the error names a node.
        cluster.kill(heir);
        await expect(cluster.waitStable(1500)).rejects.toThrow(
          /^cluster not stable after 1500 ms: 127\.0\.0\.1:\d+ \([0-9a-f]{40}\) /,
        );
      } finally {
        await cluster.stop();
      }
    },
  );

  it.for(flavours)(
    '%s: a password authenticates the CLI, the replicas and command()',
    async (flavour, { expect }) => {
      const cluster = await startCluster({ flavour, password: 'cluster-pw-4417', replicasPerPrimary: 1 });
      try {
        const [primary] = await cluster.primaries();
        expect(await cluster.command(primary!, ['PING'])).toBe('PONG');
        for (const replica of await cluster.replicas()) {
          expect(((await cluster.command(replica, ['ROLE'])) as unknown[])[3]).toBe('connected');
        }
        const raw = await RawClient.connect(primary!.port);
        try {
          expect(await raw.call('GET', 'k')).toBeInstanceOf(ReplyError);
        } finally {
          raw.close();
        }
      } finally {
        await cluster.stop();
      }
    },
  );
});
