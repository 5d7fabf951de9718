// Scenario 1: 10,000 ECHO commands, each with a random 1–20 ms deadline and a third of them also
// aborted at a random moment, through a proxy that holds replies back and releases them at random.
// A timed-out or aborted command whose reply may still come closes its connection, so: 0 replies
// delivered to the wrong caller, and every promise settles within its own timeout + 100 ms.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RedisClient } from '../../src/client/client.js';
import { AbortError, ConnectionError, TimeoutError } from '../../src/errors.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { FaultProxy } from './helpers/fault-proxy.js';

let server: TestServer;
let proxy: FaultProxy;
let client: RedisClient;

beforeAll(async () => {
  server = await startServer();
  proxy = await FaultProxy.start(server.port);
  client = createClient({ host: proxy.host, port: proxy.port, offlineQueueTimeout: 2_000 });
  await client.connect();
});
afterAll(async () => {
  client.disconnect();
  await proxy.close();
  await server.stop();
});

const random = (min: number, max: number) => min + Math.floor(Math.random() * (max - min + 1));

describe('scenario 1: timeouts and aborts under held replies', () => {
  it('10,000 ECHO: 0 wrong replies, every promise settles within timeout + 100 ms', async () => {
    // Hold and release replies at random: 0–10 ms held, 0–20 ms flowing. (Any timeout of a written
    // command closes the shared connection, failing everything else in flight on it.)
    let flipping = true;
    const flipper = (async () => {
      while (flipping) {
        proxy.set({ hold: true });
        await new Promise((r) => setTimeout(r, random(0, 10)));
        proxy.set({ hold: false });
        proxy.release();
        await new Promise((r) => setTimeout(r, random(0, 20)));
      }
    })();

    const total = 10_000;
    const wave = 25;
    const counts = { ok: 0, timeout: 0, abort: 0, connection: 0, other: 0 };
    let wrong = 0;
    let late = 0;
    let worstOverrun = -Infinity;
    const others: unknown[] = [];
    for (let start = 0; start < total; start += wave) {
      const calls: Promise<void>[] = [];
      for (let i = start; i < start + wave; i++) {
        const value = `caller-${i}-${Math.random().toString(36).slice(2)}`;
        const timeout = random(1, 20);
        const controller = i % 3 === 0 ? new AbortController() : undefined;
        const abortAfter = random(0, 20);
        if (controller) setTimeout(() => controller.abort(), abortAfter);
        const view = client.withOptions({ timeout, ...(controller ? { signal: controller.signal } : {}) });
        const began = performance.now();
        const bound = controller ? Math.min(timeout, abortAfter) : timeout;
        calls.push(
          view
            .sendCommand(['ECHO', value])
            .then(
              (reply) => {
                if (reply === value) counts.ok += 1;
                else wrong += 1;
              },
              (error: unknown) => {
                if (error instanceof TimeoutError) counts.timeout += 1;
                else if (error instanceof AbortError) counts.abort += 1;
                else if (error instanceof ConnectionError) counts.connection += 1;
                else {
                  counts.other += 1;
                  others.push(error);
                }
              },
            )
            .finally(() => {
              const overrun = performance.now() - began - bound;
              worstOverrun = Math.max(worstOverrun, overrun);
              if (overrun > 100) late += 1;
            }),
        );
      }
      await Promise.all(calls);
    }
    flipping = false;
    await flipper;
    proxy.clear();

    console.info(
      `[scenario 1] ${JSON.stringify(counts)}; wrong replies ${wrong}; late ${late}; worst overrun ` +
        `${worstOverrun.toFixed(1)} ms past the call's own bound; connections ${proxy.accepted}`,
    );
    expect(wrong).toBe(0);
    expect(late).toBe(0);
    expect(others).toEqual([]);
    // The faults really happened, and the client kept working through them.
    expect(counts.ok).toBeGreaterThan(300);
    expect(counts.timeout).toBeGreaterThan(100);
    expect(counts.abort).toBeGreaterThan(100);
    expect(counts.ok + counts.timeout + counts.abort + counts.connection).toBe(total);
    // And it is healthy afterwards.
    expect(await client.sendCommand(['ECHO', 'after'])).toBe('after');
  });
});
