// The three clients under comparison behind one small interface, each set up the way its own
// documentation recommends for throughput (ioredis with auto-pipelining on; node-redis as is).
import { Redis as IORedis } from 'ioredis';
import { createClient as createNodeRedis } from 'redis';
import { createClient } from '../src/index.js';

export interface BenchClient {
  readonly name: string;
  get(key: string): Promise<unknown>;
  set(key: string, value: string): Promise<unknown>;
  /** A pipeline of `n` SETs then GETs, one round trip. */
  pipeline(keys: string[], value: string): Promise<unknown>;
  close(): Promise<void>;
}

export async function redspecClient(url: string): Promise<BenchClient> {
  const r = createClient(url);
  await r.connect();
  return {
    name: 'redspec',
    get: (k) => r.get(k),
    set: (k, v) => r.set(k, v),
    pipeline: (keys, v) => {
      const p = r.pipeline();
      for (const k of keys) p.set(k, v).get(k);
      return p.exec();
    },
    close: () => r.close(),
  };
}

export async function ioredisClient(port: number): Promise<BenchClient> {
  const r = new IORedis({ port, host: '127.0.0.1', enableAutoPipelining: true, lazyConnect: true });
  await r.connect();
  return {
    name: 'ioredis',
    get: (k) => r.get(k),
    set: (k, v) => r.set(k, v),
    pipeline: (keys, v) => {
      const p = r.pipeline();
      for (const k of keys) p.set(k, v).get(k);
      return p.exec();
    },
    close: async () => {
      await r.quit();
    },
  };
}

export async function nodeRedisClient(url: string): Promise<BenchClient> {
  const r = createNodeRedis({ url });
  await r.connect();
  return {
    name: 'node-redis',
    get: (k) => r.get(k),
    set: (k, v) => r.set(k, v),
    pipeline: (keys, v) => {
      const m = r.multi();
      for (const k of keys) m.set(k, v).get(k);
      return m.execAsPipeline();
    },
    close: async () => {
      await r.quit();
    },
  };
}
