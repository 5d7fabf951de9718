// The client against real servers: the README example, then typical calls of every command group
// with exact replies, on Redis 7.0.15 and Valkey 8.0.1 under RESP2 and RESP3. The same assertions
// run for both protocols: that is the "one JS shape per command" promise.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, RedisClient, ReplyError, WrongTypeError } from '../../src/index.js';
import { startServer, type TestServer } from '../helpers/server.js';
import type { Flavour } from '../helpers/binaries.js';

const matrix: [Flavour, 2 | 3][] = [
  ['redis', 2],
  ['redis', 3],
  ['valkey', 2],
  ['valkey', 3],
];

describe.each(matrix)('client on %s RESP%i', (flavour, protocol) => {
  let server: TestServer;
  let r: RedisClient;

  beforeAll(async () => {
    server = await startServer({ flavour });
    r = createClient({ url: server.url, protocol });
  });
  afterAll(async () => {
    await r.close();
    await server.stop();
  });

  it('runs the README example', async () => {
    const c = createClient({ url: `${server.url}/0`, protocol });
    expect(await c.set('foo', 'bar')).toBe('OK');
    expect(await c.get('foo')).toBe('bar');
    await c.close();
    expect(c.isClosed).toBe(true);
  });

  it('string', async () => {
    expect(await r.set('s:1', 'v1', { NX: true })).toBe('OK');
    expect(await r.set('s:1', 'v2', { NX: true })).toBeNull();
    expect(await r.set('s:1', 'v3', { get: true })).toBe('v1');
    expect(await r.set('s:2', 'x', { EX: 100 })).toBe('OK');
    expect(await r.ttl('s:2')).toBe(100);
    expect(await r.incrby('s:n', 5)).toBe(5);
    expect(await r.incrbyfloat('s:f', 1.5)).toBe(1.5); // a float reply is a number (README)
    expect(
      await r.mset([
        { key: 's:a', value: 'A' },
        { key: 's:b', value: 'B' },
      ]),
    ).toBe('OK');
    expect(await r.mget('s:a', 's:b', 's:missing')).toEqual(['A', 'B', null]);
    expect(await r.append('s:a', 'xyz')).toBe(4);
    expect(await r.getrange('s:a', 1, 2)).toBe('xy');
    expect(await r.strlen('s:a')).toBe(4);
  });

  it('generic', async () => {
    await r.set('g:1', 'v');
    expect(await r.exists('g:1', 'g:2')).toBe(1);
    expect(await r.type('g:1')).toBe('string');
    expect(await r.expire('g:1', 50)).toBe(1);
    expect(await r.persist('g:1')).toBe(1);
    expect(await r.ttl('g:1')).toBe(-1);
    expect(await r.rename('g:1', 'g:2')).toBe('OK');
    expect(await r.del('g:1', 'g:2')).toBe(1);
    const [cursor, keys] = await r.scan(0, { count: 1000 });
    expect(typeof cursor).toBe('string');
    expect(Array.isArray(keys)).toBe(true);
  });

  it('hash', async () => {
    expect(
      await r.hset('h', [
        { field: 'a', value: '1' },
        { field: 'b', value: '2' },
      ]),
    ).toBe(2);
    expect(await r.hget('h', 'a')).toBe('1');
    expect(await r.hgetall('h')).toEqual({ a: '1', b: '2' });
    expect(await r.hgetall('h:missing')).toEqual({});
    expect(await r.hincrbyfloat('h', 'a', 0.5)).toBe(1.5);
    expect(await r.hkeys('h')).toEqual(['a', 'b']);
    expect(await r.hlen('h')).toBe(2);
    expect(await r.hexists('h', 'b')).toBe(1);
    expect(await r.hdel('h', 'a', 'b')).toBe(2);
  });

  it('list', async () => {
    expect(await r.rpush('l', 'a', 'b', 'c', 'b')).toBe(4);
    expect(await r.lrange('l', 0, -1)).toEqual(['a', 'b', 'c', 'b']);
    expect(await r.lpos('l', 'b')).toBe(1);
    expect(await r.lpos('l', 'b', { count: 0 })).toEqual([1, 3]);
    expect(await r.lpop('l')).toBe('a');
    expect(await r.llen('l')).toBe(3);
    expect(await r.lmpop(['l'], 'RIGHT', { count: 2 })).toEqual(['l', ['b', 'c']]);
    expect(await r.lmpop(['l:none'], 'LEFT')).toBeNull();
  });

  it('set', async () => {
    expect(await r.sadd('st', 'a', 'b', 'c')).toBe(3);
    expect((await r.smembers('st')).sort()).toEqual(['a', 'b', 'c']);
    expect(await r.sismember('st', 'a')).toBe(1);
    await r.sadd('st2', 'b', 'c', 'd');
    expect((await r.sinter('st', 'st2')).sort()).toEqual(['b', 'c']);
    expect(await r.scard('st')).toBe(3);
  });

  it('sorted-set', async () => {
    const members = [
      { score: 1, member: 'a' },
      { score: 2.5, member: 'b' },
      { score: '+inf', member: 'c' },
    ];
    expect(await r.zadd('z', members)).toBe(3);
    expect(await r.zadd('z', [{ score: 1, member: 'a' }], { incr: true })).toBe(2);
    expect(await r.zscore('z', 'b')).toBe(2.5);
    expect(await r.zscore('z', 'c')).toBe(Infinity);
    expect(await r.zscore('z', 'none')).toBeNull();
    expect(await r.zrange('z', '0', '-1')).toEqual(['a', 'b', 'c']);
    expect(await r.zrange('z', '0', '1', { withscores: true })).toEqual([
      ['a', 2],
      ['b', 2.5],
    ]);
    expect(await r.zcard('z')).toBe(3);
    expect(await r.zrank('z', 'b')).toBe(1);
  });

  it('stream', async () => {
    const id = await r.xadd('x', '1-1', [{ field: 'f', value: 'v' }]);
    expect(id).toBe('1-1');
    await r.xadd('x', '*', [{ field: 'g', value: 'w' }]);
    expect(await r.xlen('x')).toBe(2);
    const range = await r.xrange('x', '-', '+', { count: 1 });
    expect(range).toEqual([['1-1', ['f', 'v']]]);
    const read = await r.xread({ key: ['x'], id: ['0-0'] }, { count: 1 });
    expect(read).toEqual({ x: [['1-1', ['f', 'v']]] });
    expect(await r.xread({ key: ['x:none'], id: ['0-0'] })).toBeNull();
  });

  it('geo', async () => {
    expect(
      await r.geoadd('geo', [
        { longitude: 13.361389, latitude: 38.115556, member: 'Palermo' },
        { longitude: 15.087269, latitude: 37.502669, member: 'Catania' },
      ]),
    ).toBe(2);
    const dist = await r.geodist('geo', 'Palermo', 'Catania', { KM: true });
    expect(Number(dist)).toBeCloseTo(166.2742, 3);
    expect(
      await r.geosearch(
        'geo',
        { FROMLONLAT: { longitude: 15, latitude: 37 } },
        { circle: { byradius: 100, unit: 'km' } },
      ),
    ).toEqual(['Catania']);
  });

  it('hyperloglog', async () => {
    expect(await r.pfadd('hll', { elements: ['a', 'b', 'c', 'a'] })).toBe(1);
    expect(await r.pfcount('hll')).toBe(3);
  });

  it('bitmap', async () => {
    expect(await r.setbit('bm', 7, 1)).toBe(0);
    expect(await r.getbit('bm', 7)).toBe(1);
    expect(await r.bitcount('bm')).toBe(1);
  });

  it('connection', async () => {
    expect(await r.ping()).toBe('PONG');
    expect(await r.echo('hi')).toBe('hi');
    const named = createClient({ url: server.url, protocol, name: 'app-1' });
    expect(await named.clientGetname()).toBe('app-1');
    expect(await named.clientInfo()).toMatch(/name=app-1 /);
    await named.close();
  });

  it('server', async () => {
    expect(await r.configGet('maxmemory-policy')).toEqual({ 'maxmemory-policy': 'noeviction' });
    const [seconds, micros] = await r.time();
    expect(Number(seconds)).toBeGreaterThan(1_600_000_000);
    expect(Number(micros)).toBeGreaterThanOrEqual(0);
    expect(typeof (await r.dbsize())).toBe('number');
    expect(await r.info({ sections: ['server'] })).toMatch(/^# Server/);
  });

  it('scripting', async () => {
    expect(await r.eval('return {KEYS[1], ARGV[1], 3}', { keys: ['k'], arguments: ['a'] })).toEqual([
      'k',
      'a',
      3,
    ]);
  });

  it('pubsub (request/reply commands)', async () => {
    expect(await r.publish('nobody', 'hello')).toBe(0);
    expect(await r.pubsubNumsub({ channels: ['nobody'] })).toEqual(['nobody', 0]);
  });

  it('rejects error replies with the class from the prefix table, naming the command', async () => {
    await r.set('wt', 'x');
    const error = await r.lpush('wt', 'a').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongTypeError);
    expect(error).toBeInstanceOf(ReplyError);
    expect((error as WrongTypeError).code).toBe('WRONGTYPE');
    expect((error as WrongTypeError).command).toBe('LPUSH');
  });

  it('sendCommand reaches commands by their raw words', async () => {
    expect(await r.sendCommand(['SET', 'raw', '1'])).toBe('OK');
    expect(await r.sendCommand(['GET', 'raw'])).toBe('1');
  });

  it('gives Buffers on request, per view', async () => {
    await r.set('bin', Buffer.from([0xff, 0x00, 0x01]));
    const value = await r.withOptions({ returnBuffers: true }).get('bin');
    expect(Buffer.isBuffer(value)).toBe(true);
    expect(value).toEqual(Buffer.from([0xff, 0x00, 0x01]));
    expect(typeof (await r.get('s:a'))).toBe('string');
  });

  it('selects the database from the URL', async () => {
    const db3 = createClient({ url: `${server.url}/3`, protocol });
    await db3.set('only-in-3', '1');
    expect(await r.exists('only-in-3')).toBe(0);
    expect(await db3.exists('only-in-3')).toBe(1);
    await db3.close();
  });
});

describe('Buffer clients', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.stop();
  });

  it.each([2, 3] as const)('gives Buffers for every string of every reply (RESP%i)', async (protocol) => {
    const b = createClient({ url: server.url, protocol, returnBuffers: true });
    await b.hset('bh', [{ field: 'f', value: 'v' }]);
    const hash = await b.hgetall('bh');
    expect(Object.keys(hash)).toEqual(['f']);
    expect(hash['f']).toEqual(Buffer.from('v'));
    await b.zadd('bz', [{ score: 1, member: 'm' }]);
    expect(await b.zrange('bz', '0', '-1', { withscores: true })).toEqual([[Buffer.from('m'), 1]]);
    expect(await b.incr(`bn${protocol}`)).toBe(1);
    expect(await b.withOptions({ timeout: 1000 }).get(`bn${protocol}`)).toEqual(Buffer.from('1'));
    await b.close();
  });
});
