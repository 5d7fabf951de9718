// Scenario 5: a fake server answers with hostile frames: a 2 GiB bulk length, a 4 Gi-element
// array, 100,000 nested arrays, garbage, and a large declared length trickled and cut. Each must
// end in a ProtocolError (or, for the cut one, a ConnectionError) that closes the connection, with
// no uncaught exception and RSS growth under 16 MiB over many rounds (nothing is allocated from a
// declared length).
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient } from '../../src/client/client.js';
import { ConnectionError, ProtocolError } from '../../src/errors.js';
import { FakeServer } from './helpers/fake-server.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const PAYLOADS: Record<string, Buffer> = {
  $2147483647: Buffer.from('$2147483647\r\n' + 'a'.repeat(65_536)),
  '*4294967295': Buffer.from('*4294967295\r\n:1\r\n'),
  '100,000-deep nesting': Buffer.from('*1\r\n'.repeat(100_000) + ':1\r\n'),
  garbage: Buffer.concat([
    Buffer.from([0x00, 0xff, 0x13]),
    Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)),
  ]),
  'declared 500 MB, 1 MiB sent, then cut': Buffer.concat([
    Buffer.from('$500000000\r\n'),
    Buffer.alloc(1 << 20, 0x61),
  ]),
};

let fake: FakeServer;
let current = '';

beforeAll(async () => {
  // ECHO is not read-only: one attempt per round (a read-only command would be re-sent).
  fake = await FakeServer.start((_args, socket) => {
    const payload = PAYLOADS[current];
    if (!payload) return;
    socket.write(payload, () => {
      if (current.includes('cut')) socket.destroy();
    });
  });
});
afterAll(async () => {
  await fake.close();
});

describe('scenario 5: hostile replies', () => {
  it('ProtocolError or ConnectionError, connection closed, RSS growth < 16 MiB, no uncaught exception', async () => {
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    const client = createClient({ port: fake.port, offlineQueueTimeout: 2_000 });
    const events: Error[] = [];
    client.on('error', (e) => events.push(e));

    const results: Record<string, { rejected: number; protocol: number; ms: number }> = {};
    const round = async () => {
      for (const name of Object.keys(PAYLOADS)) {
        current = name;
        const started = performance.now();
        const error = await client.sendCommand(['ECHO', 'k']).then(
          () => undefined,
          (e: unknown) => e,
        );
        const r = (results[name] ??= { rejected: 0, protocol: 0, ms: 0 });
        r.ms = Math.max(r.ms, performance.now() - started);
        if (error instanceof ConnectionError) r.rejected += 1;
        if (error instanceof ConnectionError && error.cause instanceof ProtocolError) r.protocol += 1;
        expect(error).toBeInstanceOf(ConnectionError);
        expect(error).toMatchObject({ mayHaveExecuted: true });
        expect(client.isOpen).toBe(false);
      }
    };
    // Warm-up rounds first: the allocator's high-water mark (sockets, read buffers) is not growth.
    const warmup = 10;
    for (let i = 0; i < warmup; i++) await round();
    gc();
    const before = process.memoryUsage();
    const rounds = 30;
    for (let i = 0; i < rounds; i++) await round();
    gc();
    await new Promise((r) => setTimeout(r, 50));
    gc();
    const after = process.memoryUsage();
    process.off('uncaughtException', onUncaught);
    process.off('unhandledRejection', onUncaught);
    client.disconnect();

    const rss = (after.rss - before.rss) / 2 ** 20;
    const buffers = (after.arrayBuffers - before.arrayBuffers) / 2 ** 20;
    console.info(
      `[scenario 5] ${warmup} + ${rounds} rounds: ${JSON.stringify(results)}; RSS growth ${rss.toFixed(1)} MiB, ` +
        `arrayBuffers growth ${buffers.toFixed(1)} MiB; ProtocolError events ${events.filter((e) => e instanceof ProtocolError).length}`,
    );
    expect(uncaught).toEqual([]);
    for (const [name, r] of Object.entries(results)) {
      expect(r.rejected, name).toBe(warmup + rounds);
      // Every malformed frame is a ProtocolError; the cut one is a plain connection loss.
      expect(r.protocol, name).toBe(name.includes('cut') ? 0 : warmup + rounds);
    }
    expect(events.filter((e) => e instanceof ProtocolError).length).toBe(4 * (warmup + rounds));
    expect(rss).toBeLessThan(16);
    // Buffers are the real leak signal (RSS also moves with the allocator): errors kept by the
    // application must not pin socket chunks through their captured stack frames.
    expect(buffers).toBeLessThan(2);
  });
});
