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
import { socketFloor, type SocketFloor } from './floor.js';
import { workloads, prepare, VALUE, type Workload } from './workloads.js';

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

/**
 * Peak RSS (MiB) of a fresh process running 1,000 concurrent GETs with one client, and how far
 * above the process's RSS before the load (after a full GC) that peak is.
 */
function peakRss(client: string, url: string, port: number): Promise<{ peak: number; growth: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', here('./rss.ts'), client, url, String(port)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const [peak, before] = out.trim().split(' ').map(Number) as [number, number];
      if (code === 0 && peak > 0 && before > 0) resolve({ peak, growth: peak - before });
      else reject(new Error(`rss ${client} exited ${code}, printed ${JSON.stringify(out)}`));
    });
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

/** The bare-socket loop's GET ops/s beside a workload, and each client's ratio to it (medians). */
interface Floor {
  workload: string;
  samples: number[];
  ratio: Record<string, number>;
}

/**
 * Every client runs `w` once per round, the order rotated. `floor`, when given, takes its turn in
 * the rotation too (the same number of GETs), as a reference rather than a peer.
 */
async function measure(
  clients: BenchClient[],
  w: Workload,
  floor?: SocketFloor,
): Promise<{ ops: Samples; cpu: Samples; floor: number[] }> {
  const ops: Samples = Object.fromEntries(clients.map((c) => [c.name, []]));
  const cpu: Samples = Object.fromEntries(clients.map((c) => [c.name, []]));
  const floorOps: number[] = [];
  const turns = clients.length + (floor === undefined ? 0 : 1);
  for (const c of clients) await w.run(c); // warm-up
  if (floor !== undefined) await floor.run(w.ops);
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < turns; i++) {
      const c = clients[(i + round) % turns];
      const cpuStart = process.cpuUsage();
      const start = performance.now();
      if (c === undefined) {
        await floor!.run(w.ops);
        floorOps.push(w.ops / ((performance.now() - start) / 1000));
        continue;
      }
      await w.run(c);
      ops[c.name]!.push(w.ops / ((performance.now() - start) / 1000));
      const used = process.cpuUsage(cpuStart);
      cpu[c.name]!.push((used.user + used.system) / w.ops);
    }
  }
  return { ops, cpu, floor: floorOps };
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
    // One reply of the sequential workload: every key it reads holds VALUE.
    const floor = await socketFloor(server.port, `$${VALUE.length}\r\n`.length + VALUE.length + 2);
    const floors: Floor[] = [];
    const names = clients.map((c) => c.name);
    const head = [`| workload | ${names.join(' | ')} |`, `| --- | ${names.map(() => '---:').join(' | ')} |`];
    const opsRows: string[] = [];
    const cpuRows: string[] = [];
    const ceilings: Ceiling[] = [];
    const only = process.env.BENCH_ONLY?.split('|');
    for (const w of workloads) {
      if (only !== undefined && !only.some((part) => w.name.includes(part))) continue;
      const { ops, cpu, floor: floorSamples } = await measure(clients, w, w.socketFloor ? floor : undefined);
      if (w.socketFloor) {
        floors.push({
          workload: w.name,
          samples: floorSamples,
          ratio: Object.fromEntries(names.map((n) => [n, median(ops[n]!) / median(floorSamples)])),
        });
      }
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
    const rssGrowth: Samples = Object.fromEntries(names.map((n) => [n, []]));
    const rssRounds = only === undefined || only.includes('RSS') ? Math.min(ROUNDS, 3) : 0;
    for (let round = 0; round < rssRounds; round++) {
      for (let i = 0; i < names.length; i++) {
        const n = names[(i + round) % names.length]!;
        const { peak, growth } = await peakRss(n, server.url, server.port);
        rss[n]!.push(peak);
        rssGrowth[n]!.push(growth);
      }
    }
    for (const c of clients) await c.close();
    floor.close();

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
      '',
      'of which above the RSS before the load (after a full GC), MiB; ratio = best peer / client',
      '',
      `| ${names.join(' | ')} |`,
      `| ${names.map(() => '---:').join(' | ')} |`,
      `| ${names.map((n) => ratioCell(rssGrowth, n, SELF, 1, false)).join(' | ')} |`,
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
    for (const fl of floors) {
      const rounds = `${Math.round(Math.min(...fl.samples))}..${Math.round(Math.max(...fl.samples))}`;
      lines.push(
        '',
        `bare net.Socket loop, the same GETs in the same rounds (${fl.workload}): ` +
          `${Math.round(median(fl.samples))} ops/s (${rounds}); each client / that: ` +
          names.map((n) => `${n} ${f(fl.ratio[n]!)}×`).join(', '),
      );
    }
    process.stdout.write(lines.join('\n') + '\n');
    const report = {
      ...info,
      rounds: ROUNDS,
      workloads: results,
      peakRssMiB: rss,
      rssGrowthMiB: rssGrowth,
      redisBenchmark: ceilings,
      socketFloor: floors,
    };
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
