// Scenario 3: a server frozen with SIGSTOP (the kernel still accepts connections, nothing answers)
// and a connect black hole: connects and in-flight commands reject within their own timeouts
// ± 100 ms (TimeoutError; written ones flagged mayHaveExecuted), and after SIGCONT the client
// recovers by itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/client.js';
import { Connection } from '../../src/connection/connection.js';
import { ConnectionError, TimeoutError } from '../../src/errors.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { FaultProxy } from './helpers/fault-proxy.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  server.process.kill('SIGCONT');
  await server.stop();
});

/** Ms from now until `promise` settles, and how it settled. */
async function timed(promise: Promise<unknown>): Promise<{ ms: number; error: unknown }> {
  const started = performance.now();
  try {
    await promise;
    return { ms: performance.now() - started, error: undefined };
  } catch (error) {
    return { ms: performance.now() - started, error };
  }
}

describe('scenario 3: SIGSTOP and a connect black hole', () => {
  it('in-flight commands, a fresh connect and a queued command reject on time; SIGCONT recovers', async () => {
    const client = createClient({ port: server.port, commandTimeout: 300, connectTimeout: 400 });
    client.on('error', () => {});
    await client.connect();
    expect(await client.sendCommand(['SET', 'k', 'before'])).toBe('OK');

    server.process.kill('SIGSTOP');
    try {
      // In flight when the server froze: each rejects at its own deadline.
      const inflight = await Promise.all([
        timed(client.sendCommand(['GET', 'k'])),
        timed(client.withOptions({ timeout: 150 }).sendCommand(['ECHO', 'x'])),
        timed(client.withOptions({ timeout: 500 }).sendCommand(['INCR', 'n'])),
      ]);
      // A fresh connection to the frozen server: the TCP connect succeeds, the handshake never ends.
      const connect = await timed(Connection.connect({ port: server.port, connectTimeout: 250 }));
      // A command issued with no open connection: its deadline covers the wait for one.
      const queued = await timed(client.withOptions({ timeout: 200 }).sendCommand(['PING']));
      console.info(
        `[scenario 3] SIGSTOP: in-flight ${inflight.map((r) => r.ms.toFixed(0)).join('/')} ms ` +
          `(deadlines 300/150/500, first failure fails the rest), connect ${connect.ms.toFixed(0)} ms (250), ` +
          `queued ${queued.ms.toFixed(0)} ms (200)`,
      );
      // The 150 ms ECHO times out first and closes the shared connection. INCR was written on it:
      // it fails at that moment, flagged mayHaveExecuted, and is not re-sent. GET is read-only:
      // it is re-sent, waits for a connection, and rejects at its own deadline, still flagged.
      const [get, echo, incr] = inflight;
      expect(echo?.error).toBeInstanceOf(TimeoutError);
      expect(Math.abs((echo?.ms ?? 0) - 150)).toBeLessThan(100);
      expect(incr?.error).toBeInstanceOf(ConnectionError);
      expect(incr?.error).toMatchObject({ mayHaveExecuted: true });
      expect(incr?.ms ?? Infinity).toBeLessThan(150 + 100);
      expect(get?.error).toBeInstanceOf(TimeoutError);
      expect(get?.error).toMatchObject({ mayHaveExecuted: true });
      expect(Math.abs((get?.ms ?? 0) - 300)).toBeLessThan(100);
      expect(connect.error).toBeInstanceOf(TimeoutError);
      expect(Math.abs(connect.ms - 250)).toBeLessThan(100);
      expect(queued.error).toBeInstanceOf(TimeoutError);
      expect(queued.error).toMatchObject({ mayHaveExecuted: false });
      expect(Math.abs(queued.ms - 200)).toBeLessThan(100);

      // Alone, a command frozen in flight rejects at its own deadline too.
      const alone = await timed(client.withOptions({ timeout: 300 }).sendCommand(['GET', 'k']));
      expect(alone.error).toBeInstanceOf(TimeoutError);
      expect(Math.abs(alone.ms - 300)).toBeLessThan(100);
    } finally {
      server.process.kill('SIGCONT');
    }
    // Recovery: the next command reconnects and succeeds.
    const started = performance.now();
    expect(await client.sendCommand(['GET', 'k'])).toBe('before');
    console.info(`[scenario 3] recovered ${(performance.now() - started).toFixed(0)} ms after SIGCONT`);
    await client.close();
  });

  it('a connect black hole rejects the connect and the waiting command on time', async () => {
    const proxy = await FaultProxy.start(server.port);
    proxy.set({ blackhole: true });
    try {
      const connect = await timed(Connection.connect({ port: proxy.port, connectTimeout: 300 }));
      expect(connect.error).toBeInstanceOf(TimeoutError);
      expect(Math.abs(connect.ms - 300)).toBeLessThan(100);

      const client = createClient({ port: proxy.port, connectTimeout: 200, commandTimeout: 500 });
      const command = await timed(client.sendCommand(['PING']));
      console.info(
        `[scenario 3] black hole: connect ${connect.ms.toFixed(0)} ms (300), command ${command.ms.toFixed(0)} ms (500), ${proxy.accepted} connects`,
      );
      expect(command.error).toBeInstanceOf(TimeoutError);
      expect(command.error).toMatchObject({ mayHaveExecuted: false });
      expect(Math.abs(command.ms - 500)).toBeLessThan(100);
      // Recovery once the hole closes.
      proxy.set({ blackhole: false });
      const started = performance.now();
      expect(await client.sendCommand(['PING'])).toBe('PONG');
      const recovery = performance.now() - started;
      console.info(`[scenario 3] black hole: recovered in ${recovery.toFixed(0)} ms`);
      // Within the reconnect back-off cap (2 s) plus a connect.
      expect(recovery).toBeLessThan(2_500);
      client.disconnect();
    } finally {
      await proxy.close();
    }
  });
});
