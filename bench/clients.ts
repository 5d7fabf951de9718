// The clients under comparison behind one small interface, each set up the way its own
// documentation recommends: ioredis plain and with auto-pipelining (its throughput mode), node-redis
// as is. Every client reads values as strings except in the `*Buffer` calls.
import { Redis as IORedis } from 'ioredis';
import { createClient as createNodeRedis, RESP_TYPES } from 'redis';
import { createClient } from '../src/index.js';

export interface BenchClient {
  readonly name: string;
  get(key: string): Promise<unknown>;
  /** GET with the value as a Buffer. */
  getBuffer(key: string): Promise<unknown>;
  set(key: string, value: string | Buffer): Promise<unknown>;
  /** INCR of a key that holds text: the server's error reply, as the client's error object. */
  incrError(key: string): Promise<unknown>;
  lrange(key: string): Promise<unknown[]>;
  hgetall(key: string): Promise<Record<string, unknown>>;
  /** A pipeline of `n` SETs then GETs, one round trip. */
  pipeline(keys: string[], value: string): Promise<unknown>;
  close(): Promise<void>;
}

const notAnError = (reply: unknown): never => {
  throw new Error(`INCR of a text value answered ${String(reply)}, not an error`);
};
const caught = (error: unknown): unknown => error;

export async function redspecClient(url: string): Promise<BenchClient> {
  const r = createClient(url);
  await r.connect();
  const b = r.withOptions({ returnBuffers: true });
  return {
    name: 'redspec',
    get: (k) => r.get(k),
    getBuffer: (k) => b.get(k),
    set: (k, v) => r.set(k, v),
    incrError: (k) => r.incr(k).then(notAnError, caught),
    lrange: (k) => r.lrange(k, 0, -1),
    hgetall: (k) => r.hgetall(k),
    pipeline: (keys, v) => {
      const p = r.pipeline();
      for (const k of keys) p.set(k, v).get(k);
      return p.exec();
    },
    close: () => r.close(),
  };
}

export async function ioredisClient(port: number, autoPipelining: boolean): Promise<BenchClient> {
  const r = new IORedis({ port, host: '127.0.0.1', enableAutoPipelining: autoPipelining, lazyConnect: true });
  await r.connect();
  return {
    name: autoPipelining ? 'ioredis auto-pipelining' : 'ioredis',
    get: (k) => r.get(k),
    getBuffer: (k) => r.getBuffer(k),
    set: (k, v) => r.set(k, v),
    incrError: (k) => r.incr(k).then(notAnError, caught),
    lrange: (k) => r.lrange(k, 0, -1),
    hgetall: (k) => r.hgetall(k),
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
  const b = r.withTypeMapping({ [RESP_TYPES.BLOB_STRING]: Buffer });
  return {
    name: 'node-redis',
    get: (k) => r.get(k),
    getBuffer: (k) => b.get(k),
    set: (k, v) => r.set(k, v),
    incrError: (k) => r.incr(k).then(notAnError, caught),
    lrange: (k) => r.lRange(k, 0, -1),
    hgetall: (k) => r.hGetAll(k),
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
