// The standalone scenarios of `npm run bench`, and the data they read (written once by prepare()).
import { createClient } from '../src/index.js';
import type { BenchClient } from './clients.js';

export interface Workload {
  readonly name: string;
  /** Operations one run performs. */
  readonly ops: number;
  /**
   * redis-benchmark's ceiling is measured alongside this one: GET on one connection with this many
   * commands per round trip (1 for a workload that awaits each reply, 100 for deep concurrency).
   */
  readonly ceiling?: number;
  /** Also timed, in the same rounds, over a bare net.Socket doing the same GETs (bench/floor.ts). */
  readonly socketFloor?: boolean;
  run(client: BenchClient): Promise<void>;
}

export const VALUE = 'v'.repeat(64);
const BIG = Buffer.alloc(1024 * 1024, 'b');
const BIG_TEXT = BIG.toString();
export const keys = Array.from({ length: 1000 }, (_, i) => `bench:${i}`);
const hundred = keys.slice(0, 100);

/** Concurrent calls: `batches` rounds of one call per key, all in flight together. */
async function concurrent(ks: readonly string[], batches: number, call: (k: string) => Promise<unknown>) {
  for (let b = 0; b < batches; b++) await Promise.all(ks.map(call));
}

export const workloads: Workload[] = [
  {
    name: 'sequential GET (await each)',
    ops: 5_000,
    ceiling: 1,
    socketFloor: true,
    async run(c) {
      for (let i = 0; i < 5_000; i++) await c.get(keys[i % keys.length]!);
    },
  },
  {
    name: 'concurrent GET (100 in flight)',
    ops: 30_000,
    run: (c) => concurrent(hundred, 300, (k) => c.get(k)),
  },
  {
    name: 'concurrent GET (1,000 in flight)',
    ops: 50_000,
    ceiling: 100,
    run: (c) => concurrent(keys, 50, (k) => c.get(k)),
  },
  {
    name: 'concurrent SET 64 B (1,000 in flight)',
    ops: 50_000,
    run: (c) => concurrent(keys, 50, (k) => c.set(k, VALUE)),
  },
  {
    // Every key holds VALUE, which is not a number: each call gets an error reply.
    name: 'concurrent INCR error replies (1,000 in flight)',
    ops: 50_000,
    run: (c) => concurrent(keys, 50, (k) => c.incrError(k)),
  },
  {
    name: 'pipeline SET+GET x 1,000',
    ops: 20_000,
    async run(c) {
      for (let i = 0; i < 10; i++) await c.pipeline(keys, VALUE);
    },
  },
  {
    name: 'LRANGE 0 -1 of 10k x 100 B',
    ops: 40,
    async run(c) {
      for (let i = 0; i < 40; i++)
        if ((await c.lrange('bench:list')).length !== 10_000) throw new Error('lrange');
    },
  },
  {
    name: 'HGETALL of 10k fields',
    ops: 40,
    async run(c) {
      for (let i = 0; i < 40; i++) await c.hgetall('bench:hash');
    },
  },
  {
    name: 'GET 1 MiB (string)',
    ops: 100,
    async run(c) {
      for (let i = 0; i < 100; i++) await c.get('bench:big');
    },
  },
  {
    name: 'GET 1 MiB (Buffer)',
    ops: 100,
    async run(c) {
      for (let i = 0; i < 100; i++) await c.getBuffer('bench:big');
    },
  },
  {
    name: 'SET 1 MiB',
    ops: 100,
    async run(c) {
      for (let i = 0; i < 100; i++) await c.set('bench:big:w', i % 2 ? BIG : BIG_TEXT);
    },
  },
];

/** Writes the keys, the 10k list, the 10k hash and the 1 MiB value every workload reads. */
export async function prepare(c: BenchClient, url: string): Promise<void> {
  await Promise.all(keys.map((k) => c.set(k, VALUE)));
  const r = createClient(url);
  await r.connect();
  const item = 'i'.repeat(100);
  await r.del('bench:list', 'bench:hash');
  for (let i = 0; i < 10_000; i += 1000) {
    await r.rpush('bench:list', ...Array.from({ length: 1000 }, () => item));
    const data = Array.from({ length: 1000 }, (_, j) => ({
      field: `field:${i + j}`,
      value: `value:${i + j}:${'x'.repeat(20)}`,
    }));
    await r.hset('bench:hash', data);
  }
  await r.set('bench:big', BIG);
  await r.close();
}
