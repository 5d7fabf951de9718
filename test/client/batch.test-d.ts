// Type tests: a pipeline's and a transaction's exec() give the tuple of their commands' reply
// types in order (a pipeline slot may hold a RedisError, a transaction slot a ReplyError);
// NO_MULTI and transaction-control commands are not on the transaction type.
import { describe, expectTypeOf, it } from 'vitest';
import type { RedisClient } from '../../src/client/client.js';
import type { RedisError, ReplyError } from '../../src/errors.js';
import type { RespValue } from '../../src/resp/types.js';

declare const client: RedisClient;

describe('batch tuple types', () => {
  it('pins the tuple of a pipeline', () => {
    const pipe = client.pipeline().set('a', '1').get('a').incr('n').sendCommand(['PING']);
    expectTypeOf(pipe.exec()).resolves.toEqualTypeOf<
      ['OK' | null | RedisError, string | null | RedisError, number | RedisError, RespValue | RedisError]
    >();
    expectTypeOf(
      client.pipeline().set('a', '1', { get: true }).incr('n').execOrThrow(),
    ).resolves.toEqualTypeOf<[string | null, number]>();
    expectTypeOf(client.pipeline().exec()).resolves.toEqualTypeOf<[]>();
  });

  it('pins the tuple of a transaction and of a WATCH scope', () => {
    expectTypeOf(client.multi().incr('n').get('a').exec()).resolves.toEqualTypeOf<
      [number | ReplyError, string | null | ReplyError]
    >();
    const result = client.transaction(['k'], async (tx) => {
      expectTypeOf(tx.get('k')).toEqualTypeOf<Promise<string | null>>();
      return tx.multi().set('k', 'v').exec();
    });
    expectTypeOf(result).resolves.toEqualTypeOf<['OK' | null | ReplyError]>();
  });

  it('keeps NO_MULTI and transaction-control commands off the transaction type', () => {
    const tx = client.multi();
    expectTypeOf(tx).not.toHaveProperty('watch');
    expectTypeOf(tx).not.toHaveProperty('multi');
    expectTypeOf(tx).not.toHaveProperty('discard');
    expectTypeOf(tx).toHaveProperty('incr');
  });

  it('types scripts, scans and messages', () => {
    expectTypeOf(client.script<number>('return 1').run(['k'])).resolves.toEqualTypeOf<number>();
    expectTypeOf(client.scanIterator({ match: 'a*' })).toEqualTypeOf<
      AsyncGenerator<string, void, undefined>
    >();
    expectTypeOf(client.hscanIterator('h', { buffers: true })).toEqualTypeOf<
      AsyncGenerator<[Buffer, Buffer], void, undefined>
    >();
    expectTypeOf(client.zscanIterator('z')).toEqualTypeOf<
      AsyncGenerator<[string, number], void, undefined>
    >();
  });
});
