// Scenario 8: a canary password run through every failure path: wrong password (options and URL),
// an ACL user that is disabled, a TLS handshake failure, a handshake that never answers, a command
// that times out, plus util.inspect and JSON of the client, its options and its internals. The
// canary must occur 0 times in any message, stack, cause, event payload or console/stdio output.
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RedisClient } from '../../src/client/client.js';
import { resolveClientOptions } from '../../src/client/options.js';
import { Connection } from '../../src/connection/connection.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { FakeServer } from './helpers/fake-server.js';
import { FaultProxy } from './helpers/fault-proxy.js';

const CANARY = 'canary-Pw-7f3a91c2e5';
let server: TestServer;
let silent: FakeServer;
let proxy: FaultProxy;

beforeAll(async () => {
  server = await startServer({ args: ['--requirepass', 'the-real-one'] });
  const admin = await Connection.connect({ port: server.port, password: 'the-real-one' });
  await admin.send('ACL SETUSER', ['ACL', 'SETUSER', 'alice', 'off', `>${CANARY}`, '~*', '+@all']);
  admin.destroy();
  silent = await FakeServer.start(() => {}, { silent: true });
  proxy = await FaultProxy.start(server.port);
});
afterAll(async () => {
  await silent.close();
  await proxy.close();
  await server.stop();
});

/** Everything printable about a value: inspect (causes and own properties included) and stack. */
function render(value: unknown): string {
  const parts = [inspect(value, { depth: 8 })];
  try {
    parts.push(JSON.stringify(value) ?? '');
  } catch {
    // Circular values have their inspect form above.
  }
  for (let e: unknown = value; e instanceof Error; e = e.cause) parts.push(String(e.stack), e.message);
  return parts.join('\n');
}

describe('scenario 8: a canary password never leaks', () => {
  it('0 occurrences across failure paths, events, inspect/JSON and logs', async () => {
    const seen: { where: string; text: string }[] = [];
    const record = (where: string, value: unknown) => seen.push({ where, text: render(value) });

    // Capture everything written to the console or stdio while the failures happen.
    const logged: string[] = [];
    const stdoutWrite = process.stdout.write.bind(process.stdout);
    const stderrWrite = process.stderr.write.bind(process.stderr);
    const capture =
      (original: typeof process.stdout.write) =>
      (chunk: unknown, ...rest: unknown[]): boolean => {
        logged.push(String(chunk));
        return (original as (c: unknown, ...r: unknown[]) => boolean)(chunk, ...rest);
      };
    process.stdout.write = capture(stdoutWrite) as typeof process.stdout.write;
    process.stderr.write = capture(stderrWrite) as typeof process.stderr.write;
    const onWarning = (w: Error) => logged.push(render(w));
    process.on('warning', onWarning);

    const clients: RedisClient[] = [];
    const make = (options: Parameters<typeof createClient>[0]) => {
      const client = createClient(options);
      clients.push(client);
      for (const event of ['error', 'reconnecting', 'end', 'connect'] as const) {
        client.on(event, (...args: unknown[]) => record(`event ${event}`, args));
      }
      record('inspect(client)', client);
      record('inspect(client.node)', client.node);
      return client;
    };
    const fail = async (where: string, client: RedisClient, args = ['PING']) => {
      const error = await client.sendCommand(args).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, where).toBeInstanceOf(Error);
      record(where, error);
      return error;
    };
    try {
      const port = server.port;
      await fail('wrong password', make({ port, password: CANARY, offlineQueueTimeout: 1_000 }));
      await fail('wrong password in the URL', make(`redis://default:${CANARY}@127.0.0.1:${port}`));
      await fail(
        'ACL user disabled',
        make({ port, username: 'alice', password: CANARY, offlineQueueTimeout: 1_000 }),
      );
      await fail(
        'TLS to a plaintext port',
        make({ port, tls: true, password: CANARY, connectTimeout: 1_000, offlineQueueTimeout: 1_000 }),
      );
      await fail(
        'TLS with a key and CA that are the canary',
        make({
          port,
          tls: { ca: CANARY, key: CANARY, rejectUnauthorized: true },
          password: CANARY,
          offlineQueueTimeout: 1_000,
        }),
      );
      await fail(
        'handshake timeout',
        make({ port: silent.port, password: CANARY, connectTimeout: 150, offlineQueueTimeout: 1_000 }),
      );
      // A command carrying the canary as a value times out (the proxy swallows replies).
      const timing = make({ port: proxy.port, password: 'the-real-one', commandTimeout: 100 });
      await timing.connect();
      proxy.set({ dropDown: true });
      await fail('command timeout', timing, ['SET', 'secret', CANARY]);
      proxy.clear();
      record(
        'resolved client options',
        resolveClientOptions({ port, password: CANARY, tls: { key: CANARY } }),
      );
      for (const client of clients) {
        record('inspect(client) after failures', client);
        record('JSON.stringify(client)', client);
        record('inspect(client.node) after failures', client.node);
      }
    } finally {
      for (const client of clients) client.disconnect();
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
      process.off('warning', onWarning);
    }
    const leaks = [...seen, ...logged.map((text) => ({ where: 'console/stdio', text }))].filter((s) =>
      s.text.includes(CANARY),
    );
    console.info(
      `[scenario 8] ${seen.length} rendered values (errors, events, inspect/JSON) and ${logged.length} ` +
        `log writes checked: ${leaks.length} containing the canary` +
        (leaks.length ? ` (${leaks.map((l) => l.where).join(', ')})` : ''),
    );
    expect(leaks.map((l) => l.where)).toEqual([]);
    // The paths really failed the way they should.
    expect(seen.filter((s) => s.where === 'wrong password')[0]?.text).toMatch(/AuthenticationError/);
    expect(seen.filter((s) => s.where === 'command timeout')[0]?.text).toMatch(/TimeoutError/);
  });
});
