// Pipelines against real servers (redis 7.0.15 and valkey 8.0.1, RESP2 and RESP3): replies in
// order in one write, a failed slot holding its own error, 10,000 commands, re-send rules after a
// killed connection, blocking commands moved off the shared connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RedisClient } from '../../src/client/client.js';
import { ConnectionError, RedisError, WrongTypeError } from '../../src/errors.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe.each([
  ['redis', 2],
  ['redis', 3],
  ['valkey', 2],
  ['valkey', 3],
] as const)('pipeline on %s RESP%i', (flavour, protocol) => {
  let server: TestServer;
  let client: RedisClient;
  let other: RedisClient;

  beforeAll(async () => {
    server = await startServer({ flavour, args: ['--enable-debug-command', 'yes'] });
    client = createClient({ url: server.url, protocol });
    other = createClient({ url: server.url, protocol });
    client.on('error', () => undefined);
  });
  afterAll(async () => {
    await client?.close();
    await other?.close();
    await server?.stop();
  });

  it('resolves the replies in order, normalised, a failed slot holding its own ReplyError', async () => {
    await client.sendCommand(['DEL', 'p:a', 'p:n']);
    const results = await client
      .pipeline()
      .set('p:a', 'text')
      .get('p:a')
      .sendCommand(['LPUSH', 'p:a', 'x'])
      .incr('p:n')
      .sendCommand(['HSET', 'p:h', 'f', 'v'])
      .exec();
    expect(results.slice(0, 2)).toEqual(['OK', 'text']);
    expect(results[2]).toBeInstanceOf(WrongTypeError);
    expect((results[2] as RedisError).command).toBe('LPUSH');
    expect(results[3]).toBe(1);
    expect(typeof results[4]).toBe('number');
  });

  it('execOrThrow rejects with the first failed slot, after every command ran', async () => {
    await client.set('p:b', 'x');
    await expect(
      client.pipeline().sendCommand(['SADD', 'p:b', 'm']).set('p:c', 'ran').execOrThrow(),
    ).rejects.toBeInstanceOf(WrongTypeError);
    expect(await client.get('p:c')).toBe('ran');
    expect(await client.pipeline().exec()).toEqual([]);
  });

  it('sends 10,000 commands in one exec and matches every reply to its slot', async () => {
    const pipe = client.pipeline();
    for (let i = 0; i < 5_000; i++) pipe.set(`p:k:${i}`, `v${i}`);
    for (let i = 0; i < 5_000; i++) pipe.get(`p:k:${i}`);
    expect(pipe.length).toBe(10_000);
    const conn = await client.node.connection();
    const writesBefore = conn.stats.writes;
    const results = await pipe.exec();
    expect(results).toHaveLength(10_000);
    for (let i = 0; i < 5_000; i++) {
      expect(results[i]).toBe('OK');
      expect(results[5_000 + i]).toBe(`v${i}`);
    }
    // One tick's commands leave together (the socket may split a write, the client does not).
    expect(conn.stats.writes - writesBefore).toBe(1);
    expect(pipe.length).toBe(0);
  });

  it('re-sends read-only commands after the connection is killed, never the writes', async () => {
    await client.set('p:r', 'kept');
    await client.sendCommand(['DEL', 'p:list']);
    const conn = await client.node.connection();
    // DEBUG SLEEP holds the server so the cut lands while the batch is unanswered.
    const pipe = client
      .pipeline()
      .sendCommand(['DEBUG', 'SLEEP', '0.2'])
      .sendCommand(['RPUSH', 'p:list', 'x'])
      .get('p:r');
    const pending = pipe.exec();
    await new Promise((resolve) => setTimeout(resolve, 50));
    conn.destroy(new ConnectionError('cut by the test'));
    const results = await pending;
    // DEBUG SLEEP and RPUSH may have run: their slots say so; GET is read-only and was re-sent.
    expect(results[0]).toBeInstanceOf(ConnectionError);
    expect((results[0] as ConnectionError).mayHaveExecuted).toBe(true);
    expect(results[1]).toBeInstanceOf(ConnectionError);
    expect(results[2]).toBe('kept');
  });

  it('runs a batch with a blocking command on a pooled connection, not the shared one', async () => {
    await client.sendCommand(['DEL', 'p:q']);
    await client.set('p:before', '1');
    const blocked = client.pipeline().set('p:before', '1').sendCommand(['BLPOP', 'p:q', '2']).exec();
    // The shared connection stays free while the batch blocks.
    for (let i = 0; i < 20; i++) expect(await client.get('p:before')).toBe('1');
    await other.sendCommand(['RPUSH', 'p:q', 'item']);
    expect(await blocked).toEqual(['OK', ['p:q', 'item']]);
  });

  it('refuses subscriber-mode commands at queue time', () => {
    expect(() => client.pipeline().sendCommand(['SUBSCRIBE', 'ch'])).toThrow(
      /SUBSCRIBE cannot run in a pipeline/,
    );
  });
});
