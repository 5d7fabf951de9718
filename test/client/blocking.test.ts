// Blocking commands against real servers: BLPOP waits on a pooled connection while 1,000 GETs
// complete on the shared one; the client-side deadline is the command's own timeout plus the
// client's margin; a client-side timeout closes that connection (its reply could still come).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RedisClient } from '../../src/client/client.js';
import { TimeoutError } from '../../src/errors.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe.each([
  ['redis', 3],
  ['valkey', 2],
] as const)('blocking commands on %s RESP%i', (flavour, protocol) => {
  let server: TestServer;
  let client: RedisClient;
  let other: RedisClient;

  beforeAll(async () => {
    server = await startServer({ flavour });
    client = createClient({ url: server.url, protocol });
    other = createClient({ url: server.url, protocol });
  });
  afterAll(async () => {
    await client?.close();
    await other?.close();
    await server?.stop();
  });

  it('completes 1,000 GETs while BLPOP waits, then BLPOP gets the pushed item', async () => {
    await client.sendCommand(['DEL', 'b:q']);
    await client.set('b:k', 'v');
    let popped = false;
    const blpop = client.sendCommand(['BLPOP', 'b:q', '5']).then((reply) => {
      popped = true;
      return reply;
    });
    const started = Date.now();
    const gets = await Promise.all(Array.from({ length: 1_000 }, () => client.get('b:k')));
    expect(gets.every((v) => v === 'v')).toBe(true);
    expect(popped).toBe(false);
    expect(Date.now() - started).toBeLessThan(2_000);
    await other.sendCommand(['RPUSH', 'b:q', 'item']);
    expect(await blpop).toEqual(['b:q', 'item']);
    expect(client.node.pool.stats()).toMatchObject({ inUse: 0, idle: 1 });
  });

  it('lets the server time out first: BLPOP 1 s resolves null despite a 200 ms command timeout', async () => {
    const view = client.withOptions({ timeout: 200 });
    const started = Date.now();
    expect(await view.sendCommand(['BLPOP', 'b:empty', '1'])).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it('a client-side timeout on a blocking command closes its connection', async () => {
    // CLIENT PAUSE WRITE holds BLPOP (a write) on the server past its own 0.1 s timeout, so the
    // client's deadline (100 ms + 100 ms margin) passes first.
    await client.sendCommand(['BLPOP', 'b:warm', '0.01']);
    const before = client.node.pool.stats().created;
    await other.sendCommand(['CLIENT', 'PAUSE', '1500', 'WRITE']);
    try {
      const view = client.withOptions({ timeout: 100 });
      const error = await view.sendCommand(['BLPOP', 'b:paused', '0.1']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).mayHaveExecuted).toBe(true);
      // The timed-out connection was closed, not returned to the pool.
      expect(client.node.pool.stats()).toMatchObject({ created: before - 1, inUse: 0 });
    } finally {
      await other.sendCommand(['CLIENT', 'UNPAUSE']);
    }
  });

  it('an abort on a blocking command that waits forever closes its connection', async () => {
    const controller = new AbortController();
    const pending = client
      .withOptions({ signal: controller.signal })
      .sendCommand(['BLPOP', 'b:forever', '0']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    controller.abort();
    await expect(pending).rejects.toThrow(/aborted/);
    await new Promise((resolve) => setTimeout(resolve, 50));
    // No client is left blocked on the server (flag b): the aborted connection was closed.
    const list = (await other.sendCommand(['CLIENT', 'LIST'])) as string;
    expect(list).not.toMatch(/ flags=\w*b\w* /);
  });

  it('reads XREAD BLOCK in milliseconds for the deadline', async () => {
    const view = client.withOptions({ timeout: 100 });
    const started = Date.now();
    expect(await view.sendCommand(['XREAD', 'BLOCK', '300', 'STREAMS', 'b:stream', '$'])).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});
