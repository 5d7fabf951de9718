// Pins the generated types of commands of every argument and reply shape, against AllCommands (what
// a client with ResultKind 'promise' exposes): positional and rest parameters, options objects,
// token literals in either case, valued oneofs, blocks, reply variants chosen by options.
import { describe, expectTypeOf, it } from 'vitest';
import type {
  AllCommands,
  NoMultiMethod,
  SetOptions,
  TransactionControlMethod,
} from '../../../generated/index.js';

declare const r: AllCommands;
declare const anySetOptions: SetOptions;

describe('generated command types', () => {
  it('strings', () => {
    expectTypeOf(r.get('k')).toEqualTypeOf<Promise<string | null>>();
    expectTypeOf(r.get(Buffer.from('k'))).toEqualTypeOf<Promise<string | null>>();
    expectTypeOf(r.set('k', 'v')).toEqualTypeOf<Promise<'OK' | null>>();
    expectTypeOf(r.set('k', 'v', { NX: true, EX: 10 })).toEqualTypeOf<Promise<'OK' | null>>();
    expectTypeOf(r.set('k', 'v', { IFEQ: 'old', KEEPTTL: true })).toEqualTypeOf<Promise<'OK' | null>>();
    expectTypeOf(r.set('k', 'v', { get: true, PXAT: 1n })).toEqualTypeOf<Promise<string | null>>();
    expectTypeOf(r.set('k', 'v', anySetOptions)).toEqualTypeOf<Promise<'OK' | null | string>>();
    expectTypeOf(r.mget('a', 'b')).toEqualTypeOf<Promise<(string | null)[]>>();
    expectTypeOf(r.mset([{ key: 'a', value: '1' }])).toEqualTypeOf<Promise<'OK'>>();
    expectTypeOf(r.incr('n')).toEqualTypeOf<Promise<number>>();
    expectTypeOf(r.incrbyfloat('n', '1.5')).toEqualTypeOf<Promise<number>>();
    expectTypeOf(r.getex('k', { PERSIST: true })).toEqualTypeOf<Promise<string | null>>();
  });

  it('keys', () => {
    expectTypeOf(r.del('a', 'b', Buffer.from('c'))).toEqualTypeOf<Promise<number>>();
    expectTypeOf(r.exists('a')).toEqualTypeOf<Promise<number>>();
    expectTypeOf(r.expire('k', 10, { GT: true })).toEqualTypeOf<Promise<0 | 1>>();
    expectTypeOf(r.scan(0, { match: 'user:*', count: 100 })).toEqualTypeOf<Promise<[string, string[]]>>();
    // The reply's cursor goes back as it came: a string that may exceed 2^53.
    expectTypeOf(r.scan).parameter(0).toEqualTypeOf<number | bigint | string>();
    expectTypeOf(r.hscan).parameter(1).toEqualTypeOf<number | bigint | string>();
    expectTypeOf(r.scan('18446744073709551615')).toEqualTypeOf<Promise<[string, string[]]>>();
    expectTypeOf(r.ttl('k')).toEqualTypeOf<Promise<number>>();
  });

  it('hashes', () => {
    expectTypeOf(r.hset('h', [{ field: 'f', value: 'v' }])).toEqualTypeOf<Promise<number>>();
    expectTypeOf(r.hgetall('h')).toEqualTypeOf<Promise<{ [key: string]: string }>>();
    expectTypeOf(r.hrandfield('h')).toEqualTypeOf<Promise<string | null>>();
    expectTypeOf(r.hrandfield('h', { count: 2 })).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(r.hrandfield('h', { count: 2, withvalues: true })).toEqualTypeOf<
      Promise<[string, string][]>
    >();
  });

  it('lists', () => {
    expectTypeOf(r.lpush('l', 'a', 'b')).toEqualTypeOf<Promise<number>>();
    expectTypeOf(r.lpop('l')).toEqualTypeOf<Promise<string | null>>();
    expectTypeOf(r.lpop('l', { count: 2 })).toEqualTypeOf<Promise<string[] | null>>();
    expectTypeOf(r.lpos('l', 'x')).toEqualTypeOf<Promise<number | null>>();
    expectTypeOf(r.lpos('l', 'x', { count: 0 })).toEqualTypeOf<Promise<number[]>>();
    expectTypeOf(r.blpop(['a', 'b'], 0.5)).toEqualTypeOf<Promise<[string, string] | null>>();
    expectTypeOf(r.blmove('a', 'b', 'LEFT', 'right', 0)).toEqualTypeOf<Promise<string | null>>();
  });

  it('sets', () => {
    expectTypeOf(r.sadd('s', 'a', 'b')).toEqualTypeOf<Promise<number>>();
    expectTypeOf(r.smembers('s')).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(r.sismember('s', 'a')).toEqualTypeOf<Promise<0 | 1>>();
    expectTypeOf(r.spop('s')).toEqualTypeOf<Promise<string | null>>();
    expectTypeOf(r.spop('s', { count: 3 })).toEqualTypeOf<Promise<string[] | null>>();
  });

  it('sorted sets', () => {
    expectTypeOf(r.zadd('z', [{ score: 1, member: 'a' }], { NX: true, ch: true })).toEqualTypeOf<
      Promise<number | null>
    >();
    expectTypeOf(r.zadd('z', [{ score: '+inf', member: 'a' }], { incr: true })).toEqualTypeOf<
      Promise<number | null>
    >();
    expectTypeOf(r.zrange('z', '0', '-1')).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(
      r.zrange('z', '(1', '+inf', { BYSCORE: true, limit: { offset: 0, count: 10 } }),
    ).toEqualTypeOf<Promise<string[]>>();
    expectTypeOf(r.zrange('z', '0', '-1', { withscores: true })).toEqualTypeOf<Promise<[string, number][]>>();
    expectTypeOf(r.zrandmember('z', { count: 2, withscores: true })).toEqualTypeOf<
      Promise<[string, number][]>
    >();
    expectTypeOf(r.zscore('z', 'a')).toEqualTypeOf<Promise<number | null>>();
    expectTypeOf(r.zrank('z', 'a', { withscore: true })).toEqualTypeOf<Promise<[number, number] | null>>();
    expectTypeOf(r.zpopmin('z')).toEqualTypeOf<Promise<[string, number] | []>>();
    // Key counts (numkeys) are derived from the key arrays, never passed.
    expectTypeOf(r.zunionstore('d', ['a', 'b'], { weights: [1, 2] })).toEqualTypeOf<Promise<number>>();
    expectTypeOf(r.zintercard(['a', 'b'], { limit: 1 })).toEqualTypeOf<Promise<number>>();
    expectTypeOf(r.sintercard(['a', 'b'])).toEqualTypeOf<Promise<number>>();
    expectTypeOf(r.lmpop(['a', 'b'], 'LEFT', { count: 2 })).toEqualTypeOf<
      Promise<null | [string, string[]]>
    >();
  });

  it('streams', () => {
    expectTypeOf(r.xadd('s', '*', [{ field: 'f', value: 'v' }])).toEqualTypeOf<Promise<string | null>>();
    expectTypeOf(
      r.xadd('s', '1-1', [{ field: 'f', value: 'v' }], {
        strategy: 'MAXLEN',
        operator: '~',
        threshold: '1000',
      }),
    ).toEqualTypeOf<Promise<string | null>>();
    expectTypeOf(r.xrange('s', '-', '+', { count: 10 })).toEqualTypeOf<Promise<[string, string[]][]>>();
    expectTypeOf(r.xread({ key: ['s'], id: ['0'] }, { count: 1, block: 100 })).toEqualTypeOf<
      Promise<{ [key: string]: [string, string[]][] } | null>
    >();
  });

  it('server, connection, scripting, geo', () => {
    expectTypeOf(r.ping()).toEqualTypeOf<Promise<string>>();
    // The spec describes TIME as an array of exactly two strings: a pair.
    expectTypeOf(r.time()).toEqualTypeOf<Promise<[string, string]>>();
    expectTypeOf(r.clientKill({ newFormat: [{ ID: [7] }, { SKIPME: 'no' }] })).toEqualTypeOf<
      Promise<'OK' | number>
    >();
    expectTypeOf(r.replicaof('NO ONE')).toEqualTypeOf<Promise<string>>();
    expectTypeOf(r.replicaof({ hostPort: { host: 'h', port: 6380 } })).toEqualTypeOf<Promise<string>>();
    expectTypeOf(r.eval('return 1')).toEqualTypeOf<Promise<unknown>>();
    expectTypeOf(r.geopos('g', { members: ['a'] })).toEqualTypeOf<Promise<(null | [number, number])[]>>();
  });

  it('derives the method-name unions from flags and ACL categories (NO_MULTI, TRANSACTION)', () => {
    expectTypeOf<NoMultiMethod>().toEqualTypeOf<'multi' | 'psync' | 'save' | 'shutdown' | 'sync' | 'watch'>();
    expectTypeOf<TransactionControlMethod>().toEqualTypeOf<
      'discard' | 'exec' | 'multi' | 'unwatch' | 'watch'
    >();
    // Every member names a method of AllCommands.
    expectTypeOf<Exclude<NoMultiMethod | TransactionControlMethod, keyof AllCommands>>().toBeNever();
  });

  it('rejects what the spec does not allow', () => {
    // @ts-expect-error a token outside the oneof
    void r.set('k', 'v', { condition: 'maybe' });
    // @ts-expect-error mixed-case tokens are not accepted, only as spelled, upper or lower case
    void r.set('k', 'v', { condition: 'Nx' });
    // @ts-expect-error a required argument missing
    void r.get();
    // @ts-expect-error a block without its required member
    void r.zadd('z', [{ score: 1 }]);
    // @ts-expect-error integers are numbers or bigints, not strings
    void r.expire('k', '10');
    // @ts-expect-error a key count the spec lets the method derive is no parameter (numkeys is keys.length)
    void r.lmpop(1, ['l'], 'LEFT');
    // @ts-expect-error likewise for EVAL: the keys go in the options, their count is not passed
    void r.eval('return 1', 0, { key: ['k'] });
  });
});
