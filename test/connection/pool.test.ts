// ConnectionPool with real connections: reuse, maxConnections with waiting and PoolTimeoutError,
// health checks that replace dead connections, the pid reset with an injected pid, lock timeouts,
// disconnect/close, and the stats invariant (idle + inUse + creating = created) under random load,
// checked against the server's own CLIENT LIST. With fake connections from a slow factory: the
// timeout and the signal bound a whole acquire, a connection still being made then going idle.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Connection } from '../../src/connection/connection.js';
import { ConnectionPool, type PoolConnection, type PoolOptions } from '../../src/connection/pool.js';
import {
  AbortError,
  ClientClosedError,
  ConnectionError,
  LockTimeoutError,
  PoolTimeoutError,
} from '../../src/errors.js';
import { startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
let admin: Connection;
beforeAll(async () => {
  server = await startServer({ flavour: 'valkey' });
  admin = await Connection.connect({ host: server.host, port: server.port, name: 'admin' });
});
afterAll(async () => {
  await admin?.close();
  await server?.stop();
});

function makePool(options: Partial<PoolOptions<Connection>> = {}) {
  let made = 0;
  const pool = new ConnectionPool<Connection>({
    factory: async () => {
      made += 1;
      return Connection.connect({ host: server.host, port: server.port, name: 'pooled' });
    },
    ...options,
  });
  return { pool, made: () => made };
}

function invariant<C extends PoolConnection>(pool: ConnectionPool<C>): void {
  const s = pool.stats();
  expect(s.idle + s.inUse + s.creating).toBe(s.created);
  expect(s.created).toBeLessThanOrEqual(pool.maxConnections);
}

async function pooledOnServer(): Promise<number> {
  const list = String(await admin.send('CLIENT LIST', ['CLIENT', 'LIST']));
  return list.split('\n').filter((line) => / name=pooled /.test(line)).length;
}

describe('ConnectionPool', () => {
  it('reuses released connections', async () => {
    const { pool, made } = makePool();
    const a = await pool.acquire();
    expect(pool.stats()).toMatchObject({ created: 1, idle: 0, inUse: 1 });
    expect(await a.send('PING', ['PING'])).toBe('PONG');
    await pool.release(a);
    expect(pool.stats()).toMatchObject({ created: 1, idle: 1, inUse: 0 });
    expect(await pool.acquire()).toBe(a);
    expect(made()).toBe(1);
    await pool.release(a);
    await pool.release(a); // a second release changes nothing
    invariant(pool);
    expect(pool.stats().idle).toBe(1);
    await pool.close();
    expect(a.closed).toBe(true);
    await expect(pool.acquire()).rejects.toThrow(ClientClosedError);
  });

  it('bounds connections and waits for a free one, up to a timeout', async () => {
    const { pool, made } = makePool({ maxConnections: 2, acquireTimeout: 150 });
    const a = await pool.acquire();
    const b = await pool.acquire();
    const started = Date.now();
    await expect(pool.acquire()).rejects.toThrow(PoolTimeoutError);
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(140);
    expect(waited).toBeLessThan(400);
    const waiting = pool.acquire({ timeout: 1000 });
    await new Promise((r) => setTimeout(r, 20));
    expect(pool.stats().waiting).toBe(1);
    await pool.release(b);
    expect(await waiting).toBe(b);
    expect(made()).toBe(2);
    const controller = new AbortController();
    const aborted = pool.acquire({ signal: controller.signal });
    controller.abort();
    await expect(aborted).rejects.toThrow(/aborted/);
    expect(pool.stats().waiting).toBe(0);
    await pool.release(a);
    await pool.release(b);
    invariant(pool);
    await pool.close();
  });

  it('replaces connections that died while idle and drops busy ones on release', async () => {
    const { pool, made } = makePool({ maxConnections: 3 });
    const a = await pool.acquire();
    const id = await a.send('CLIENT ID', ['CLIENT', 'ID']);
    await pool.release(a);
    await admin.send('CLIENT KILL', ['CLIENT', 'KILL', 'ID', String(id)]);
    await a.whenClosed();
    expect(a.isHealthy()).toBe(false);
    const b = await pool.acquire();
    expect(b).not.toBe(a);
    expect(await b.send('PING', ['PING'])).toBe('PONG');
    expect(made()).toBe(2);
    invariant(pool);
    // Released with a command still pending: not healthy, so not put back; its reply still arrives.
    const pending = b.send('ECHO', ['ECHO', 'late']);
    await pool.release(b);
    expect(pool.stats()).toMatchObject({ created: 0, idle: 0, inUse: 0 });
    expect(await pending).toBe('late');
    await b.whenClosed();
    await pool.close();
  });

  it('resets when the process id changes, never reusing the old connections', async () => {
    let pid = 100;
    const { pool, made } = makePool({ getPid: () => pid });
    expect(pool.pid).toBe(100);
    const a = await pool.acquire();
    const b = await pool.acquire();
    await pool.release(a);
    expect(pool.stats()).toMatchObject({ created: 2, idle: 1, inUse: 1 });
    pid = 200;
    const c = await pool.acquire();
    expect(pool.pid).toBe(200);
    expect(c).not.toBe(a);
    expect(c).not.toBe(b);
    expect(made()).toBe(3);
    expect(pool.stats()).toMatchObject({ created: 1, idle: 0, inUse: 1 });
    expect(pool.owns(c)).toBe(true);
    expect(pool.owns(b)).toBe(false);
    // The parent's connection, released in the child, is closed rather than pooled.
    await pool.release(b);
    expect(b.closed).toBe(true);
    expect(pool.stats()).toMatchObject({ created: 1, idle: 0, inUse: 1 });
    // The old idle one was forgotten, not closed by the reset (it belongs to the other process).
    expect(a.closed).toBe(false);
    a.destroy();
    await pool.release(c);
    invariant(pool);
    await pool.close();
  });

  it('a lock that cannot be taken in time raises LockTimeoutError', async () => {
    let pid = 1;
    const { pool } = makePool({ lockTimeout: 50, getPid: () => pid });
    const release = await pool.lock.acquire();
    await expect(pool.acquire()).rejects.toThrow(LockTimeoutError);
    pid = 2;
    await expect(pool.checkPid()).rejects.toThrow(LockTimeoutError);
    release();
    const a = await pool.acquire();
    await pool.release(a);
    await pool.close();
  });

  it('a failing factory gives its slot back', async () => {
    let fail = true;
    const pool = new ConnectionPool<Connection>({
      maxConnections: 1,
      factory: async () => {
        if (fail) throw new ConnectionError('cannot connect');
        return Connection.connect({ host: server.host, port: server.port, name: 'pooled' });
      },
    });
    await expect(pool.acquire()).rejects.toThrow(ConnectionError);
    expect(pool.stats()).toMatchObject({ created: 0, creating: 0 });
    fail = false;
    const a = await pool.acquire();
    await pool.release(a);
    await pool.close();
  });

  it('disconnect closes idle connections and, with inUseToo, busy ones', async () => {
    const { pool } = makePool();
    const [a, b, c] = await Promise.all([pool.acquire(), pool.acquire(), pool.acquire()]);
    await pool.release(a);
    await pool.disconnect(false);
    expect(a.closed).toBe(true);
    expect(b.closed).toBe(false);
    expect(pool.stats()).toMatchObject({ created: 2, idle: 0, inUse: 2 });
    await pool.disconnect();
    expect(b.closed).toBe(true);
    expect(c.closed).toBe(true);
    await pool.release(b);
    await pool.release(c);
    expect(pool.stats()).toMatchObject({ created: 0, idle: 0, inUse: 0 });
    await pool.close();
  });

  it('keeps idle + inUse + creating = created under random load, matching CLIENT LIST', async () => {
    const { pool } = makePool({ maxConnections: 5, acquireTimeout: 5000 });
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const worker = async () => {
      for (let i = 0; i < 60; i++) {
        const conn = await pool.acquire();
        invariant(pool);
        const roll = random();
        if (roll < 0.1) conn.destroy();
        else if (roll < 0.15)
          void conn.send('BLPOP', ['BLPOP', 'pool:none', 1], { timeout: 5 }).catch(() => {});
        else expect(await conn.send('ECHO', ['ECHO', `w${i}`])).toBe(`w${i}`);
        if (roll >= 0.1 && roll < 0.15) await new Promise((r) => setTimeout(r, 10));
        await pool.release(conn);
        invariant(pool);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    const s = pool.stats();
    expect(s.inUse).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(await pooledOnServer()).toBe(s.idle);
    await pool.close();
    await new Promise((r) => setTimeout(r, 50));
    expect(await pooledOnServer()).toBe(0);
  });
});

/** A connection the test controls: healthy until told otherwise, closed by close() or destroy(). */
class FakeConnection implements PoolConnection {
  healthy = true;
  closed = false;
  destroyed = false;
  isHealthy(): boolean {
    return this.healthy && !this.closed;
  }
  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }
  destroy(): void {
    this.closed = true;
    this.destroyed = true;
  }
}

/** Lets every pending promise reaction run (the pool's lock round trips, a factory call starting). */
const settled = () => new Promise((resolve) => setImmediate(resolve));

/** A pool whose factory calls wait until the test settles them, oldest first. */
function slowPool(options: Partial<PoolOptions<FakeConnection>> = {}) {
  const calls: Array<{ resolve: (c: FakeConnection) => void; reject: (e: Error) => void }> = [];
  const pool = new ConnectionPool<FakeConnection>({
    factory: () => new Promise((resolve, reject) => calls.push({ resolve, reject })),
    ...options,
  });
  const settle = async (outcome: FakeConnection | Error) => {
    const call = calls.shift();
    if (call === undefined) throw new Error('no factory call pending');
    if (outcome instanceof Error) call.reject(outcome);
    else call.resolve(outcome);
    await settled();
  };
  return { pool, calls, settle };
}

describe('ConnectionPool: acquire bounded whole, creation included', () => {
  it('times out while a connection is being made; the connection then goes idle', async () => {
    const { pool, calls, settle } = slowPool({ acquireTimeout: 60 });
    const started = Date.now();
    await expect(pool.acquire()).rejects.toThrow(PoolTimeoutError);
    const took = Date.now() - started;
    expect(took).toBeGreaterThanOrEqual(55);
    expect(took).toBeLessThan(500);
    expect(calls).toHaveLength(1);
    expect(pool.stats()).toMatchObject({ created: 1, creating: 1, idle: 0, inUse: 0 });
    invariant(pool);
    const late = new FakeConnection();
    await settle(late);
    expect(pool.stats()).toMatchObject({ created: 1, creating: 0, idle: 1, inUse: 0 });
    invariant(pool);
    expect(pool.owns(late)).toBe(true);
    expect(late.closed).toBe(false);
    // The next acquire takes it, without making another.
    expect(await pool.acquire()).toBe(late);
    expect(calls).toHaveLength(0);
    expect(pool.stats()).toMatchObject({ created: 1, idle: 0, inUse: 1 });
    await pool.release(late);
    await pool.close();
  });

  it('aborts while a connection is being made; an unhealthy late one is destroyed', async () => {
    const { pool, settle } = slowPool();
    const controller = new AbortController();
    const acquiring = pool.acquire({ signal: controller.signal });
    await settled();
    expect(pool.stats()).toMatchObject({ created: 1, creating: 1 });
    const reason = new Error('caller gave up');
    controller.abort(reason);
    const error = await acquiring.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).cause).toBe(reason);
    invariant(pool);
    const late = new FakeConnection();
    late.healthy = false;
    await settle(late);
    expect(late.destroyed).toBe(true);
    expect(pool.stats()).toMatchObject({ created: 0, creating: 0, idle: 0, inUse: 0 });
    await pool.close();
  });

  it('hands the late connection to an acquire waiting for a free one', async () => {
    const { pool, calls, settle } = slowPool({ maxConnections: 1 });
    await expect(pool.acquire({ timeout: 20 })).rejects.toThrow(PoolTimeoutError);
    // The one slot is still taken by the creation: this acquire waits for a free connection.
    const waiting = pool.acquire({ timeout: 5000 });
    await new Promise((r) => setTimeout(r, 10));
    expect(pool.stats()).toMatchObject({ created: 1, creating: 1, waiting: 1 });
    const late = new FakeConnection();
    await settle(late);
    expect(await waiting).toBe(late);
    expect(calls).toHaveLength(0);
    expect(pool.stats()).toMatchObject({ created: 1, creating: 0, idle: 0, inUse: 1, waiting: 0 });
    invariant(pool);
    await pool.release(late);
    await pool.close();
  });

  it('a late factory failure frees the slot and reaches nobody', async () => {
    const { pool, calls, settle } = slowPool({ maxConnections: 1 });
    await expect(pool.acquire({ timeout: 20 })).rejects.toThrow(PoolTimeoutError);
    const waiting = pool.acquire({ timeout: 5000 });
    await new Promise((r) => setTimeout(r, 10));
    // Unhandled, this rejection would fail the test run.
    await settle(new ConnectionError('cannot connect'));
    expect(pool.stats()).toMatchObject({ created: 1, creating: 1, waiting: 0 });
    // The woken waiter took the freed slot and is making its own connection.
    expect(calls).toHaveLength(1);
    const next = new FakeConnection();
    await settle(next);
    expect(await waiting).toBe(next);
    invariant(pool);
    await pool.release(next);
    await pool.close();
  });

  it('timeout 0: an idle connection or PoolTimeoutError at once; the creation it started lands idle', async () => {
    const { pool, settle } = slowPool();
    await expect(pool.acquire({ timeout: 0 })).rejects.toThrow(PoolTimeoutError);
    expect(pool.stats()).toMatchObject({ created: 1, creating: 1 });
    const late = new FakeConnection();
    await settle(late);
    expect(await pool.acquire({ timeout: 0 })).toBe(late);
    await pool.release(late);
    await pool.close();
  });

  it('a creation that finishes in time is handed over, and its bounds no longer fire', async () => {
    const { pool, settle } = slowPool({ acquireTimeout: 40 });
    const controller = new AbortController();
    const acquiring = pool.acquire({ signal: controller.signal });
    await settled();
    const made = new FakeConnection();
    await settle(made);
    expect(await acquiring).toBe(made);
    controller.abort();
    await new Promise((r) => setTimeout(r, 60));
    expect(pool.stats()).toMatchObject({ created: 1, creating: 0, idle: 0, inUse: 1 });
    await pool.release(made);
    expect(pool.stats()).toMatchObject({ created: 1, idle: 1, inUse: 0 });
    await pool.close();
  });

  it('a signal aborted while acquire waits for the lock rejects it at once', async () => {
    const { pool, settle } = slowPool({ maxConnections: 1 });
    const acquiring = pool.acquire();
    await settled();
    const busy = new FakeConnection();
    await settle(busy);
    expect(await acquiring).toBe(busy);
    const release = await pool.lock.acquire();
    const controller = new AbortController();
    const started = Date.now();
    const waiting = pool.acquire({ signal: controller.signal, timeout: 5000 });
    await settled();
    controller.abort();
    release();
    await expect(waiting).rejects.toThrow(AbortError);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(pool.stats()).toMatchObject({ created: 1, inUse: 1, waiting: 0 });
    await pool.release(busy);
    await pool.close();
  });

  it('a late connection is not kept across a pid reset or after close', async () => {
    let pid = 1;
    const { pool, settle } = slowPool({ getPid: () => pid });
    await expect(pool.acquire({ timeout: 10 })).rejects.toThrow(PoolTimeoutError);
    pid = 2;
    await pool.checkPid();
    expect(pool.stats()).toMatchObject({ created: 0, creating: 0 });
    const stale = new FakeConnection();
    await settle(stale);
    expect(stale.destroyed).toBe(true);
    expect(pool.owns(stale)).toBe(false);
    expect(pool.stats()).toMatchObject({ created: 0, creating: 0, idle: 0, inUse: 0 });

    await expect(pool.acquire({ timeout: 10 })).rejects.toThrow(PoolTimeoutError);
    await pool.close();
    const afterClose = new FakeConnection();
    await settle(afterClose);
    expect(afterClose.closed).toBe(true);
    expect(pool.stats()).toMatchObject({ created: 0, creating: 0, idle: 0, inUse: 0 });
  });
});
