// `npm run bench`: redspec, ioredis (plain and auto-pipelining) and node-redis side by side against
// one local redis-server, in one process and one run, rounds interleaved (order rotated) so machine
// noise hits all alike. Reports median ops/s (min..max) with each client's ratio to the best peer,
// client CPU µs per op, the ceilings of the same server by `redis-benchmark -c 1` (-P 1 beside the
// sequential workload, -P 100 beside 1,000 in flight), and peak RSS
// under 1,000 in flight (one child process per client). Writes bench/results.json and
// bench/results.svg. BENCH_ROUNDS rounds (default 5); BENCH_CLUSTER=0 skips the cluster part,
// BENCH_TRACING=0 the tracing part; BENCH_ONLY=<part of a workload name>, or several joined by |,
// runs those workloads alone and writes no results (a quick look while working on one).
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { startServer } from '../test/helpers/server.js';
import { benchCluster } from './cluster.js';
import { benchTracing } from './tracing.js';
import { ioredisClient, nodeRedisClient, redspecClient, type BenchClient } from './clients.js';
import { machine, writeChart } from './report.js';
import { median, ratioCell, ratioOf } from './stats.js';
import { workloads, prepare, type Workload } from './workloads.js';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SELF = 'redspec';
const here = (file: string) => fileURLToPath(new URL(file, import.meta.url));

/**
 * GET ops/s of redis-benchmark on one connection, `pipeline` commands per round trip, 64 B values:
 * what a C client gets from the same server (-P 1: the bare round trip, a floor no client beats).
 */
function redisBenchmark(port: number, pipeline: number): number {
  const out = execFileSync(
    'redis-benchmark',
    [
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-c',
      '1',
      '-P',
      String(pipeline),
      '-n',
      // About a second either way.
      String(pipeline === 1 ? 20_000 : 200_000),
      '-d',
      '64',
      '-t',
      'set,get',
      '--csv',
    ],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], env: process.env },
  );
  return parseCsvRps(out);
}
function parseCsvRps(out: string): number {
  const line = out.split('\n').find((l) => l.startsWith('"GET"'));
  if (line === undefined) throw new Error(`redis-benchmark printed no GET line: ${out.slice(0, 200)}`);
  return Number(JSON.parse(`[${line}]`)[1]);
}

/** Peak RSS (MiB) of a fresh process running 1,000 concurrent GETs with one client. */
function peakRss(client: string, url: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', here('./rss.ts'), client, url, String(port)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(Number(out.trim())) : reject(new Error(`rss ${client} exited ${code}`)),
    );
  });
}

type Samples = Record<string, number[]>;

/** redis-benchmark's GET ops/s beside a workload, and redspec's ratio to it (median; per round). */
interface Ceiling {
  workload: string;
  pipeline: number;
  samples: number[];
  ratio: number;
  ratios: number[];
}

async function measure(clients: BenchClient[], w: Workload): Promise<{ ops: Samples; cpu: Samples }> {
  const ops: Samples = Object.fromEntries(clients.map((c) => [c.name, []]));
  const cpu: Samples = Object.fromEntries(clients.map((c) => [c.name, []]));
  for (const c of clients) await w.run(c); // warm-up
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < clients.length; i++) {
      const c = clients[(i + round) % clients.length]!;
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      await w.run(c);
      ops[c.name]!.push(w.ops / ((performance.now() - start) / 1000));
      const used = process.cpuUsage(cpuStart);
      cpu[c.name]!.push((used.user + used.system) / w.ops);
    }
  }
  return { ops, cpu };
}

async function main(): Promise<void> {
  const server = await startServer();
  const lines: string[] = [];
  const results: {
    workload: string;
    ops: number;
    opsPerSecond: Samples;
    cpuMicrosPerOp: Samples;
    ratioToBestPeer: Record<string, number>;
  }[] = [];
  try {
    const clients = [
      await redspecClient(server.url),
      await ioredisClient(server.port, false),
      await ioredisClient(server.port, true),
      await nodeRedisClient(server.url),
    ];
    await prepare(clients[0]!, server.url);
    const names = clients.map((c) => c.name);
    const head = [`| workload | ${names.join(' | ')} |`, `| --- | ${names.map(() => '---:').join(' | ')} |`];
    const opsRows: string[] = [];
    const cpuRows: string[] = [];
    const ceilings: Ceiling[] = [];
    const only = process.env.BENCH_ONLY?.split('|');
    for (const w of workloads) {
      if (only !== undefined && !only.some((part) => w.name.includes(part))) continue;
      const { ops, cpu } = await measure(clients, w);
      opsRows.push(`| ${w.name} | ${names.map((n) => ratioCell(ops, n, SELF, 0)).join(' | ')} |`);
      cpuRows.push(`| ${w.name} | ${names.map((n) => ratioCell(cpu, n, SELF, 2, false)).join(' | ')} |`);
      results.push({
        workload: w.name,
        ops: w.ops,
        opsPerSecond: ops,
        cpuMicrosPerOp: cpu,
        ratioToBestPeer: Object.fromEntries(names.map((n) => [n, ratioOf(ops, n, SELF)])),
      });
      if (w.ceiling !== undefined) {
        // The same server's own ceiling on one connection, measured right after this workload.
        const samples: number[] = [];
        for (let round = 0; round < ROUNDS; round++) samples.push(redisBenchmark(server.port, w.ceiling));
        const ratios = ops[SELF]!.map((v, i) => v / samples[i]!);
        ceilings.push({
          workload: w.name,
          pipeline: w.ceiling,
          samples,
          ratio: median(ops[SELF]!) / median(samples),
          ratios,
        });
      }
    }
    const rss: Samples = Object.fromEntries(names.map((n) => [n, []]));
    const rssRounds = only === undefined || only.includes('RSS') ? Math.min(ROUNDS, 3) : 0;
    for (let round = 0; round < rssRounds; round++) {
      for (let i = 0; i < names.length; i++) {
        const n = names[(i + round) % names.length]!;
        rss[n]!.push(await peakRss(n, server.url, server.port));
      }
    }
    for (const c of clients) await c.close();

    const info = machine();
    lines.push(
      `${info.caption}`,
      '',
      `${ROUNDS} interleaved rounds; median ops/s (min..max) and ratio to the best peer (not to redspec)`,
      '',
      ...head,
      ...opsRows,
      '',
      'client CPU µs per operation, median (min..max); ratio = best peer / client (above 1: less CPU)',
      '',
      ...head,
      ...cpuRows,
      '',
      `peak RSS (MiB) of a process running 1,000 concurrent GETs, median (min..max); ratio = best peer / client`,
      '',
      `| ${names.join(' | ')} |`,
      `| ${names.map(() => '---:').join(' | ')} |`,
      `| ${names.map((n) => ratioCell(rss, n, SELF, 1, false)).join(' | ')} |`,
    );
    const f = (x: number) => x.toFixed(2);
    for (const c of ceilings) {
      lines.push(
        '',
        `redis-benchmark -c 1 -P ${c.pipeline} GET on the same server: ${Math.round(median(c.samples))} ops/s ` +
          `(${Math.round(Math.min(...c.samples))}..${Math.round(Math.max(...c.samples))}); ` +
          `redspec ${c.workload} / that = ${f(c.ratio)}× ` +
          `(rounds ${f(Math.min(...c.ratios))}..${f(Math.max(...c.ratios))})`,
      );
    }
    process.stdout.write(lines.join('\n') + '\n');
    const report = { ...info, rounds: ROUNDS, workloads: results, peakRssMiB: rss, redisBenchmark: ceilings };
    if (only === undefined) {
      writeFileSync(here('./results.json'), JSON.stringify(report, null, 2) + '\n');
      writeChart(here('./results.svg'), report);
    }
  } finally {
    await server.stop();
  }
}

await main();
if (process.env.BENCH_CLUSTER !== '0') process.stdout.write('\n' + (await benchCluster(ROUNDS)));
// What tracing costs, on and off; BENCH_TRACING=0 skips it.
if (process.env.BENCH_TRACING !== '0') process.stdout.write('\n' + (await benchTracing(ROUNDS)));
