// MULTI ... EXEC against real servers (redis 7.0.15 and valkey 8.0.1, RESP2 and RESP3): the typed
// tuple of EXEC's replies, runtime errors in their slots, EXECABORT with the queued command's
// error as cause, NO_MULTI and transaction commands refused, scripts inside.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RedisClient } from '../../src/client/client.js';
import { defineScript } from '../../src/client/script.js';
import { ExecAbortError, ReplyError, WrongTypeError } from '../../src/errors.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe.each([
  ['redis', 2],
  ['redis', 3],
  ['valkey', 2],
  ['valkey', 3],
] as const)('multi on %s RESP%i', (flavour, protocol) => {
  let server: TestServer;
  let client: RedisClient;

  beforeAll(async () => {
    server = await startServer({ flavour });
    client = createClient({ url: server.url, protocol });
  });
  afterAll(async () => {
    await client?.close();
    await server?.stop();
  });

  it('resolves with the replies of EXEC in order, normalised per command', async () => {
    await client.sendCommand(['DEL', 'm:a', 'm:n']);
    const results = await client.multi().set('m:a', 'v').get('m:a').incr('m:n').incr('m:n').exec();
    expect(results).toEqual(['OK', 'v', 1, 2]);
    expect(await client.multi().exec()).toEqual([]);
  });

  it('keeps a runtime error in its slot; the rest of the transaction ran', async () => {
    await client.set('m:s', 'text');
    const results = await client.multi().sendCommand(['LPUSH', 'm:s', 'x']).set('m:after', 'ran').exec();
    expect(results[0]).toBeInstanceOf(WrongTypeError);
    expect((results[0] as ReplyError).command).toBe('LPUSH');
    expect(results[1]).toBe('OK');
    expect(await client.get('m:after')).toBe('ran');
  });

  it('rejects with ExecAbortError whose cause is the refused queued command; nothing ran', async () => {
    await client.sendCommand(['DEL', 'm:never']);
    const error = await client
      .multi()
      .set('m:never', 'x')
      .sendCommand(['GET'])
      .exec()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExecAbortError);
    const cause = (error as ExecAbortError).cause;
    expect(cause).toBeInstanceOf(ReplyError);
    expect((cause as ReplyError).command).toBe('GET');
    expect(await client.get('m:never')).toBeNull();
  });

  it('refuses NO_MULTI and transaction-control commands when they are queued', () => {
    const tx = client.multi();
    expect(() => tx.sendCommand(['WATCH', 'k'])).toThrow(/WATCH cannot be queued/);
    expect(() => tx.sendCommand(['MULTI'])).toThrow(/MULTI cannot be queued/);
    expect(() => tx.sendCommand(['EXEC'])).toThrow(/EXEC cannot be queued/);
    expect(() => tx.sendCommand(['SUBSCRIBE', 'c'])).toThrow(/SUBSCRIBE cannot run in a transaction/);
  });

  it('runs a script inside the transaction even after SCRIPT FLUSH (loaded before MULTI)', async () => {
    const script = defineScript<number>("return redis.call('INCRBY', KEYS[1], ARGV[1])");
    await client.sendCommand(['DEL', 'm:script']);
    await client.sendCommand(['SCRIPT', 'FLUSH']);
    const results = await client.multi().runScript(script, ['m:script'], [5]).get('m:script').exec();
    expect(results).toEqual([5, '5']);
  });

  it('does not interleave with other callers on the shared connection', async () => {
    await client.sendCommand(['DEL', 'm:c']);
    const all = await Promise.all([
      client.incr('m:c'),
      client.multi().incr('m:c').incr('m:c').exec(),
      client.incr('m:c'),
      client.multi().incr('m:c').incr('m:c').exec(),
    ]);
    expect(all).toEqual([1, [2, 3], 4, [5, 6]]);
  });
});
