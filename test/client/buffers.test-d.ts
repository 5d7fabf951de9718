import { describe, expectTypeOf, it } from 'vitest';
import { createClient, type RedisBufferClient, type RedisClient } from '../../src/index.js';

describe('Buffer replies are typed as Buffers', () => {
  it('types a Buffer view and a Buffer client', () => {
    const r = createClient({ url: 'redis://localhost' });
    expectTypeOf(r).toEqualTypeOf<RedisClient>();
    const b = r.withOptions({ returnBuffers: true });
    expectTypeOf(b).toEqualTypeOf<RedisBufferClient>();
    expectTypeOf(b.get('k')).toEqualTypeOf<Promise<Buffer | null>>();
    expectTypeOf(b.hgetall('h')).toEqualTypeOf<Promise<{ [key: string]: Buffer }>>();
    expectTypeOf(b.zrange('z', '0', '-1', { withscores: true })).toEqualTypeOf<Promise<[Buffer, number][]>>();
    expectTypeOf(b.withOptions({ timeout: 5 }).lrange('l', 0, -1)).toEqualTypeOf<Promise<Buffer[]>>();
    expectTypeOf(r.withOptions({ timeout: 5 }).get('k')).toEqualTypeOf<Promise<string | null>>();
    const client = createClient({ url: 'redis://localhost', returnBuffers: true });
    expectTypeOf(client.mget('a', 'b')).toEqualTypeOf<Promise<(Buffer | null)[]>>();
    expectTypeOf(client.incr('n')).toEqualTypeOf<Promise<number>>();
  });
});
