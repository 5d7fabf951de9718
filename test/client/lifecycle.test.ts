// The client's life: lazy connect, connect(), events in order, graceful close() that waits for
// replies, disconnect() that settles everything at once, reconnect after the server drops the
// connection, per-call timeout/abort views, and a client that hides its password when printed.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AbortError,
  ClientClosedError,
  ConnectionError,
  createClient,
  OfflineTimeoutError,
  QueueFullError,
  TimeoutError,
} from '../../src/index.js';
import { freePort, startServer, type TestServer } from '../helpers/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ config: ['enable-debug-command yes'] });
});
afterAll(async () => {
  await server.stop();
});

describe('client lifecycle', () => {
  it('connects lazily on the first command and emits connect then ready', async () => {
    const r = createClient(server.url);
    const events: string[] = [];
    r.on('connect', () => events.push('connect'));
    r.on('ready', () => events.push('ready'));
    r.on('end', () => events.push('end'));
    expect(r.isOpen).toBe(false);
    expect(await r.ping()).toBe('PONG');
    expect(r.isOpen).toBe(true);
    await r.close();
    expect(events).toEqual(['connect', 'ready', 'end']);
    await expect(r.ping()).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('close() waits for the replies of commands already sent', async () => {
    const r = await createClient(server.url).connect();
    const slow = r.sendCommand(['DEBUG', 'SLEEP', '0.1']);
    const value = r.echo('after');
    await r.close();
    await expect(slow).resolves.toBe('OK');
    await expect(value).resolves.toBe('after');
  });

  it('disconnect() settles pending commands at once', async () => {
    const r = await createClient(server.url).connect();
    const pending = r.sendCommand(['DEBUG', 'SLEEP', '0.2']);
    const started = Date.now();
    r.disconnect();
    const error = await pending.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectionError);
    expect(Date.now() - started).toBeLessThan(150);
  });

  it('reconnects after the server drops the connection, and serves reads again', async () => {
    const r = createClient({ url: server.url, name: 'victim' });
    const ready: number[] = [];
    r.on('ready', () => ready.push(Date.now()));
    await r.set('life:k', 'v');
    const killer = createClient(server.url);
    expect(
      await killer.sendCommand(['CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes']),
    ).toBeGreaterThanOrEqual(1);
    // A read is safe to re-send, so it succeeds on a new connection.
    await expect(r.get('life:k')).resolves.toBe('v');
    expect(ready).toHaveLength(2);
    await killer.close();
    await r.close();
  });

  it('applies per-call timeouts and AbortSignals through withOptions views', async () => {
    const r = await createClient(server.url).connect();
    const timedOut = await r
      .withOptions({ timeout: 50 })
      .sendCommand(['DEBUG', 'SLEEP', '0.2'])
      .catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(TimeoutError);
    expect((timedOut as TimeoutError).mayHaveExecuted).toBe(true);
    const controller = new AbortController();
    const aborted = r.withOptions({ signal: controller.signal }).sendCommand(['DEBUG', 'SLEEP', '0.2']);
    setTimeout(() => controller.abort(), 20);
    await expect(aborted).rejects.toBeInstanceOf(AbortError);
    // The view shares the client: the client itself still works (on a new connection).
    expect(await r.ping()).toBe('PONG');
    await r.close();
  });

  it('never shows the password when printed', async () => {
    const canary = 'hunter2-canary';
    const r = createClient({ url: `redis://user:${canary}@127.0.0.1:${server.port}` });
    expect(inspect(r, { depth: 10 })).not.toContain(canary);
    expect(JSON.stringify(r)).not.toContain(canary);
    expect(inspect(r)).toContain('[redacted]');
    const error = await r.ping().catch((e: unknown) => e);
    expect(String((error as Error).message)).not.toContain(canary);
    r.disconnect();
  });

  it('a server that is down: OfflineTimeoutError, a ConnectionError whose cause is the connect failure', async () => {
    const port = await freePort();
    const r = createClient({ port, offlineQueueTimeout: 300, maxOfflineQueue: 2 });
    r.on('error', () => {});
    const waiting = [r.get('a'), r.get('b')].map((p) => p.catch((e: unknown) => e));
    // A third caller finds the queue full at once.
    await expect(r.get('c')).rejects.toBeInstanceOf(QueueFullError);
    const [a, b] = await Promise.all(waiting);
    for (const error of [a, b]) {
      expect(error).toBeInstanceOf(OfflineTimeoutError);
      expect(error).toBeInstanceOf(ConnectionError);
      expect(error).toMatchObject({ name: 'OfflineTimeoutError', mayHaveExecuted: false });
      expect((error as Error).cause).toBeInstanceOf(ConnectionError);
      expect((error as Error).message).toMatch(/waited 300 ms in the offline queue/);
    }
    r.disconnect();
  });
});
