// `npm run bench`: redspec, ioredis and node-redis side by side against one local redis-server,
// in one process and one run, rounds interleaved so machine noise hits all three alike. Reports
// the median ops/s per workload and each client's ratio to redspec, and the client's own CPU time
// per operation (steadier than throughput on a shared machine: the server's time is not in it).
import { performance } from 'node:perf_hooks';
import { startServer } from '../test/helpers/server.js';
import { benchCluster } from './cluster.js';
import { ioredisClient, nodeRedisClient, redspecClient, type BenchClient } from './clients.js';

interface Workload {
  readonly name: string;
  /** Operations one run performs. */
  readonly ops: number;
  run(client: BenchClient): Promise<void>;
}

const VALUE = 'v'.repeat(64);
const keys = Array.from({ length: 1000 }, (_, i) => `bench:${i}`);

const workloads: Workload[] = [
  {
    name: 'sequential GET (await each)',
    ops: 5_000,
    async run(c) {
      for (let i = 0; i < 5_000; i++) await c.get(keys[i % keys.length]!);
    },
  },
  {
    name: 'concurrent GET (1,000 in flight)',
    ops: 50_000,
    async run(c) {
      for (let batch = 0; batch < 50; batch++) await Promise.all(keys.map((k) => c.get(k)));
    },
  },
  {
    name: 'concurrent SET 64 B (1,000 in flight)',
    ops: 50_000,
    async run(c) {
      for (let batch = 0; batch < 50; batch++) await Promise.all(keys.map((k) => c.set(k, VALUE)));
    },
  },
  {
    name: 'pipeline SET+GET x 1,000',
    ops: 20_000,
    async run(c) {
      for (let i = 0; i < 10; i++) await c.pipeline(keys, VALUE);
    },
  },
];

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

async function main(): Promise<void> {
  const server = await startServer();
  try {
    const clients = [
      await redspecClient(server.url),
      await ioredisClient(server.port),
      await nodeRedisClient(server.url),
    ];
    for (const c of clients) await Promise.all(keys.map((k) => c.set(k, VALUE)));
    const results = new Map<string, Map<string, number[]>>();
    const cpuPerOp = new Map<string, Map<string, number[]>>();
    for (const w of workloads) {
      const perClient = new Map<string, number[]>(clients.map((c) => [c.name, []]));
      const cpuClient = new Map<string, number[]>(clients.map((c) => [c.name, []]));
      results.set(w.name, perClient);
      cpuPerOp.set(w.name, cpuClient);
      for (const c of clients) await w.run(c); // warm-up
      for (let round = 0; round < ROUNDS; round++) {
        // Rotate the order each round so no client always runs first or last.
        for (let i = 0; i < clients.length; i++) {
          const c = clients[(i + round) % clients.length]!;
          const cpuStart = process.cpuUsage();
          const start = performance.now();
          await w.run(c);
          perClient.get(c.name)!.push(w.ops / ((performance.now() - start) / 1000));
          const cpu = process.cpuUsage(cpuStart);
          cpuClient.get(c.name)!.push((cpu.user + cpu.system) / w.ops);
        }
      }
    }
    for (const c of clients) await c.close();
    const names = clients.map((c) => c.name);
    const lines = [
      `redis-server on loopback, ${ROUNDS} interleaved rounds, median ops/s (ratio = client / redspec)`,
      '',
      `| workload | ${names.join(' | ')} |`,
      `| --- | ${names.map(() => '---:').join(' | ')} |`,
    ];
    for (const [workload, perClient] of results) {
      const base = median(perClient.get('redspec')!);
      const cells = names.map((n) => {
        const m = median(perClient.get(n)!);
        return n === 'redspec' ? `${Math.round(m)}` : `${Math.round(m)} (${(m / base).toFixed(2)}x)`;
      });
      lines.push(`| ${workload} | ${cells.join(' | ')} |`);
    }
    lines.push('', 'client CPU time per operation, median µs (ratio = client / redspec)', '');
    lines.push(`| workload | ${names.join(' | ')} |`, `| --- | ${names.map(() => '---:').join(' | ')} |`);
    for (const [workload, perClient] of cpuPerOp) {
      const base = median(perClient.get('redspec')!);
      const cells = names.map((n) => {
        const m = median(perClient.get(n)!);
        return n === 'redspec' ? m.toFixed(2) : `${m.toFixed(2)} (${(m / base).toFixed(2)}x)`;
      });
      lines.push(`| ${workload} | ${cells.join(' | ')} |`);
    }
    process.stdout.write(lines.join('\n') + '\n');
  } finally {
    await server.stop();
  }
}

await main();
// The cluster scenarios (a local cluster of 6 processes); BENCH_CLUSTER=0 skips them.
if (process.env.BENCH_CLUSTER !== '0') process.stdout.write('\n' + (await benchCluster(ROUNDS)));
