// The generated mixins at run time: the exact wire arguments each argument construct produces
// (spec order, tokens as spelled, multiple_token repeated), typed errors for values outside the
// declared types, and round trips through a real server under RESP2 and RESP3 with replies
// normalised by the command's ReplyShape.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandExecutor, CommandInfo, RedisArgument, ReplyShape } from '../../generated/executor.js';
import { allCommandMethods, type AllCommands } from '../../generated/index.js';
import { normalizeReply } from '../../src/reply/normalize.js';
import type { RespArgument, RespValue } from '../../src/resp/types.js';
import { RawClient } from '../helpers/raw-client.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { pinnedApplies } from './release.js';

const pinned = pinnedApplies('test/pinned/methods.test.ts');

type Host = AllCommands & CommandExecutor;

/** A host that records what it was asked to send and replies with nothing. */
function recorder(): { host: Host; sent: RedisArgument[][]; infos: CommandInfo[] } {
  const sent: RedisArgument[][] = [];
  const infos: CommandInfo[] = [];
  const executor: CommandExecutor = {
    executeCommand(info, args) {
      infos.push(info);
      sent.push(args);
      return Promise.resolve(null);
    },
    rejectCommand(_info, error) {
      return Promise.reject(error);
    },
  };
  return { host: Object.assign(executor, allCommandMethods) as unknown as Host, sent, infos };
}

/** The generated methods over a raw connection: each reply normalised by its shape, as the client does. */
function rawHost(raw: RawClient): Host {
  const executor: CommandExecutor = {
    async executeCommand(_info, args, shape: ReplyShape) {
      const reply: RespValue = await raw.call(...(args as RespArgument[]));
      if (reply instanceof Error) throw reply;
      return normalizeReply(reply, shape);
    },
    rejectCommand(_info, error) {
      return Promise.reject(error);
    },
  };
  return Object.assign(executor, allCommandMethods) as unknown as Host;
}

describe.runIf(pinned)('wire arguments', () => {
  const { host, sent, infos } = recorder();
  const last = (): RedisArgument[] | undefined => sent[sent.length - 1];

  it('sends spec order and tokens as spelled whatever case the caller used', async () => {
    await host.set('k', 'v', { PX: 5, get: true, XX: true });
    expect(last()).toEqual(['SET', 'k', 'v', 'XX', 'GET', 'PX', 5]);
    expect(infos[infos.length - 1]?.name).toBe('SET');
    await host.set('k', 'v', { KEEPTTL: true, IFEQ: 'old' });
    expect(last()).toEqual(['SET', 'k', 'v', 'IFEQ', 'old', 'KEEPTTL']);
  });

  it('puts options before required arguments when the spec does (ZADD)', async () => {
    await host.zadd(
      'z',
      [
        { score: 1, member: 'a' },
        { score: '+inf', member: 'b' },
      ],
      { NX: true, ch: true, incr: false },
    );
    expect(last()).toEqual(['ZADD', 'z', 'NX', 'CH', 1, 'a', '+inf', 'b']);
  });

  it('handles nested blocks, optional oneofs and bare oneof values (XADD)', async () => {
    await host.xadd('s', '*', [{ field: 'f', value: 'v' }], {
      nomkstream: true,
      strategy: 'minid',
      operator: '~',
      threshold: '0-1',
      limit: 10,
    });
    expect(last()).toEqual(['XADD', 's', 'NOMKSTREAM', 'MINID', '~', '0-1', 'LIMIT', 10, '*', 'f', 'v']);
    await host.xadd('s', '5-1', [{ field: 'f', value: Buffer.from('b') }]);
    expect(last()).toEqual(['XADD', 's', '5-1', 'f', Buffer.from('b')]);
  });

  it('repeats a multiple_token token per item and sends a plain token once', async () => {
    await host.sort('l', {
      get: ['#', 'w_*'],
      limit: { offset: 0, count: 5 },
      DESC: true,
      alpha: true,
    });
    expect(last()).toEqual(['SORT', 'l', 'LIMIT', 0, 5, 'GET', '#', 'GET', 'w_*', 'DESC', 'ALPHA']);
    await host.zinter(['a', 'b'], { weights: [1, 2], aggregate: 'max' });
    expect(last()).toEqual(['ZINTER', 2, 'a', 'b', 'WEIGHTS', 1, 2, 'AGGREGATE', 'MAX']);
  });

  it('sends a key count the spec lets it derive (keynum key specs) as the key array length', async () => {
    await host.eval('return 1', { keys: ['a', 'b'], arguments: ['x'] });
    expect(last()).toEqual(['EVAL', 'return 1', 2, 'a', 'b', 'x']);
    await host.eval('return 1');
    expect(last()).toEqual(['EVAL', 'return 1', 0]);
    await host.evalshaRo('abc', { arguments: ['x'] });
    expect(last()).toEqual(['EVALSHA_RO', 'abc', 0, 'x']);
    await host.fcall('f', { keys: ['k'], arguments: ['1'] });
    expect(last()).toEqual(['FCALL', 'f', 1, 'k', '1']);
    await host.lmpop(['a', 'b'], 'left', { count: 2 });
    expect(last()).toEqual(['LMPOP', 2, 'a', 'b', 'LEFT', 'COUNT', 2]);
    await host.zmpop(['z'], 'MAX');
    expect(last()).toEqual(['ZMPOP', 1, 'z', 'MAX']);
    await host.zunionstore('d', ['a', 'b', 'c'], { weights: [1, 2, 3] });
    expect(last()).toEqual(['ZUNIONSTORE', 'd', 3, 'a', 'b', 'c', 'WEIGHTS', 1, 2, 3]);
    await host.zdiffstore('d', 'a', 'b');
    expect(last()).toEqual(['ZDIFFSTORE', 'd', 2, 'a', 'b']);
    await host.zunion(['a', 'b'], { withscores: true });
    expect(last()).toEqual(['ZUNION', 2, 'a', 'b', 'WITHSCORES']);
    await host.sintercard(['a', 'b', 'c'], { limit: 5 });
    expect(last()).toEqual(['SINTERCARD', 3, 'a', 'b', 'c', 'LIMIT', 5]);
    await host.zintercard(['a']);
    expect(last()).toEqual(['ZINTERCARD', 1, 'a']);
  });

  it('keeps a blocking timeout where the table says when the key count is derived (BLMPOP, BZMPOP)', async () => {
    await host.blmpop(0.5, ['a', 'b'], 'RIGHT');
    expect(last()).toEqual(['BLMPOP', 0.5, 2, 'a', 'b', 'RIGHT']);
    const where = infos[infos.length - 1]?.blockingTimeout;
    expect(where).toMatchObject({ argument: 'timeout', unit: 'seconds', index: 1 });
    expect(last()?.[1]).toBe(0.5);
    await host.bzmpop(3, ['z'], 'min', { count: 1 });
    expect(last()).toEqual(['BZMPOP', 3, 1, 'z', 'MIN', 'COUNT', 1]);
    expect(infos[infos.length - 1]?.blockingTimeout).toMatchObject({ index: 1 });
  });

  it('sends blocks of tokens whole and keyed alternatives with their token', async () => {
    await host.replicaof('no one');
    expect(last()).toEqual(['REPLICAOF', 'NO', 'ONE']);
    await host.replicaof({ hostPort: { host: 'h', port: 6380 } });
    expect(last()).toEqual(['REPLICAOF', 'h', 6380]);
    await host.clientKill({ newFormat: [{ ID: [7, 8n] }, { SKIPME: 'no' }] });
    expect(last()).toEqual(['CLIENT', 'KILL', 'ID', 7, 8n, 'SKIPME', 'NO']);
    await host.del('a', 'b', 'c');
    expect(last()).toEqual(['DEL', 'a', 'b', 'c']);
  });

  it('sends a SCAN-family cursor as given, a string from the reply included', async () => {
    await host.scan('18446744073709551615', { count: 10 });
    expect(last()).toEqual(['SCAN', '18446744073709551615', 'COUNT', 10]);
    await host.hscan('h', 0);
    expect(last()).toEqual(['HSCAN', 'h', 0]);
    await host.zscan('z', 12n);
    expect(last()).toEqual(['ZSCAN', 'z', 12n]);
  });

  it('rejects a value outside the declared type with a TypeError naming command and argument, never the value', async () => {
    const untyped = host as unknown as { set(k: string, v: string, o: unknown): Promise<unknown> };
    await expect(untyped.set('k', 'v', { NX: 'secret-value' })).rejects.toThrow(
      new TypeError('SET NX: expected a boolean; got a string'),
    );
    await expect(untyped.set('k', 'v', { EX: 'secret-value' })).rejects.toThrow(
      new TypeError('SET EX: expected an integer; got a string'),
    );
  });
});

describe.runIf(pinned).each([2, 3] as const)('round trips on valkey, RESP%i', (protocol) => {
  let server: TestServer;
  let raw: RawClient;
  let r: Host;

  beforeAll(async () => {
    server = await startServer({ flavour: 'valkey' });
    raw = await RawClient.connect(server.port);
    if (protocol === 3) await raw.call('HELLO', '3');
    r = rawHost(raw);
  });
  afterAll(async () => {
    raw?.close();
    await server?.stop();
  });

  it('strings and SET variants', async () => {
    expect(await r.set('s', 'one')).toBe('OK');
    expect(await r.set('s', 'two', { get: true, EX: 100 })).toBe('one');
    expect(await r.set('s', 'x', { NX: true })).toBeNull();
    expect(await r.get('s')).toBe('two');
    expect(await r.mget('s', 'missing')).toEqual(['two', null]);
    expect(await r.del('s', 'missing')).toBe(1);
  });

  it('hashes as plain objects', async () => {
    expect(
      await r.hset('h', [
        { field: 'a', value: '1' },
        { field: 'b', value: '2' },
      ]),
    ).toBe(2);
    expect(await r.hgetall('h')).toEqual({ a: '1', b: '2' });
    expect(await r.hrandfield('h', { count: -2, withvalues: true })).toHaveLength(2);
  });

  it('sorted sets with scores as numbers', async () => {
    expect(
      await r.zadd('z', [
        { score: 1.5, member: 'a' },
        { score: 2, member: 'b' },
      ]),
    ).toBe(2);
    expect(await r.zadd('z', [{ score: 1, member: 'a' }], { incr: true })).toBe(2.5);
    expect(await r.zrange('z', '0', '-1')).toEqual(['b', 'a']);
    expect(await r.zrange('z', '0', '-1', { withscores: true })).toEqual([
      ['b', 2],
      ['a', 2.5],
    ]);
    expect(await r.zrange('z', '(2', '+inf', { BYSCORE: true })).toEqual(['a']);
    expect(await r.zscore('z', 'a')).toBe(2.5);
    expect(await r.zrank('z', 'a', { withscore: true })).toEqual([1, 2.5]);
  });

  it('lists, sets and counts', async () => {
    expect(await r.rpush('l', 'a', 'b', 'a')).toBe(3);
    expect(await r.lpos('l', 'a')).toBe(0);
    expect(await r.lpos('l', 'a', { count: 0 })).toEqual([0, 2]);
    expect(await r.lpop('l', { count: 2 })).toEqual(['a', 'b']);
    expect(await r.blpop(['l'], 0.1)).toEqual(['l', 'a']);
    expect(await r.sadd('set', 'x')).toBe(1);
    const [cursor] = await r.sscan('set', 0);
    expect(await r.sscan('set', cursor)).toEqual(['0', ['x']]); // the reply's cursor passed back as is
    expect(await r.spop('set', { count: 5 })).toEqual(['x']);
  });

  it('streams and server replies', async () => {
    const id = await r.xadd('x', '*', [{ field: 'f', value: 'v' }]);
    expect(id).toMatch(/^\d+-\d+$/);
    expect(await r.xrange('x', '-', '+')).toEqual([[id, ['f', 'v']]]);
    expect(await r.xread({ key: ['x'], id: ['0'] }, { count: 1 })).toEqual({ x: [[id, ['f', 'v']]] });
    const [seconds, micros] = await r.time();
    expect(Number(seconds)).toBeGreaterThan(1_600_000_000);
    expect(micros).toMatch(/^\d+$/);
    expect(await r.ping()).toBe('PONG');
  });
});

// The derived key counts against real servers: a wrong count would be a syntax error or pick the
// wrong keys, so these replies prove the wire (EVAL with two keys, LMPOP, ZUNIONSTORE, SINTERCARD).
describe.runIf(pinned).each(['valkey', 'redis'] as const)('derived key counts on %s', (flavour) => {
  let server: TestServer;
  let raw: RawClient;
  let r: Host;

  beforeAll(async () => {
    server = await startServer({ flavour });
    raw = await RawClient.connect(server.port);
    r = rawHost(raw);
  });
  afterAll(async () => {
    raw?.close();
    await server?.stop();
  });

  it('EVAL sees exactly the keys and the arguments it was given', async () => {
    const lua = 'return {#KEYS, #ARGV, KEYS[1], KEYS[2], ARGV[1]}';
    expect(await r.eval(lua, { keys: ['k1', 'k2'], arguments: ['a1'] })).toEqual([2, 1, 'k1', 'k2', 'a1']);
    expect(await r.eval('return {#KEYS, #ARGV}', { arguments: ['x', 'y'] })).toEqual([0, 2]);
    expect(await r.eval('return #KEYS')).toBe(0);
  });

  it('LMPOP pops from the first non-empty key of several', async () => {
    await r.rpush('kc:l2', 'a', 'b', 'c');
    expect(await r.lmpop(['kc:l1', 'kc:l2'], 'LEFT', { count: 2 })).toEqual(['kc:l2', ['a', 'b']]);
    expect(await r.lmpop(['kc:none'], 'RIGHT')).toBeNull();
  });

  it('ZUNIONSTORE weights every key it was given', async () => {
    await r.zadd('kc:z1', [{ score: 1, member: 'a' }]);
    await r.zadd('kc:z2', [
      { score: 2, member: 'a' },
      { score: 3, member: 'b' },
    ]);
    expect(await r.zunionstore('kc:zd', ['kc:z1', 'kc:z2'], { weights: [10, 1] })).toBe(2);
    expect(await r.zscore('kc:zd', 'a')).toBe(12);
  });

  it('SINTERCARD intersects all the keys, with and without LIMIT', async () => {
    await r.sadd('kc:s1', 'a', 'b', 'c');
    await r.sadd('kc:s2', 'b', 'c', 'd');
    await r.sadd('kc:s3', 'c', 'b');
    expect(await r.sintercard(['kc:s1', 'kc:s2', 'kc:s3'])).toBe(2);
    expect(await r.sintercard(['kc:s1', 'kc:s2'], { limit: 1 })).toBe(1);
    expect(await r.sintercard(['kc:s1'])).toBe(3);
  });
});
