// The reply corpus: real calls through the typed methods, one or more per command group, each with
// the data it needs (raw commands run after FLUSHALL, so every call sees the same keyspace on
// every server and protocol). reply-corpus.test.ts runs them; its type check reads the static
// type of each `run` from this tuple, so keep it `as const` and keep `run` a typed method call.
import type { RedisClient } from '../../src/client/client.js';
import type { Flavour } from '../helpers/binaries.js';

type Run = (r: RedisClient) => Promise<unknown>;

export interface CorpusCall<F extends Run = Run> {
  /** Full command name as the spec spells it: its reply schema (or its override's) applies. */
  command: string;
  /** The reply variant the call's options choose: the variant's `name`, else its `when`. */
  variant?: string;
  /** Raw commands run after FLUSHALL, before the call. */
  seed?: readonly (readonly string[])[];
  /** Only this server has the command or the option (the other is an older release). */
  only?: Flavour;
  /** The part of the value that is the same across two calls (ids, clocks and proto left out). */
  stable?: (value: Awaited<ReturnType<F>>) => unknown;
  run: F;
}

function call<F extends Run>(entry: CorpusCall<F>): CorpusCall<F> {
  return entry;
}

const LIST = [['RPUSH', 'l', 'a', 'b', 'c', 'a']];
const HASH = [['HSET', 'h', 'f1', 'v1', 'f2', 'v2', 'n', '5']];
const SET = [
  ['SADD', 's1', 'a', 'b', 'c'],
  ['SADD', 's2', 'b', 'c', 'd'],
];
const ZSET = [
  ['ZADD', 'z', '1', 'a', '2.5', 'b', '3', 'c'],
  ['ZADD', 'z2', '1', 'b', '4', 'd'],
];
const STREAM = [
  ['XADD', 'x', '1-1', 'f', 'v1'],
  ['XADD', 'x', '2-1', 'f', 'v2'],
  ['XGROUP', 'CREATE', 'x', 'g', '0'],
  ['XREADGROUP', 'GROUP', 'g', 'alice', 'STREAMS', 'x', '>'],
];
const GEO = [['GEOADD', 'geo', '13.361389', '38.115556', 'Palermo', '15.087269', '37.502669', 'Catania']];
const LIB = [
  [
    'FUNCTION',
    'LOAD',
    'REPLACE',
    "#!lua name=corpus\nredis.register_function('answer', function(keys, args) return {42, 'x', {1}} end)\n" +
      "redis.register_function{function_name='peek', callback=function(keys, args) return redis.call('GET', keys[1]) end, flags={'no-writes'}}",
  ],
];
const FROM = { FROMLONLAT: { longitude: 15, latitude: 37 } } as const;
const BY = { circle: { byradius: 200, unit: 'km' } } as const;

/** XINFO STREAM FULL with its clocks (seen-time, active-time, delivery times: ms since 1970) as 0. */
function withoutClocks(value: unknown): unknown {
  if (typeof value === 'number') return value > 1e12 ? 0 : value;
  if (Array.isArray(value)) return value.map(withoutClocks);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withoutClocks(v)]));
}

export const CORPUS = [
  // string
  call({ command: 'SET', run: (r) => r.set('k', 'v') }),
  call({ command: 'SET', run: (r) => r.set('k', 'v', { XX: true }) }),
  call({ command: 'SET', variant: 'get', seed: [['SET', 'k', 'old']], run: (r) => r.set('k', 'v', { get: true }) }),
  call({ command: 'GET', seed: [['SET', 'k', 'v']], run: (r) => r.get('k') }),
  call({ command: 'GET', run: (r) => r.get('missing') }),
  call({ command: 'MSET', run: (r) => r.mset([{ key: 'a', value: '1' }]) }),
  call({ command: 'MGET', seed: [['SET', 'a', '1']], run: (r) => r.mget('a', 'missing') }),
  call({ command: 'INCR', run: (r) => r.incr('n') }),
  call({ command: 'DECRBY', run: (r) => r.decrby('n', 3) }),
  call({ command: 'INCRBYFLOAT', seed: [['SET', 'f', '10.5']], run: (r) => r.incrbyfloat('f', 0.1) }),
  call({ command: 'INCRBYFLOAT', run: (r) => r.incrbyfloat('f', '5.0e3') }),
  call({ command: 'APPEND', run: (r) => r.append('k', 'abc') }),
  call({ command: 'STRLEN', seed: [['SET', 'k', 'hello']], run: (r) => r.strlen('k') }),
  call({ command: 'GETRANGE', seed: [['SET', 'k', 'hello']], run: (r) => r.getrange('k', 1, 3) }),
  call({ command: 'SETRANGE', seed: [['SET', 'k', 'hello']], run: (r) => r.setrange('k', 1, 'a') }),
  call({ command: 'GETDEL', seed: [['SET', 'k', 'v']], run: (r) => r.getdel('k') }),
  call({ command: 'GETEX', seed: [['SET', 'k', 'v']], run: (r) => r.getex('k', { PERSIST: true }) }),
  call({
    command: 'LCS',
    seed: [['MSET', 'a', 'ohmytext', 'b', 'mynewtext']],
    run: (r) => r.lcs('a', 'b'),
  }),
  call({
    command: 'LCS',
    variant: 'len',
    seed: [['MSET', 'a', 'ohmytext', 'b', 'mynewtext']],
    run: (r) => r.lcs('a', 'b', { len: true }),
  }),
  call({
    command: 'LCS',
    variant: 'idx',
    seed: [['MSET', 'a', 'ohmytext', 'b', 'mynewtext']],
    run: (r) => r.lcs('a', 'b', { idx: true }),
  }),
  call({
    command: 'LCS',
    variant: 'idx',
    seed: [['MSET', 'a', 'ohmytext', 'b', 'mynewtext']],
    run: (r) => r.lcs('a', 'b', { idx: true, minmatchlen: 2, withmatchlen: true }),
  }),
  // list
  call({ command: 'RPUSH', run: (r) => r.rpush('l', 'a', 'b') }),
  call({ command: 'LPUSH', run: (r) => r.lpush('l', 'a') }),
  call({ command: 'LRANGE', seed: LIST, run: (r) => r.lrange('l', 0, -1) }),
  call({ command: 'LPOP', seed: LIST, run: (r) => r.lpop('l') }),
  call({ command: 'LPOP', variant: 'count', seed: LIST, run: (r) => r.lpop('l', { count: 2 }) }),
  call({ command: 'RPOP', variant: 'count', run: (r) => r.rpop('missing', { count: 2 }) }),
  call({ command: 'LLEN', seed: LIST, run: (r) => r.llen('l') }),
  call({ command: 'LINDEX', seed: LIST, run: (r) => r.lindex('l', 9) }),
  call({ command: 'LPOS', seed: LIST, run: (r) => r.lpos('l', 'a') }),
  call({ command: 'LPOS', variant: 'num-matches', seed: LIST, run: (r) => r.lpos('l', 'a', { count: 0 }) }),
  call({ command: 'LINSERT', seed: LIST, run: (r) => r.linsert('l', 'BEFORE', 'b', 'x') }),
  call({ command: 'LREM', seed: LIST, run: (r) => r.lrem('l', 0, 'a') }),
  call({ command: 'LMOVE', seed: LIST, run: (r) => r.lmove('l', 'l2', 'LEFT', 'RIGHT') }),
  call({ command: 'LMPOP', seed: LIST, run: (r) => r.lmpop(['missing', 'l'], 'LEFT', { count: 2 }) }),
  call({ command: 'LMPOP', run: (r) => r.lmpop(['missing'], 'LEFT') }),
  // hash
  call({ command: 'HSET', run: (r) => r.hset('h', [{ field: 'f', value: 'v' }]) }),
  call({ command: 'HGET', seed: HASH, run: (r) => r.hget('h', 'f1') }),
  call({ command: 'HGETALL', seed: HASH, run: (r) => r.hgetall('h') }),
  call({ command: 'HGETALL', run: (r) => r.hgetall('missing') }),
  call({ command: 'HMGET', seed: HASH, run: (r) => r.hmget('h', 'f1', 'nope') }),
  call({ command: 'HINCRBY', seed: HASH, run: (r) => r.hincrby('h', 'n', 2) }),
  call({ command: 'HINCRBYFLOAT', seed: HASH, run: (r) => r.hincrbyfloat('h', 'n', 0.25) }),
  call({ command: 'HKEYS', seed: HASH, run: (r) => r.hkeys('h') }),
  call({ command: 'HVALS', seed: HASH, run: (r) => r.hvals('h') }),
  call({ command: 'HLEN', seed: HASH, run: (r) => r.hlen('h') }),
  call({ command: 'HEXISTS', seed: HASH, run: (r) => r.hexists('h', 'f1') }),
  call({ command: 'HSTRLEN', seed: HASH, run: (r) => r.hstrlen('h', 'f1') }),
  call({ command: 'HRANDFIELD', run: (r) => r.hrandfield('missing') }),
  call({
    command: 'HRANDFIELD',
    variant: 'options.withvalues',
    seed: [['HSET', 'h1', 'only', 'one']],
    run: (r) => r.hrandfield('h1', { count: 1, withvalues: true }),
  }),
  call({ command: 'HSCAN', seed: [['HSET', 'h1', 'only', 'one']], run: (r) => r.hscan('h1', 0) }),
  // set
  call({ command: 'SADD', run: (r) => r.sadd('s', 'a', 'b', 'a') }),
  call({ command: 'SMEMBERS', seed: [['SADD', 's', 'a']], run: (r) => r.smembers('s') }),
  call({ command: 'SISMEMBER', seed: SET, run: (r) => r.sismember('s1', 'a') }),
  call({ command: 'SMISMEMBER', seed: SET, run: (r) => r.smismember('s1', 'a', 'z') }),
  call({ command: 'SCARD', seed: SET, run: (r) => r.scard('s1') }),
  call({ command: 'SPOP', seed: [['SADD', 's', 'a']], run: (r) => r.spop('s') }),
  call({ command: 'SPOP', variant: 'count', seed: [['SADD', 's', 'a']], run: (r) => r.spop('s', { count: 2 }) }),
  call({ command: 'SRANDMEMBER', variant: 'count', run: (r) => r.srandmember('missing', { count: 2 }) }),
  call({ command: 'SINTER', seed: SET, run: async (r) => (await r.sinter('s1', 's2')).sort() }),
  call({ command: 'SUNION', seed: SET, run: async (r) => (await r.sunion('s1', 's2')).sort() }),
  call({ command: 'SDIFF', seed: SET, run: (r) => r.sdiff('s1', 's2') }),
  call({ command: 'SINTERCARD', seed: SET, run: (r) => r.sintercard(['s1', 's2'], { limit: 1 }) }),
  call({ command: 'SSCAN', seed: [['SADD', 's', 'a']], run: (r) => r.sscan('s', 0) }),
  // sorted set
  call({ command: 'ZADD', run: (r) => r.zadd('z', [{ score: 1, member: 'a' }]) }),
  call({
    command: 'ZADD',
    variant: 'increment',
    seed: ZSET,
    run: (r) => r.zadd('z', [{ score: 0.5, member: 'a' }], { incr: true }),
  }),
  call({ command: 'ZRANGE', seed: ZSET, run: (r) => r.zrange('z', '0', '-1') }),
  call({ command: 'ZRANGE', variant: 'withscores', seed: ZSET, run: (r) => r.zrange('z', '0', '-1', { withscores: true }) }),
  call({
    command: 'ZRANGEBYSCORE',
    variant: 'withscores',
    seed: ZSET,
    run: (r) => r.zrangebyscore('z', '-inf', '+inf', { withscores: true }),
  }),
  call({ command: 'ZSCORE', seed: ZSET, run: (r) => r.zscore('z', 'b') }),
  call({ command: 'ZSCORE', seed: ZSET, run: (r) => r.zscore('z', 'nope') }),
  call({ command: 'ZMSCORE', seed: ZSET, run: (r) => r.zmscore('z', 'a', 'nope') }),
  call({ command: 'ZINCRBY', seed: ZSET, run: (r) => r.zincrby('z', 2, 'a') }),
  call({ command: 'ZRANK', seed: ZSET, run: (r) => r.zrank('z', 'c') }),
  call({ command: 'ZRANK', variant: 'withscore', only: 'valkey', seed: ZSET, run: (r) => r.zrank('z', 'b', { withscore: true }) }),
  call({ command: 'ZREVRANK', seed: ZSET, run: (r) => r.zrevrank('z', 'nope') }),
  call({ command: 'ZCARD', seed: ZSET, run: (r) => r.zcard('z') }),
  call({ command: 'ZCOUNT', seed: ZSET, run: (r) => r.zcount('z', 2, '+inf') }),
  call({ command: 'ZLEXCOUNT', seed: ZSET, run: (r) => r.zlexcount('z', '-', '+') }),
  call({ command: 'ZPOPMIN', seed: ZSET, run: (r) => r.zpopmin('z') }),
  call({ command: 'ZPOPMIN', run: (r) => r.zpopmin('missing') }),
  call({ command: 'ZPOPMAX', variant: 'count', seed: ZSET, run: (r) => r.zpopmax('z', { count: 2 }) }),
  call({
    command: 'ZRANDMEMBER',
    variant: 'options.withscores',
    seed: [['ZADD', 'z1', '1.5', 'only']],
    run: (r) => r.zrandmember('z1', { count: 1, withscores: true }),
  }),
  call({ command: 'ZUNION', variant: 'withscores', seed: ZSET, run: (r) => r.zunion(['z', 'z2'], { withscores: true }) }),
  call({ command: 'ZINTER', seed: ZSET, run: (r) => r.zinter(['z', 'z2']) }),
  call({ command: 'ZDIFF', variant: 'withscores', seed: ZSET, run: (r) => r.zdiff(['z', 'z2'], { withscores: true }) }),
  call({ command: 'ZMPOP', seed: ZSET, run: (r) => r.zmpop(['z'], 'MIN', { count: 2 }) }),
  call({ command: 'ZSCAN', seed: [['ZADD', 'z1', '1.5', 'only']], run: (r) => r.zscan('z1', 0) }),
  // stream
  call({ command: 'XADD', run: (r) => r.xadd('x', '5-1', [{ field: 'f', value: 'v' }]) }),
  call({ command: 'XLEN', seed: STREAM, run: (r) => r.xlen('x') }),
  call({ command: 'XRANGE', seed: STREAM, run: (r) => r.xrange('x', '-', '+') }),
  call({ command: 'XREVRANGE', seed: STREAM, run: (r) => r.xrevrange('x', '+', '-', { count: 1 }) }),
  call({ command: 'XREAD', seed: STREAM, run: (r) => r.xread({ key: ['x'], id: ['1-1'] }) }),
  call({ command: 'XREAD', seed: STREAM, run: (r) => r.xread({ key: ['x'], id: ['9-9'] }) }),
  call({
    command: 'XREADGROUP',
    seed: [...STREAM, ['XADD', 'x', '3-1', 'f', 'v3']],
    run: (r) => r.xreadgroup({ group: 'g', consumer: 'bob' }, { key: ['x'], id: ['>'] }),
  }),
  call({ command: 'XPENDING', seed: STREAM, run: (r) => r.xpending('x', 'g') }),
  call({ command: 'XPENDING', seed: STREAM.slice(0, 3), run: (r) => r.xpending('x', 'g') }),
  call({
    command: 'XPENDING',
    variant: 'filters',
    seed: STREAM,
    run: (r) => r.xpending('x', 'g', { start: '-', end: '+', count: 10 }),
    stable: (v) => v.map(([id, consumer, , count]) => [id, consumer, count]),
  }),
  call({
    command: 'XPENDING',
    variant: 'filters',
    seed: STREAM,
    run: (r) => r.xpending('x', 'g', { idle: 3_600_000, start: '-', end: '+', count: 10, consumer: 'alice' }),
  }),
  call({ command: 'XINFO STREAM', seed: STREAM, run: (r) => r.xinfoStream('x') }),
  call({
    command: 'XINFO STREAM',
    variant: 'full',
    seed: STREAM,
    run: (r) => r.xinfoStream('x', { full: true }),
    stable: withoutClocks,
  }),
  call({
    command: 'XINFO STREAM',
    variant: 'full',
    seed: STREAM,
    run: (r) => r.xinfoStream('x', { full: true, count: 1 }),
    stable: withoutClocks,
  }),
  call({ command: 'XINFO GROUPS', seed: STREAM, run: (r) => r.xinfoGroups('x') }),
  call({
    command: 'XINFO CONSUMERS',
    seed: STREAM,
    run: (r) => r.xinfoConsumers('x', 'g'),
    stable: (v) => v.map(({ name, pending }) => ({ name, pending })),
  }),
  call({ command: 'XACK', seed: STREAM, run: (r) => r.xack('x', 'g', '1-1') }),
  call({ command: 'XCLAIM', seed: STREAM, run: (r) => r.xclaim('x', 'g', 'bob', '0', ['1-1']) }),
  call({ command: 'XCLAIM', seed: STREAM, run: (r) => r.xclaim('x', 'g', 'bob', '0', ['1-1'], { justid: true }) }),
  call({ command: 'XAUTOCLAIM', seed: STREAM, run: (r) => r.xautoclaim('x', 'g', 'bob', '0', '0') }),
  call({ command: 'XTRIM', seed: STREAM, run: (r) => r.xtrim('x', { strategy: 'MAXLEN', threshold: '1' }) }),
  call({ command: 'XDEL', seed: STREAM, run: (r) => r.xdel('x', '1-1', '7-7') }),
  call({ command: 'XGROUP CREATE', seed: STREAM.slice(0, 1), run: (r) => r.xgroupCreate('x', 'g2', '$') }),
  // geo
  call({ command: 'GEOADD', run: (r) => r.geoadd('geo', [{ longitude: 13.361389, latitude: 38.115556, member: 'Palermo' }]) }),
  call({ command: 'GEOPOS', seed: GEO, run: (r) => r.geopos('geo', { members: ['Palermo', 'Nowhere'] }) }),
  call({ command: 'GEODIST', seed: GEO, run: (r) => r.geodist('geo', 'Palermo', 'Catania') }),
  call({ command: 'GEODIST', seed: GEO, run: (r) => r.geodist('geo', 'Palermo', 'Catania', { KM: true }) }),
  call({ command: 'GEODIST', seed: GEO, run: (r) => r.geodist('geo', 'Palermo', 'Nowhere') }),
  call({ command: 'GEOHASH', seed: GEO, run: (r) => r.geohash('geo', { members: ['Palermo'] }) }),
  call({ command: 'GEOSEARCH', seed: GEO, run: (r) => r.geosearch('geo', FROM, BY, { ASC: true }) }),
  call({ command: 'GEOSEARCH', variant: 'with', seed: GEO, run: (r) => r.geosearch('geo', FROM, BY, { ASC: true, withdist: true }) }),
  call({ command: 'GEOSEARCH', variant: 'with', seed: GEO, run: (r) => r.geosearch('geo', FROM, BY, { ASC: true, withcoord: true }) }),
  call({ command: 'GEOSEARCH', variant: 'with', seed: GEO, run: (r) => r.geosearch('geo', FROM, BY, { ASC: true, withhash: true }) }),
  call({
    command: 'GEOSEARCH',
    variant: 'with',
    seed: GEO,
    run: (r) => r.geosearch('geo', FROM, BY, { ASC: true, withcoord: true, withdist: true, withhash: true }),
  }),
  call({ command: 'GEORADIUS', seed: GEO, run: (r) => r.georadius('geo', 15, 37, 200, 'km', { ASC: true }) }),
  call({
    command: 'GEORADIUS',
    variant: 'with',
    seed: GEO,
    run: (r) => r.georadius('geo', 15, 37, 200, 'km', { ASC: true, withdist: true, withcoord: true }),
  }),
  call({
    command: 'GEORADIUS',
    variant: 'store',
    seed: GEO,
    run: (r) => r.georadius('geo', 15, 37, 200, 'km', { STOREDIST: 'dists' }),
  }),
  call({
    command: 'GEORADIUSBYMEMBER',
    variant: 'with',
    seed: GEO,
    run: (r) => r.georadiusbymember('geo', 'Palermo', 200, 'km', { ASC: true, withdist: true, withhash: true }),
  }),
  call({
    command: 'GEORADIUS_RO',
    variant: 'with',
    seed: GEO,
    run: (r) => r.georadiusRo('geo', 15, 37, 200, 'km', { ASC: true, withcoord: true }),
  }),
  call({
    command: 'GEORADIUSBYMEMBER_RO',
    seed: GEO,
    run: (r) => r.georadiusbymemberRo('geo', 'Palermo', 200, 'km', { ASC: true }),
  }),
  // hyperloglog
  call({ command: 'PFADD', run: (r) => r.pfadd('hll', { elements: ['a', 'b'] }) }),
  call({ command: 'PFCOUNT', seed: [['PFADD', 'hll', 'a', 'b', 'c']], run: (r) => r.pfcount('hll') }),
  call({ command: 'PFMERGE', seed: [['PFADD', 'hll', 'a']], run: (r) => r.pfmerge('hll2', { sourcekeys: ['hll'] }) }),
  // bitmap
  call({ command: 'SETBIT', run: (r) => r.setbit('b', 7, 1) }),
  call({ command: 'GETBIT', seed: [['SETBIT', 'b', '7', '1']], run: (r) => r.getbit('b', 7) }),
  call({ command: 'BITCOUNT', seed: [['SET', 'b', 'foobar']], run: (r) => r.bitcount('b', { start: 1, end: 1 }) }),
  call({ command: 'BITPOS', seed: [['SET', 'b', '\xff\xf0']], run: (r) => r.bitpos('b', 0) }),
  call({
    command: 'BITFIELD',
    run: (r) =>
      r.bitfield('b', {
        operations: [
          { write: { writeOperation: { INCRBY: { encoding: 'u8', offset: 0, increment: 300 } } } },
          { write: { overflow: 'FAIL', writeOperation: { INCRBY: { encoding: 'u2', offset: 100, increment: 5 } } } },
          { GET: { encoding: 'u8', offset: 0 } },
        ],
      }),
  }),
  call({ command: 'BITOP', seed: [['SET', 'b', 'ab']], run: (r) => r.bitop('NOT', 'dest', 'b') }),
  // generic / keyspace
  call({ command: 'EXISTS', seed: [['SET', 'k', 'v']], run: (r) => r.exists('k', 'k', 'nope') }),
  call({ command: 'DEL', seed: [['SET', 'k', 'v']], run: (r) => r.del('k', 'nope') }),
  call({ command: 'TYPE', seed: HASH, run: (r) => r.type('h') }),
  call({ command: 'TTL', seed: [['SET', 'k', 'v']], run: (r) => r.ttl('k') }),
  call({ command: 'PTTL', run: (r) => r.pttl('nope') }),
  call({ command: 'EXPIRE', seed: [['SET', 'k', 'v']], run: (r) => r.expire('k', 100, { NX: true }) }),
  call({ command: 'PERSIST', seed: [['SET', 'k', 'v', 'EX', '100']], run: (r) => r.persist('k') }),
  call({ command: 'KEYS', seed: [['SET', 'k', 'v']], run: (r) => r.keys('k*') }),
  call({ command: 'SCAN', seed: [['SET', 'k', 'v']], run: (r) => r.scan(0, { type: 'string' }) }),
  call({ command: 'RENAME', seed: [['SET', 'k', 'v']], run: (r) => r.rename('k', 'k2') }),
  call({ command: 'COPY', seed: [['SET', 'k', 'v']], run: (r) => r.copy('k', 'k2') }),
  call({ command: 'TOUCH', seed: [['SET', 'k', 'v']], run: (r) => r.touch('k') }),
  call({ command: 'OBJECT ENCODING', seed: [['SET', 'k', '12']], run: (r) => r.objectEncoding('k') }),
  call({ command: 'SORT', seed: [['RPUSH', 'nums', '3', '1', '2']], run: (r) => r.sort('nums') }),
  call({ command: 'SORT', seed: [['RPUSH', 'nums', '3', '1', '2']], run: (r) => r.sort('nums', { store: 'sorted' }) }),
  call({ command: 'RANDOMKEY', run: (r) => r.randomkey() }),
  call({ command: 'MEMORY USAGE', run: (r) => r.memoryUsage('nope') }),
  // server / connection
  call({
    command: 'HELLO',
    run: (r) => r.hello(),
    stable: ({ id: _id, proto: _proto, ...rest }) => rest,
  }),
  call({ command: 'PING', run: (r) => r.ping() }),
  call({ command: 'PING', run: (r) => r.ping({ message: 'hi' }) }),
  call({ command: 'ECHO', run: (r) => r.echo('hi') }),
  call({ command: 'DBSIZE', seed: [['SET', 'k', 'v']], run: (r) => r.dbsize() }),
  call({ command: 'TIME', run: (r) => r.time(), stable: (v) => v.length }),
  call({ command: 'CONFIG GET', run: (r) => r.configGet('maxmemory-policy') }),
  call({ command: 'CLIENT ID', run: (r) => r.clientId(), stable: (v) => typeof v }),
  call({ command: 'CLIENT GETNAME', run: (r) => r.clientGetname() }),
  call({ command: 'CLIENT NO-TOUCH', only: 'valkey', run: (r) => r.clientNoTouch('OFF') }),
  call({ command: 'WAITAOF', only: 'valkey', run: (r) => r.waitaof(0, 0, 0) }),
  call({ command: 'COMMAND COUNT', run: (r) => r.commandCount() }),
  call({ command: 'COMMAND INFO', run: (r) => r.commandInfo({ commandNames: ['get', 'nope'] }) }),
  call({ command: 'COMMAND DOCS', run: (r) => r.commandDocs({ commandNames: ['get'] }) }),
  call({ command: 'COMMAND DOCS', run: (r) => r.commandDocs({ commandNames: ['geosearch', 'bitfield', 'client'] }) }),
  call({ command: 'COMMAND LIST', run: (r) => r.commandList(), stable: (v) => v.length > 100 }),
  // scripting
  call({ command: 'EVAL', run: (r) => r.eval("return {1, 'two', {3}}") }),
  call({ command: 'EVAL', seed: [['SET', 'k', '7']], run: (r) => r.eval<number>("return redis.call('INCR', KEYS[1])", { keys: ['k'] }) }),
  call({ command: 'EVAL_RO', seed: [['SET', 'k', 'v']], run: (r) => r.evalRo<string>("return redis.call('GET', KEYS[1])", { keys: ['k'] }) }),
  call({
    command: 'EVALSHA',
    seed: [['SCRIPT', 'LOAD', 'return ARGV[1]']],
    run: (r) => r.evalsha<string>('098e0f0d1448c0a81dafe820f66d460eb09263da', { arguments: ['x'] }),
  }),
  call({ command: 'FCALL', seed: LIB, run: (r) => r.fcall<[number, string, number[]]>('answer') }),
  call({ command: 'FCALL_RO', seed: [...LIB, ['SET', 'k', 'v']], run: (r) => r.fcallRo<string | null>('peek', { keys: ['k'] }) }),
  call({ command: 'SCRIPT EXISTS', seed: [['SCRIPT', 'LOAD', 'return ARGV[1]']], run: (r) => r.scriptExists('098e0f0d1448c0a81dafe820f66d460eb09263da', '0000000000000000000000000000000000000000') }),
  call({ command: 'SCRIPT LOAD', run: (r) => r.scriptLoad('return ARGV[1]') }),
  call({ command: 'FUNCTION LIST', seed: LIB, run: (r) => r.functionList() }),
  call({ command: 'FUNCTION LOAD', run: (r) => r.functionLoad("#!lua name=other\nredis.register_function('o', function() return 1 end)", { replace: true }) }),
] as const;
