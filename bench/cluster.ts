// The cluster part of `npm run bench`: redspec's createCluster, ioredis's Cluster and node-redis's
// createCluster side by side against one local cluster of 3 primaries (and 3 replicas), in one
// process, rounds interleaved. Workloads: 1,000 concurrent GET and SET spread over every slot, and
// a pipeline of 10,000 commands across slots.
import { performance } from 'node:perf_hooks';
import { median } from './stats.js';
import { Cluster as IORedisCluster } from 'ioredis';
import { createCluster as createNodeRedisCluster } from 'redis';
import { createCluster } from '../src/index.js';
import { startCluster } from '../test/helpers/cluster.js';

interface ClusterBenchClient {
  readonly name: string;
  get(key: string): Promise<unknown>;
  set(key: string, value: string): Promise<unknown>;
  pipeline(keys: readonly string[]): Promise<unknown>;
  close(): Promise<void>;
}

const VALUE = 'v'.repeat(64);
const keys = Array.from({ length: 1000 }, (_, i) => `bench:{${i}}`);
const pipelineKeys = Array.from({ length: 10_000 }, (_, i) => `pipe:${i}`);

const workloads = [
  {
    name: 'cluster: concurrent GET (1,000 in flight)',
    ops: 20_000,
    run: async (c: ClusterBenchClient) => {
      for (let b = 0; b < 20; b++) await Promise.all(keys.map((k) => c.get(k)));
    },
  },
  {
    name: 'cluster: concurrent SET (1,000 in flight)',
    ops: 20_000,
    run: async (c: ClusterBenchClient) => {
      for (let b = 0; b < 20; b++) await Promise.all(keys.map((k) => c.set(k, VALUE)));
    },
  },
  {
    name: 'cluster: pipeline of 10,000 across slots',
    ops: 20_000,
    run: async (c: ClusterBenchClient) => {
      for (let i = 0; i < 2; i++) await c.pipeline(pipelineKeys);
    },
  },
];

export async function benchCluster(rounds: number): Promise<string> {
  const cluster = await startCluster({ flavour: 'redis' });
  try {
    const [first] = cluster.addresses;
    const [host, port] = (first as string).split(':') as [string, string];
    const redspec = createCluster({ rootNodes: cluster.addresses });
    await redspec.connect();
    const io = new IORedisCluster([{ host, port: Number(port) }], { enableAutoPipelining: true });
    const nodeRedis = createNodeRedisCluster({ rootNodes: [{ url: `redis://${first}` }] });
    await nodeRedis.connect();
    const clients: ClusterBenchClient[] = [
      {
        name: 'redspec',
        get: (k) => redspec.get(k),
        set: (k, v) => redspec.set(k, v),
        pipeline: (ks) => {
          const p = redspec.pipeline();
          for (const k of ks) p.get(k);
          return p.exec();
        },
        close: () => redspec.close(),
      },
      {
        name: 'ioredis',
        get: (k) => io.get(k),
        set: (k, v) => io.set(k, v),
        // ioredis's cluster pipeline needs one slot; across slots its auto-pipelining does the batching.
        pipeline: (ks) => Promise.all(ks.map((k) => io.get(k))),
        close: async () => {
          await io.quit();
        },
      },
      {
        name: 'node-redis',
        get: (k) => nodeRedis.get(k),
        set: (k, v) => nodeRedis.set(k, v),
        // node-redis cluster multi/pipeline needs one slot too; concurrent commands batch per node.
        pipeline: (ks) => Promise.all(ks.map((k) => nodeRedis.get(k))),
        close: async () => {
          await nodeRedis.close();
        },
      },
    ];
    for (const c of clients) await Promise.all(keys.map((k) => c.set(k, VALUE)));
    const lines = [
      `local cluster (3 primaries), ${rounds} interleaved rounds, median ops/s (ratio = client / best peer)`,
      '',
      `| workload | ${clients.map((c) => c.name).join(' | ')} |`,
      `| --- | ${clients.map(() => '---:').join(' | ')} |`,
    ];
    const cpuLines: string[] = [];
    for (const w of workloads) {
      const per = new Map<string, number[]>(clients.map((c) => [c.name, []]));
      const cpu = new Map<string, number[]>(clients.map((c) => [c.name, []]));
      for (const c of clients) await w.run(c);
      for (let round = 0; round < rounds; round++) {
        for (let i = 0; i < clients.length; i++) {
          const c = clients[(i + round) % clients.length] as ClusterBenchClient;
          const cpuStart = process.cpuUsage();
          const start = performance.now();
          await w.run(c);
          per.get(c.name)?.push(w.ops / ((performance.now() - start) / 1000));
          const used = process.cpuUsage(cpuStart);
          cpu.get(c.name)?.push((used.user + used.system) / w.ops);
        }
      }
      const best = Math.max(
        ...clients.filter((c) => c.name !== 'redspec').map((c) => median(per.get(c.name) ?? [])),
      );
      const cells = clients.map((c) => {
        const m = median(per.get(c.name) ?? []);
        return `${Math.round(m)} (${(m / best).toFixed(2)}x)`;
      });
      lines.push(`| ${w.name} | ${cells.join(' | ')} |`);
      cpuLines.push(
        `| ${w.name} | ${clients.map((c) => median(cpu.get(c.name) ?? []).toFixed(2)).join(' | ')} |`,
      );
    }
    lines.push('', 'client CPU time per operation, median µs', '');
    lines.push(
      `| workload | ${clients.map((c) => c.name).join(' | ')} |`,
      `| --- | ${clients.map(() => '---:').join(' | ')} |`,
    );
    lines.push(...cpuLines);
    for (const c of clients) await c.close();
    return lines.join('\n') + '\n';
  } finally {
    await cluster.stop();
  }
}
