// The codec against a real redis-server over a raw socket: commands encoded by encodeCommand,
// replies decoded by RespDecoder, under RESP2 and after HELLO 3, including every reply type the
// server's DEBUG PROTOCOL can produce, a push frame, and a reply large enough to span many reads.
import { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReplyError, replyErrorFrom, WrongTypeError } from '../../src/errors.js';
import { NEED_MORE, RespDecoder } from '../../src/resp/decoder.js';
import { encodeCommand } from '../../src/resp/encoder.js';
import { RespPush, type RespArgument, type RespMap, type RespValue } from '../../src/resp/types.js';
import { startServer, type TestServer } from '../helpers/server.js';

type Reply = RespValue | RespPush;

/** Replies in arrival order, handed to waiters first come first served. */
class RawConnection {
  readonly decoder: RespDecoder;
  /** Strings of the replies that start from now on come as Buffers. */
  returnBuffers = false;
  private readonly replies: Reply[] = [];
  private readonly waiters: Array<(reply: Reply) => void> = [];
  readonly attributes: RespMap[] = [];

  private constructor(private readonly socket: Socket) {
    this.decoder = new RespDecoder({
      errorReply: replyErrorFrom,
      onAttribute: (a) => this.attributes.push(a),
    });
    socket.on('data', (chunk: Buffer) => {
      this.decoder.feed(chunk);
      for (;;) {
        const v = this.decoder.next(this.returnBuffers);
        if (v === NEED_MORE) break;
        const waiter = this.waiters.shift();
        if (waiter) waiter(v);
        else this.replies.push(v);
      }
    });
  }

  static open(port: number): Promise<RawConnection> {
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      socket.once('error', reject);
      socket.connect(port, '127.0.0.1', () => resolve(new RawConnection(socket)));
    });
  }

  reply(): Promise<Reply> {
    const ready = this.replies.shift();
    if (ready !== undefined) return Promise.resolve(ready);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  call(...args: RespArgument[]): Promise<Reply> {
    for (const chunk of encodeCommand(args)) this.socket.write(chunk);
    return this.reply();
  }

  close(): void {
    this.socket.destroy();
  }
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ args: ['--enable-debug-command', 'yes'] });
});
afterAll(async () => {
  await server?.stop();
});

describe('codec against redis-server', () => {
  it('speaks RESP2', async () => {
    const c = await RawConnection.open(server.port);
    try {
      await c.call('FLUSHALL');
      const injected = 'v\r\n*1\r\n$8\r\nFLUSHALL\r\n';
      expect(await c.call('SET', 'k', injected)).toBe('OK');
      expect(await c.call('GET', 'k')).toBe(injected);
      expect(await c.call('DBSIZE')).toBe(1);
      expect(await c.call('GET', 'missing')).toBeNull();
      expect(await c.call('INCRBY', 'n', 9007199254740991n)).toBe(9007199254740991);
      expect(await c.call('RPUSH', 'l', 'a', Buffer.from([0xff, 0]), 3)).toBe(3);
      expect(await c.call('LRANGE', 'l', 0, -1)).toEqual(['a', Buffer.from([0xff, 0]).toString(), '3']);
      expect(await c.call('HSET', 'h', 'f', 'v')).toBe(1);
      expect(await c.call('HGETALL', 'h')).toEqual(['f', 'v']);
      expect(await c.call('EXEC')).toBeInstanceOf(ReplyError);
      expect(await c.call('LPUSH', 'h', 'x')).toBeInstanceOf(WrongTypeError);
      expect(await c.call('DEBUG', 'PROTOCOL', 'double')).toBe('3.141');
      expect(await c.call('DEBUG', 'PROTOCOL', 'null')).toBeNull();
    } finally {
      c.close();
    }
  });

  it('speaks RESP3 after HELLO 3, every DEBUG PROTOCOL type', async () => {
    const c = await RawConnection.open(server.port);
    try {
      const hello = (await c.call('HELLO', 3)) as RespMap;
      expect(hello).toBeInstanceOf(Map);
      expect(hello.get('proto')).toBe(3);
      expect(hello.get('server')).toBe('redis');
      expect(await c.call('DEBUG', 'PROTOCOL', 'string')).toBe('Hello World');
      expect(await c.call('DEBUG', 'PROTOCOL', 'integer')).toBe(12345);
      expect(await c.call('DEBUG', 'PROTOCOL', 'double')).toBe(3.141);
      expect(await c.call('DEBUG', 'PROTOCOL', 'bignum')).toBe(1234567999999999999999999999999999999n);
      expect(await c.call('DEBUG', 'PROTOCOL', 'null')).toBeNull();
      expect(await c.call('DEBUG', 'PROTOCOL', 'array')).toEqual([0, 1, 2]);
      expect(await c.call('DEBUG', 'PROTOCOL', 'set')).toEqual([0, 1, 2]);
      expect(await c.call('DEBUG', 'PROTOCOL', 'map')).toEqual(
        new Map([
          [0, false],
          [1, true],
          [2, false],
        ]),
      );
      expect(await c.call('DEBUG', 'PROTOCOL', 'true')).toBe(true);
      expect(await c.call('DEBUG', 'PROTOCOL', 'false')).toBe(false);
      expect(await c.call('DEBUG', 'PROTOCOL', 'verbatim')).toBe('This is a verbatim\nstring');
      expect(await c.call('DEBUG', 'PROTOCOL', 'attrib')).toBe('Some real reply following the attribute');
      expect(c.attributes).toEqual([new Map([['key-popularity', ['key:123', 90]]])]);
      // DEBUG PROTOCOL push sends a push frame, then the command's own reply.
      expect(await c.call('DEBUG', 'PROTOCOL', 'push')).toEqual(new RespPush(['server-cpu-usage', 42]));
      expect(await c.reply()).toBe('Some real reply following the push reply');
      expect(await c.call('SUBSCRIBE', 'ch')).toEqual(new RespPush(['subscribe', 'ch', 1]));
    } finally {
      c.close();
    }
  });

  it('round-trips a value that spans many socket reads', async () => {
    const c = await RawConnection.open(server.port);
    try {
      const big = Buffer.alloc(3 << 20);
      for (let i = 0; i < big.length; i++) big[i] = (i * 31) & 0xff;
      expect(await c.call('SET', 'big', big)).toBe('OK');
      c.returnBuffers = true;
      expect(((await c.call('GET', 'big')) as Buffer).equals(big)).toBe(true);
      c.returnBuffers = false;
      expect(await c.call('STRLEN', 'big')).toBe(big.length);
      // 1,000 commands written back to back: replies straddle reads at arbitrary points.
      const replies = await Promise.all(Array.from({ length: 1000 }, (_, i) => c.call('ECHO', `m${i}`)));
      expect(replies).toEqual(Array.from({ length: 1000 }, (_, i) => `m${i}`));
    } finally {
      c.close();
    }
  });
});
