// The call forms people write, against real servers: pairs as objects and Maps, numbers where
// values and ranges go, arrays for variadic arguments, SCAN's own cursor fed back, tokens as
// option keys (`{ EX: 10 }`, `{ NX: true }`, `{ block }`, `{ match }`), lifted blocks (HRANDFIELD's
// count), exclusive choices refused at run time, and the spec-literal forms that still work.
// This file is type-checked with the rest of the repository, so every call here also compiles.
import { beforeAll, describe, expect, it } from 'vitest';
import type { RedisClient } from '../../src/index.js';
import type { Flavour } from '../helpers/binaries.js';
import { useClientOnServer } from '../helpers/client-on-server.js';

describe.each<[Flavour, 2 | 3]>([
  ['redis', 2],
  ['valkey', 3],
])('call forms on %s RESP%i', (flavour, protocol) => {
  const on = useClientOnServer(flavour, { protocol });
  let r: RedisClient;
  beforeAll(() => {
    r = on.client;
  });

  it('takes (name, value) pairs as an object, a Map or an array of pairs', async () => {
    expect(await r.hset('h:obj', { a: '1', b: 2 })).toBe(2);
    expect(await r.hgetall('h:obj')).toEqual({ a: '1', b: '2' });
    expect(await r.hset('h:map', new Map([['x', 'y']]))).toBe(1);
    expect(await r.hset('h:list', [{ field: 'f', value: Buffer.from('v') }])).toBe(1);
    expect(await r.hgetall('h:list')).toEqual({ f: 'v' });
    expect(await r.mset({ 'm:a': '1', 'm:b': 2 })).toBe('OK');
    expect(await r.mget('m:a', 'm:b')).toEqual(['1', '2']);
    const id = await r.xadd('s:obj', '*', { f: 'v', n: 1 });
    expect(await r.xrange('s:obj', '-', '+')).toEqual([[id, ['f', 'v', 'n', '1']]]);
    expect(await r.configSet({ 'maxmemory-policy': 'noeviction' })).toBe('OK');
  });

  it('takes numbers for values and numeric ranges, arrays for variadic arguments', async () => {
    expect(await r.set('n:1', 1)).toBe('OK');
    expect(await r.incr('n:1')).toBe(2);
    expect(await r.rpush('l:1', ['a', 'b'])).toBe(2);
    expect(await r.rpush('l:1', 'c', ['d', 'e'], 6)).toBe(6);
    expect(await r.lrange('l:1', 0, -1)).toEqual(['a', 'b', 'c', 'd', 'e', '6']);
    expect(await r.del(['l:1', 'n:1'], 'nothing')).toBe(2);
    await r.zadd('z:1', [
      { score: 1, member: 'a' },
      { score: 2, member: 'b' },
    ]);
    expect(await r.zrange('z:1', 0, -1)).toEqual(['a', 'b']);
    expect(await r.zrange('z:1', '(1', '+inf', { BYSCORE: true })).toEqual(['b']);
    expect(await r.zrangebyscore('z:1', -Infinity, Infinity)).toEqual(['a', 'b']);
    expect(await r.blpop('nothing', 0.01)).toBeNull();
  });

  it('feeds the cursor SCAN replied back to it, with one name for the same option everywhere', async () => {
    await r.mset({ 'c:1': 'x', 'c:2': 'x', 'c:3': 'x' });
    const seen: string[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, { match: 'c:*', count: 1 });
      seen.push(...keys);
      cursor = next;
    } while (cursor !== '0');
    expect(seen.sort()).toEqual(['c:1', 'c:2', 'c:3']);
    const iterated: string[] = [];
    for await (const key of r.scanIterator({ match: 'c:*', count: 1 })) iterated.push(key);
    expect(iterated.sort()).toEqual(['c:1', 'c:2', 'c:3']);
    await r.hset('h:scan', { a: '1' });
    const [, fields] = await r.hscan('h:scan', '0', { match: 'a*' });
    expect(fields).toEqual(['a', '1']);
  });

  it('writes a oneof of tokens as the token itself, exclusive by type and at run time', async () => {
    expect(await r.set('t:ex', 'v', { EX: 10 })).toBe('OK');
    expect(await r.ttl('t:ex')).toBeGreaterThan(8);
    expect(await r.set('t:nx', 'v', { NX: true, PX: 500 })).toBe('OK');
    expect(await r.set('t:nx', 'w', { NX: true, PX: 500 })).toBeNull();
    expect(await r.pttl('t:nx')).toBeGreaterThan(0);
    expect(await r.set('t:nx', 'w', { XX: true, KEEPTTL: true, get: true })).toBe('v');
    // EXPIRE XX: only when the key has a TTL, which KEEPTTL kept.
    expect(await r.expire('t:nx', 100, { XX: true })).toBe(1);
    expect(await r.expire('t:ex', 100, { NX: true })).toBe(0);
    expect(await r.getex('t:ex', { PERSIST: true })).toBe('v');
    expect(await r.ttl('t:ex')).toBe(-1);
    // @ts-expect-error EX and PX are exclusive
    const both = r.set('t:bad', 'v', { EX: 1, PX: 1 });
    await expect(both).rejects.toThrow(
      new TypeError('SET EX|PX|EXAT|PXAT|KEEPTTL: expected at most one of EX, PX, EXAT, PXAT, KEEPTTL; got an object'),
    );
    expect(await r.exists('t:bad')).toBe(0);
  });

  it('names options by their more telling token: block, count, match, alpha, incr', async () => {
    await r.xadd('s:read', '1-1', { f: 'v' });
    expect(await r.xread({ key: ['s:read'], id: ['0'] }, { block: 1000, count: 10 })).toEqual({
      's:read': [['1-1', ['f', 'v']]],
    });
    await r.rpush('l:sort', ['b', 'a']);
    expect(await r.sort('l:sort', { alpha: true })).toEqual(['a', 'b']);
    expect(await r.zadd('z:incr', [{ score: 2, member: 'm' }], { incr: true })).toBe(2);
    expect(await r.lpos('l:sort', 'a', { count: 0 })).toEqual([1]);
    expect(await r.eval('return {KEYS[1], ARGV[1]}', { keys: ['k'], arguments: ['a'] })).toEqual(['k', 'a']);
  });

  it('lends an untokened optional block its members: HRANDFIELD count and withvalues', async () => {
    await r.hset('h:rand', { a: '1' });
    expect(await r.hrandfield('h:rand', { count: 2, withvalues: true })).toEqual([['a', '1']]);
    expect(await r.hrandfield('h:rand', { count: 1 })).toEqual(['a']);
    expect(await r.hrandfield('h:rand')).toBe('a');
    await expect(r.hrandfield('h:rand', { withvalues: true } as never)).rejects.toThrow(
      'HRANDFIELD count: expected an integer; got undefined',
    );
  });

  it('keeps the spec-literal forms that still apply', async () => {
    expect(await r.set('lit', 'v', { get: true })).toBeNull();
    expect(await r.zrange('z:1', '0', '-1', { withscores: true })).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
    expect(await r.xadd('s:lit', '*', [{ field: 'f', value: 'v' }])).toMatch(/^\d+-\d+$/);
  });
});
