// The tracing part of `npm run bench`: the same client and workload (1,000 concurrent GETs, and
// sequential GETs) with no subscriber on redspec:command, and with one (no-op handlers), rounds
// interleaved. What tracing costs when it is on, and that it costs nothing when it is off.
import { tracingChannel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { median } from './stats.js';
import { createClient } from '../src/index.js';
import { startServer } from '../test/helpers/server.js';

const keys = Array.from({ length: 1000 }, (_, i) => `trace:${i}`);

export async function benchTracing(rounds: number): Promise<string> {
  const server = await startServer();
  const r = createClient(server.url);
  try {
    await r.connect();
    await r.mset(keys.map((key) => ({ key, value: 'v' })));
    const channel = tracingChannel('redspec:command');
    const handlers = { start() {}, end() {}, asyncStart() {}, asyncEnd() {}, error() {} };
    const workloads = [
      {
        name: 'concurrent GET (1,000 in flight)',
        ops: 20_000,
        run: async () => {
          for (let b = 0; b < 20; b++) await Promise.all(keys.map((k) => r.get(k)));
        },
      },
      {
        name: 'sequential GET (await each)',
        ops: 3_000,
        run: async () => {
          for (let i = 0; i < 3_000; i++) await r.get(keys[i % keys.length] as string);
        },
      },
    ];
    const lines = [
      `tracing: redspec with no subscriber vs a no-op subscriber on redspec:command, ${rounds} interleaved rounds, median ops/s`,
      '',
      '| workload | no subscriber | subscribed | ratio |',
      '| --- | ---: | ---: | ---: |',
    ];
    for (const w of workloads) {
      const off: number[] = [];
      const on: number[] = [];
      await w.run();
      for (let round = 0; round < rounds; round++) {
        for (const traced of round % 2 ? [true, false] : [false, true]) {
          if (traced) channel.subscribe(handlers);
          const start = performance.now();
          await w.run();
          (traced ? on : off).push(w.ops / ((performance.now() - start) / 1000));
          if (traced) channel.unsubscribe(handlers);
        }
      }
      lines.push(
        `| ${w.name} | ${Math.round(median(off))} | ${Math.round(median(on))} | ${(median(on) / median(off)).toFixed(2)}x |`,
      );
    }
    return lines.join('\n') + '\n';
  } finally {
    await r.close();
    await server.stop();
  }
}
