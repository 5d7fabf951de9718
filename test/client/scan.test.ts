// SCAN-family iterators against real servers: SCAN over 10,000 keys yields each exactly once,
// MATCH/TYPE/COUNT reach the server, HSCAN/SSCAN/ZSCAN yield pairs/members/scores, Buffers on
// request, and `dedupe: false` streams what the server sends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RedisClient } from '../../src/client/client.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe.each([
  ['redis', 2],
  ['redis', 3],
  ['valkey', 3],
] as const)('scan iterators on %s RESP%i', (flavour, protocol) => {
  let server: TestServer;
  let client: RedisClient;

  beforeAll(async () => {
    server = await startServer({ flavour });
    client = createClient({ url: server.url, protocol });
    const pipe = client.pipeline();
    for (let i = 0; i < 10_000; i++) pipe.set(`scan:${i}`, 'v');
    await pipe.execOrThrow();
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it('yields each of 10,000 keys exactly once', async () => {
    const seen = new Map<string, number>();
    for await (const key of client.scanIterator({ match: 'scan:*', count: 100 })) {
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect(seen.size).toBe(10_000);
    expect([...seen.values()].every((n) => n === 1)).toBe(true);
  });

  it('passes MATCH and TYPE to the server', async () => {
    await client.sendCommand(['RPUSH', 'scanlist:1', 'x']);
    const keys: string[] = [];
    for await (const key of client.scanIterator({ match: 'scan*', type: 'list', count: 1000 }))
      keys.push(key);
    expect(keys).toEqual(['scanlist:1']);
    const none: string[] = [];
    for await (const key of client.scanIterator({ match: 'absent:*' })) none.push(key);
    expect(none).toEqual([]);
  });

  it('scans a large hash, set and sorted set (cursor followed over many pages)', async () => {
    await client.sendCommand(['DEL', 'sh', 'ss', 'sz']);
    const hash: string[] = ['HSET', 'sh'];
    const set: string[] = ['SADD', 'ss'];
    const zset: string[] = ['ZADD', 'sz'];
    for (let i = 0; i < 1_000; i++) {
      hash.push(`f${i}`, `v${i}`);
      set.push(`m${i}`);
      zset.push(String(i + 0.5), `z${i}`);
    }
    await client.pipeline().sendCommand(hash).sendCommand(set).sendCommand(zset).execOrThrow();

    const fields = new Map<string, string>();
    for await (const [field, value] of client.hscanIterator('sh', { count: 50 })) fields.set(field, value);
    expect(fields.size).toBe(1_000);
    expect(fields.get('f7')).toBe('v7');

    const members = new Set<string>();
    for await (const member of client.sscanIterator('ss', { count: 50 })) members.add(member);
    expect(members.size).toBe(1_000);

    const scores = new Map<string, number>();
    for await (const [member, score] of client.zscanIterator('sz', { count: 50 })) scores.set(member, score);
    expect(scores.size).toBe(1_000);
    expect(scores.get('z3')).toBe(3.5);
  });

  it('yields Buffers on request', async () => {
    await client.sendCommand(['HSET', 'shb', 'f', 'v']);
    const pairs: [Buffer, Buffer][] = [];
    for await (const pair of client.hscanIterator('shb', { buffers: true })) pairs.push(pair);
    expect(pairs).toEqual([[Buffer.from('f'), Buffer.from('v')]]);
  });

  it('streams without a seen-set when dedupe is off', async () => {
    let count = 0;
    for await (const key of client.scanIterator({ match: 'scan:1*', dedupe: false, count: 500 })) {
      expect(key.startsWith('scan:1')).toBe(true);
      count++;
    }
    expect(count).toBeGreaterThanOrEqual(1_111);
  });
});
