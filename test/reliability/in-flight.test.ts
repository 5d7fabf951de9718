// Scenario 9: 10,000 commands in flight at once on one multiplexed connection, replies split into
// random 1–7 byte pieces by the fault proxy: every caller gets its own reply (0 mismatches), and
// everything travels on one connection in a handful of socket writes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RedisClient } from '../../src/client/client.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { FaultProxy } from './helpers/fault-proxy.js';

let server: TestServer;
let proxy: FaultProxy;
let client: RedisClient;

beforeAll(async () => {
  server = await startServer();
  proxy = await FaultProxy.start(server.port);
  client = createClient({ host: proxy.host, port: proxy.port });
  await client.connect();
});
afterAll(async () => {
  await client.close();
  await proxy.close();
  await server.stop();
});

describe('scenario 9: 10,000 commands in flight on one connection', () => {
  it.each([
    ['whole replies', 0],
    ['replies split into 1-7 byte pieces', 7],
  ])('%s: 0 mismatches', async (_label, fragment) => {
    proxy.set({ fragment });
    const n = 10_000;
    const before = client.node.current?.stats.writes ?? 0;
    const expected: string[] = [];
    const calls: Promise<unknown>[] = [];
    for (let i = 0; i < n; i++) {
      // Values of varied length, some with CR/LF inside (length-prefixed, so harmless).
      const value = i % 97 === 0 ? `${i}\r\n+OK\r\n${'x'.repeat(i % 3000)}` : `${i}:${'v'.repeat(i % 50)}`;
      expected.push(value);
      calls.push(client.sendCommand(['ECHO', value]));
    }
    const started = performance.now();
    const replies = await Promise.all(calls);
    const elapsed = performance.now() - started;
    let mismatches = 0;
    replies.forEach((reply, i) => {
      if (reply !== expected[i]) mismatches += 1;
    });
    const conn = client.node.current;
    const writes = (conn?.stats.writes ?? 0) - before;
    console.info(
      `[scenario 9] fragment=${fragment}: ${n} ECHO in ${elapsed.toFixed(0)} ms, ${mismatches} mismatches, ` +
        `${writes} socket writes, ${proxy.accepted} connection(s)`,
    );
    expect(mismatches).toBe(0);
    expect(proxy.accepted).toBe(1);
    expect(writes).toBeLessThanOrEqual(5);
  });
});
