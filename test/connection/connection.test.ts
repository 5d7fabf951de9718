// Connection against real servers (Redis 7.0 and Valkey 8.0, RESP2 and RESP3): FIFO matching,
// auto-pipelining (one socket write per tick), error replies, push frames that never take a reply
// slot, deadlines and aborts that close the connection, and pending commands rejecting on kill.
import { Socket } from 'node:net';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Connection } from '../../src/connection/connection.js';
import { AbortError, ConnectionError, ReplyError, TimeoutError, WrongTypeError } from '../../src/errors.js';
import { RespDecoder } from '../../src/resp/decoder.js';
import type { RespValue } from '../../src/resp/types.js';
import { startServer, type TestServer } from '../helpers/server.js';

const flavours = ['redis', 'valkey'] as const;

describe.each(flavours)('%s', (flavour) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer({ flavour });
  });
  afterAll(async () => {
    await server?.stop();
  });

  describe.each([2, 3] as const)('RESP%i', (protocol) => {
    const open = () => Connection.connect({ host: server.host, port: server.port, protocol });

    it('keeps Buffer replies intact while later reads reuse the read buffer', async () => {
      // Values of every size from a few bytes to several reads long, read as Buffers and as text,
      // then many more reads: a Buffer returned earlier must not change under them.
      const c = await open();
      const sizes = [1, 10, 100, 1000, 30_000, 64 * 1024, 70_000, 200_000, 1 << 20];
      const value = (size: number, seed: number) => {
        const b = Buffer.allocUnsafe(size);
        for (let i = 0; i < size; i++) b[i] = (i * 31 + seed) & 0xff;
        return b;
      };
      await Promise.all(sizes.map((size, i) => c.send('SET', ['SET', `conn:reuse:${i}`, value(size, i)])));
      const got: Array<Promise<RespValue>> = [];
      for (let round = 0; round < 3; round++) {
        sizes.forEach((_, i) => {
          got.push(c.send('GET', ['GET', `conn:reuse:${i}`], { returnBuffers: true }));
          got.push(c.send('GET', ['GET', `conn:reuse:${i}`]));
        });
      }
      const replies = await Promise.all(got);
      for (let k = 0; k < 20; k++) await c.send('GET', ['GET', `conn:reuse:${sizes.length - 1}`]);
      replies.forEach((reply, k) => {
        const i = (k >> 1) % sizes.length;
        const want = value(sizes[i]!, i);
        if (k % 2 === 0) expect((reply as Buffer).equals(want), `size ${sizes[i]}`).toBe(true);
        else expect(reply).toBe(want.toString());
      });
      const list = Array.from({ length: 3000 }, (_, i) => `item:${i}:${'y'.repeat(i % 50)}`);
      await c.send('DEL', ['DEL', 'conn:reuse:list']);
      await c.send('RPUSH', ['RPUSH', 'conn:reuse:list', ...list]);
      const items = (await c.send('LRANGE', ['LRANGE', 'conn:reuse:list', '0', '-1'], {
        returnBuffers: true,
      })) as Buffer[];
      for (let k = 0; k < 20; k++) await c.send('GET', ['GET', `conn:reuse:${sizes.length - 1}`]);
      expect(items.map((b) => b.toString())).toEqual(list);
      await c.close();
    });

    it('reads the rest of a large Buffer value straight into it, between other replies', async () => {
      // Once part of a large Buffer value has arrived, the socket reads the rest directly into
      // the value's own memory (no copy from the read buffer); the replies around it are intact.
      const direct = vi.spyOn(RespDecoder.prototype, 'filledDirectly');
      try {
        const c = await open();
        const sizes = [100 * 1024 + 1, (1 << 20) + 7, 3 * (1 << 20) + 13];
        const value = (size: number, seed: number) => {
          const b = Buffer.allocUnsafe(size);
          for (let i = 0; i < size; i++) b[i] = (i * 13 + seed) & 0xff;
          return b;
        };
        await Promise.all(sizes.map((size, i) => c.send('SET', ['SET', `conn:direct:${i}`, value(size, i)])));
        direct.mockClear();
        const replies = await Promise.all(
          sizes.flatMap((_, i) => [
            c.send('GET', ['GET', `conn:direct:${i}`], { returnBuffers: true }),
            c.send('ECHO', ['ECHO', `after ${i}`]),
          ]),
        );
        sizes.forEach((size, i) => {
          expect((replies[2 * i] as Buffer).equals(value(size, i))).toBe(true);
          expect(replies[2 * i + 1]).toBe(`after ${i}`);
        });
        const total = sizes.reduce((a, b) => a + b, 0);
        const straight = direct.mock.calls.reduce((sum, [n]) => sum + n, 0);
        expect(straight).toBeGreaterThan(total / 2);
        expect(straight).toBeLessThan(total);
        await c.close();
      } finally {
        direct.mockRestore();
      }
    });

    it('sends commands and matches replies in order', async () => {
      const c = await open();
      expect(c.protocol).toBe(protocol);
      expect(c.server?.proto).toBe(protocol);
      await c.send('DEL', ['DEL', 'conn:k']);
      expect(await c.send('SET', ['SET', 'conn:k', 'v'])).toBe('OK');
      expect(await c.send('GET', ['GET', 'conn:k'])).toBe('v');
      expect(await c.send('GET', ['GET', 'conn:k'], { returnBuffers: true })).toEqual(Buffer.from('v'));
      const hash = await c.send('HGETALL', ['HGETALL', 'conn:none']);
      expect(hash).toEqual(protocol === 3 ? new Map() : []);
      const echoes = await Promise.all(
        Array.from({ length: 2000 }, (_, i) => c.send('ECHO', ['ECHO', `m${i}`])),
      );
      expect(echoes).toEqual(Array.from({ length: 2000 }, (_, i) => `m${i}`));
      await c.close();
      expect(c.closed).toBe(true);
    });

    it('rejects error replies with the command named, or resolves them when raw', async () => {
      const c = await open();
      await c.send('SET', ['SET', 'conn:str', 'x']);
      const error = await c.send('LPUSH', ['LPUSH', 'conn:str', 'y']).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WrongTypeError);
      expect((error as ReplyError).command).toBe('LPUSH');
      const raw = await c.send('LPUSH', ['LPUSH', 'conn:str', 'y'], { raw: true });
      expect(raw).toBeInstanceOf(ReplyError);
      // The connection stays usable after error replies.
      expect(await c.send('PING', ['PING'])).toBe('PONG');
      await c.close();
    });

    it("decodes each reply with its own command's options, and names only top-level errors", async () => {
      const c = await open();
      await c.send('SET', ['SET', 'conn:s', 'x']);
      // Sent in one tick: the replies arrive together, each decoded as its own command asked.
      const [bytes, text, lpush, incr] = await Promise.all([
        c.send('GET', ['GET', 'conn:s'], { returnBuffers: true }),
        c.send('GET', ['GET', 'conn:s']),
        c.send('LPUSH', ['LPUSH', 'conn:s', 'y'], { raw: true }),
        c.send('INCR', ['INCR', 'conn:s'], { raw: true, returnBuffers: true }),
      ]);
      expect(bytes).toEqual(Buffer.from('x'));
      expect(text).toBe('x');
      expect(lpush).toBeInstanceOf(WrongTypeError);
      expect(lpush).toMatchObject({ command: 'LPUSH' });
      expect((incr as ReplyError).constructor).toBe(ReplyError);
      expect(incr).toMatchObject({ code: 'ERR', command: 'INCR' });
      // The errors inside EXEC's reply are values of EXEC's reply, not replies of their own.
      await c.send('MULTI', ['MULTI']);
      await c.send('LPUSH', ['LPUSH', 'conn:s', 'y']);
      await c.send('GET', ['GET', 'conn:s']);
      const [failed, got] = (await c.send('EXEC', ['EXEC'])) as RespValue[];
      expect(failed).toBeInstanceOf(WrongTypeError);
      expect((failed as ReplyError).command).toBeUndefined();
      expect(got).toBe('x');
      await c.close();
    });

    it('hands every failure to a FailureHandler, whose promise the command then follows', async () => {
      const c = await open();
      const seen: Array<[unknown, unknown]> = [];
      const handler = {
        onFailure(error: unknown, token: unknown): Promise<RespValue> {
          seen.push([error, token]);
          return Promise.resolve(`recovered ${String(token)}`);
        },
      };
      // Replies still resolve as usual; an error reply, a bad argument and a kill go to the handler.
      expect(await c.send('ECHO', ['ECHO', 'x'], undefined, handler, 't0')).toBe('x');
      expect(await c.send('NOPE', ['NOPE'], undefined, handler, 't1')).toBe('recovered t1');
      expect(seen[0]?.[0]).toBeInstanceOf(ReplyError);
      const bad = c.send('SET', ['SET', 'k', null as unknown as string], undefined, handler, 't2');
      expect(await bad).toBe('recovered t2');
      expect(seen[1]?.[0]).toBeInstanceOf(TypeError);
      const pending = c.send('BLPOP', ['BLPOP', 'conn:never', '0'], undefined, handler, 't3');
      await new Promise((resolve) => setTimeout(resolve, 20));
      c.destroy();
      expect(await pending).toBe('recovered t3');
      expect(seen[2]?.[0]).toBeInstanceOf(ConnectionError);
      expect(await c.send('GET', ['GET', 'k'], undefined, handler, 't4')).toBe('recovered t4');
      expect(seen.map(([, token]) => token)).toEqual(['t1', 't2', 't3', 't4']);
    });

    it('auto-pipelines: everything sent in one tick leaves in one socket write', async () => {
      const c = await open();
      const write = vi.spyOn(Socket.prototype, 'write');
      try {
        const before = c.stats.writes;
        const replies = Array.from({ length: 100 }, (_, i) => c.send('ECHO', ['ECHO', String(i)]));
        expect(write).not.toHaveBeenCalled();
        const values = await Promise.all(replies);
        expect(values).toEqual(Array.from({ length: 100 }, (_, i) => String(i)));
        expect(write).toHaveBeenCalledTimes(1);
        expect(c.stats.writes - before).toBe(1);
        // A large Buffer argument goes through without being merged (copied) into the batch.
        write.mockClear();
        const big = Buffer.alloc(100_000, 0x61);
        const [set, len] = await Promise.all([
          c.send('SET', ['SET', 'conn:big', big]),
          c.send('STRLEN', ['STRLEN', 'conn:big']),
        ]);
        expect([set, len]).toEqual(['OK', 100_000]);
        expect(write.mock.calls.some(([chunk]) => chunk === big)).toBe(true);
      } finally {
        write.mockRestore();
        await c.close();
      }
    });

    it('a command that times out after writing rejects and closes its connection', async () => {
      const c = await open();
      const started = Date.now();
      const blocked = c.send('BLPOP', ['BLPOP', 'conn:empty', 2], { timeout: 100 });
      const behind = c.send('PING', ['PING']);
      const error = await blocked.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).mayHaveExecuted).toBe(true);
      expect((error as TimeoutError).command).toBe('BLPOP');
      expect(Date.now() - started).toBeLessThan(1000);
      const other = await behind.catch((e: unknown) => e);
      expect(other).toBeInstanceOf(ConnectionError);
      expect((other as ConnectionError).mayHaveExecuted).toBe(true);
      expect(c.closed).toBe(true);
      await expect(c.send('PING', ['PING'])).rejects.toThrow(ConnectionError);
    });

    it('a command cancelled before it is written is removed without closing', async () => {
      const c = await open();
      const before = c.stats.commands;
      // Cancel it in the same tick, before the flush.
      const controller = new AbortController();
      const aborted = c.send('ECHO', ['ECHO', 'a'], { signal: controller.signal });
      controller.abort();
      const error = await aborted.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AbortError);
      expect((error as AbortError).mayHaveExecuted).toBe(false);
      expect(c.closed).toBe(false);
      expect(c.stats.commands).toBe(before);
      expect(await c.send('ECHO', ['ECHO', 'still'])).toBe('still');
      await c.close();
    });

    it('an abort after writing closes the connection; an aborted signal never sends', async () => {
      const c = await open();
      const controller = new AbortController();
      const blocked = c.send('BLPOP', ['BLPOP', 'conn:empty2', 2], { signal: controller.signal });
      setTimeout(() => controller.abort(new Error('user gave up')), 50);
      const error = await blocked.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AbortError);
      expect((error as AbortError).mayHaveExecuted).toBe(true);
      expect(c.closed).toBe(true);
      const c2 = await open();
      const before = c2.stats.commands;
      await expect(c2.send('PING', ['PING'], { signal: AbortSignal.abort() })).rejects.toThrow(AbortError);
      expect(c2.stats.commands).toBe(before);
      expect(await c2.send('PING', ['PING'])).toBe('PONG');
      await c2.close();
    });

    it('push frames never take a reply slot', async () => {
      const c = await open();
      const other = await open();
      const pushes: unknown[] = [];
      c.on('push', (data) => pushes.push(data));
      if (protocol === 3) {
        // Client-side caching invalidations arrive as push frames between replies.
        expect(await c.send('CLIENT TRACKING', ['CLIENT', 'TRACKING', 'on'])).toBe('OK');
        await c.send('GET', ['GET', 'conn:tracked']);
        await other.send('SET', ['SET', 'conn:tracked', '1']);
        expect(await c.send('ECHO', ['ECHO', 'after'])).toBe('after');
        expect(pushes).toContainEqual(['invalidate', ['conn:tracked']]);
        // SUBSCRIBE's confirmations are push frames too: written with noReply.
        await c.send('SUBSCRIBE', ['SUBSCRIBE', 'conn:ch'], { noReply: true });
        expect(await c.send('PING', ['PING'])).toBe('PONG');
        await other.send('PUBLISH', ['PUBLISH', 'conn:ch', 'hi']);
        await vi.waitFor(() => expect(pushes).toContainEqual(['message', 'conn:ch', 'hi']));
        expect(pushes).toContainEqual(['subscribe', 'conn:ch', 1]);
      } else {
        // RESP2 pub/sub: the classifier claims message arrays as push data.
        c.pushClassifier = (v) => Array.isArray(v) && (v[0] === 'subscribe' || v[0] === 'message');
        await c.send('SUBSCRIBE', ['SUBSCRIBE', 'conn:ch'], { noReply: true });
        await vi.waitFor(() => expect(pushes).toContainEqual(['subscribe', 'conn:ch', 1]));
        await other.send('PUBLISH', ['PUBLISH', 'conn:ch', 'hi']);
        await vi.waitFor(() => expect(pushes).toContainEqual(['message', 'conn:ch', 'hi']));
      }
      expect(c.stats.pushes).toBe(pushes.length);
      c.destroy();
      await other.close();
    });

    it('close() waits for pending replies; destroy() rejects them', async () => {
      const c = await open();
      const pending = c.send('ECHO', ['ECHO', 'last']);
      const closed = c.close();
      await expect(c.send('PING', ['PING'])).rejects.toThrow(/closing/);
      expect(await pending).toBe('last');
      await closed;
      expect(c.closed).toBe(true);
      const d = await open();
      const events: Array<Error | undefined> = [];
      d.on('close', (e) => events.push(e));
      const blocked = d.send('BLPOP', ['BLPOP', 'conn:empty3', 2]);
      await new Promise((r) => setTimeout(r, 20));
      d.destroy(new Error('shutting down'));
      const error = await blocked.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).mayHaveExecuted).toBe(true);
      await d.whenClosed();
      expect(events).toHaveLength(1);
    });

    it('rejects bad arguments without sending anything', async () => {
      const c = await open();
      const before = c.stats.commands;
      await expect(c.send('SET', ['SET', 'k', undefined as unknown as string])).rejects.toThrow(TypeError);
      await expect(c.send('GET', ['GET', 'k'], { timeout: -1 })).rejects.toThrow(RangeError);
      expect(c.stats.commands).toBe(before);
      expect(await c.send('PING', ['PING'])).toBe('PONG');
      await c.close();
    });

    it('sendEach: one write, every slot its reply or its failure, in order', async () => {
      const c = await open();
      const writes = c.stats.writes;
      const commands = ['SET', 'GET', 'INCR', 'SET', 'GET', 'HGETALL'];
      const argsList = [
        ['SET', 'conn:each', 'text'],
        ['GET', 'conn:each'],
        // An error reply: a value with raw, as in a pipeline.
        ['INCR', 'conn:each'],
        // Refused before queueing: its slot fails, the others go.
        ['SET', 'conn:each:bad', undefined as unknown as string],
        ['GET', 'conn:each:missing'],
        ['HGETALL', 'conn:each:hash'],
      ];
      await c.send('HSET', ['HSET', 'conn:each:hash', 'f', 'v']);
      const { values, errors } = await c.sendEach(commands, argsList, (i) =>
        i === 5 ? { raw: true, asObject: true } : { raw: true },
      );
      expect(c.stats.writes).toBe(writes + 2);
      expect(values[0]).toBe('OK');
      expect(values[1]).toBe('text');
      expect(values[2]).toBeInstanceOf(ReplyError);
      expect((values[2] as ReplyError).command).toBe('INCR');
      expect(errors[3]).toBeInstanceOf(TypeError);
      expect(values[4]).toBeNull();
      expect(values[5]).toEqual({ f: 'v' });
      expect([0, 1, 2, 4, 5].map((i) => errors[i])).toEqual([
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
      ]);
      expect(await c.sendEach([], [], () => ({}))).toEqual({ values: [], errors: [] });
      await c.close();
    });

    it('sendEach: a deadline fails its own slot; a closed connection fails every slot', async () => {
      const c = await open();
      const { values, errors } = await c.sendEach(
        ['PING', 'BLPOP', 'PING'],
        [['PING'], ['BLPOP', 'conn:each:empty', '0'], ['PING']],
        (i) => (i === 1 ? { raw: true, timeout: 50 } : { raw: true }),
      );
      expect(values[0]).toBe('PONG');
      expect(errors[1]).toBeInstanceOf(TimeoutError);
      expect((errors[1] as TimeoutError).mayHaveExecuted).toBe(true);
      // The timed-out command was written: its connection closed, so the PING behind it failed too.
      expect(errors[2]).toBeInstanceOf(ConnectionError);
      const closed = await c.sendEach(['PING', 'PING'], [['PING'], ['PING']], () => ({}));
      expect(closed.errors.map((e) => e instanceof ConnectionError)).toEqual([true, true]);
    });
  });

  it('inspect and JSON of a connection never show the password', async () => {
    const secured = await startServer({ flavour, args: ['--requirepass', 'canary-pw-9431'] });
    try {
      const c = await Connection.connect({
        host: secured.host,
        port: secured.port,
        password: 'canary-pw-9431',
      });
      expect(await c.send('PING', ['PING'])).toBe('PONG');
      for (const text of [inspect(c), JSON.stringify(c), inspect(c.options), JSON.stringify(c.options)]) {
        expect(text).not.toContain('canary-pw-9431');
      }
      expect(inspect(c)).toContain('[redacted]');
      await c.close();
    } finally {
      await secured.stop();
    }
  });
});

describe('server killed', () => {
  it('rejects every pending command and emits close', async () => {
    const server = await startServer();
    const c = await Connection.connect({ host: server.host, port: server.port });
    const closed = new Promise<Error | undefined>((resolve) => c.once('close', resolve));
    const pending = [c.send('BLPOP', ['BLPOP', 'kill:empty', 5]), c.send('PING', ['PING'])].map((p) =>
      p.catch((e: unknown) => e),
    );
    await new Promise((r) => setTimeout(r, 30));
    server.process.kill('SIGKILL');
    const errors = await Promise.all(pending);
    for (const error of errors) {
      expect(error).toBeInstanceOf(ConnectionError);
      expect((error as ConnectionError).mayHaveExecuted).toBe(true);
    }
    expect(await closed).toBeInstanceOf(ConnectionError);
    await server.stop();
  });
});

describe('one signal shared by many commands', () => {
  it('adds one listener, and aborting it cancels them all', async () => {
    const server = await startServer();
    try {
      const c = await Connection.connect({ host: server.host, port: server.port });
      const warnings: Error[] = [];
      const onWarning = (w: Error) => warnings.push(w);
      process.on('warning', onWarning);
      const controller = new AbortController();
      const done = await Promise.all(
        Array.from({ length: 500 }, (_, i) =>
          c.send('ECHO', ['ECHO', String(i)], { signal: controller.signal }),
        ),
      );
      expect(done).toHaveLength(500);
      const pending = Array.from({ length: 50 }, () =>
        c.send('BLPOP', ['BLPOP', 'sig:none', 2], { signal: controller.signal }).catch((e: unknown) => e),
      );
      await new Promise((r) => setTimeout(r, 20));
      controller.abort();
      const errors = await Promise.all(pending);
      expect(errors[0]).toBeInstanceOf(AbortError);
      for (const error of errors) expect(error).toBeInstanceOf(ConnectionError);
      expect(c.closed).toBe(true);
      process.off('warning', onWarning);
      expect(warnings.filter((w) => /listener/i.test(w.message))).toEqual([]);
    } finally {
      await server.stop();
    }
  });
});
