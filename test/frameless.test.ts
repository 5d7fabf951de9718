// Errors of error replies carry no stack frames (theirs would name only the decoder's functions),
// and making them leaves Error.stackTraceLimit as it was; every other error keeps its frames.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, ReplyError, WrongTypeError, type RedisClient } from '../src/index.js';
import { withoutFrames } from '../src/frameless.js';
import { startServer, type TestServer } from './helpers/server.js';

describe('withoutFrames', () => {
  it('makes errors whose stack is their first line alone', () => {
    const error = withoutFrames(() => new ReplyError('ERR no frames', { command: 'GET' }));
    expect(error.stack).toBe('ReplyError: ERR no frames');
    expect(new ReplyError('ERR frames').stack?.split('\n').length).toBeGreaterThan(1);
  });

  it('puts Error.stackTraceLimit back, also when make throws', () => {
    const before = Error.stackTraceLimit;
    withoutFrames(() => new Error('made'));
    expect(Error.stackTraceLimit).toBe(before);
    expect(() =>
      withoutFrames(() => {
        throw new TypeError('thrown');
      }),
    ).toThrow(TypeError);
    expect(Error.stackTraceLimit).toBe(before);
  });
});

describe('error replies from a server', () => {
  let server: TestServer;
  let client: RedisClient;
  beforeAll(async () => {
    server = await startServer();
    client = createClient(server.url);
    await client.connect();
    await client.set('frameless:text', 'abc');
    await client.rpush('frameless:list', 'a');
  });
  afterAll(async () => {
    await client.close();
    await server.stop();
  });

  it('reject with the classed error, its command and message, and no frames', async () => {
    const before = Error.stackTraceLimit;
    const error: unknown = await client.incr('frameless:text').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplyError);
    expect(error).toMatchObject({ code: 'ERR', command: 'INCR' });
    expect((error as ReplyError).stack).toBe(`ReplyError: ${(error as ReplyError).message}`);
    const wrongType: unknown = await client.get('frameless:list').catch((e: unknown) => e);
    expect(wrongType).toBeInstanceOf(WrongTypeError);
    expect((wrongType as WrongTypeError).stack).toBe(
      `WrongTypeError: ${(wrongType as WrongTypeError).message}`,
    );
    expect(Error.stackTraceLimit).toBe(before);
  });

  it('leave the slots of a pipeline classed and frameless too', async () => {
    const [ok, failed] = await client.pipeline().get('frameless:text').incr('frameless:text').exec();
    expect(ok).toBe('abc');
    expect(failed).toBeInstanceOf(ReplyError);
    expect((failed as ReplyError).stack?.split('\n')).toHaveLength(1);
  });
});
