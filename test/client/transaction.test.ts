// WATCH transactions against real servers: a conflicting write from a second client aborts EXEC
// with WatchError; retries re-run the callback; the leased connection returns to the pool
// UNWATCHed (proved with a pool of one), and a scope kept past its callback is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RedisClient } from '../../src/client/client.js';
import { ClientClosedError, WatchError } from '../../src/errors.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe.each([
  ['redis', 2],
  ['redis', 3],
  ['valkey', 3],
] as const)('transaction on %s RESP%i', (flavour, protocol) => {
  let server: TestServer;
  let client: RedisClient;
  let other: RedisClient;

  beforeAll(async () => {
    server = await startServer({ flavour });
    client = createClient({ url: server.url, protocol, poolSize: 1 });
    other = createClient({ url: server.url, protocol });
  });
  afterAll(async () => {
    await client?.close();
    await other?.close();
    await server?.stop();
  });

  it('commits when nothing touched the WATCHed key', async () => {
    await client.set('t:n', '10');
    const results = await client.transaction(['t:n'], async (tx) => {
      const n = Number(await tx.get('t:n'));
      return tx
        .multi()
        .set('t:n', String(n + 1))
        .get('t:n')
        .exec();
    });
    expect(results).toEqual(['OK', '11']);
  });

  it('rejects with WatchError when a second client changes the WATCHed key', async () => {
    await client.set('t:w', 'start');
    const error = await client
      .transaction(['t:w'], async (tx) => {
        await tx.get('t:w');
        await other.set('t:w', 'theirs');
        return tx.multi().set('t:w', 'mine').exec();
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WatchError);
    expect(await client.get('t:w')).toBe('theirs');
  });

  it('re-runs the callback after a conflict, at most `retries` times', async () => {
    await client.set('t:r', '0');
    let runs = 0;
    const results = await client.transaction(
      ['t:r'],
      async (tx) => {
        runs++;
        const n = Number(await tx.get('t:r'));
        if (runs === 1) await other.incr('t:r');
        return tx
          .multi()
          .set('t:r', String(n + 10))
          .exec();
      },
      { retries: 2 },
    );
    expect(runs).toBe(2);
    expect(results).toEqual(['OK']);
    expect(await client.get('t:r')).toBe('11');

    runs = 0;
    const failed = client.transaction(
      ['t:r'],
      async (tx) => {
        runs++;
        await tx.get('t:r');
        await other.incr('t:r');
        return tx.multi().incr('t:r').exec();
      },
      { retries: 1 },
    );
    await expect(failed).rejects.toBeInstanceOf(WatchError);
    expect(runs).toBe(2);
  });

  it('returns the connection UNWATCHed when the callback gives up before EXEC', async () => {
    await client.set('t:u', 'a');
    await expect(
      client.transaction(['t:u'], async (tx) => {
        await tx.get('t:u');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    await other.set('t:u', 'b');
    // Same pooled connection (pool of one): a WATCH left behind would make this EXEC abort.
    const results = await client.transaction([], (tx) => tx.multi().set('t:u', 'c').exec());
    expect(results).toEqual(['OK']);
    expect(client.node.pool.stats()).toMatchObject({ created: 1, idle: 1, inUse: 0 });
  });

  it('refuses a scope used after its callback ended', async () => {
    let kept: { get(key: string): Promise<string | null> } | undefined;
    await client.transaction(['t:x'], (tx) => {
      kept = tx;
    });
    await expect(kept?.get('t:x')).rejects.toBeInstanceOf(ClientClosedError);
  });
});
