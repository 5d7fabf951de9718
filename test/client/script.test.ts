// Scripts against real servers: EVALSHA with a transparent EVAL fallback after SCRIPT FLUSH,
// read-only scripts (EVALSHA_RO), scripts in pipelines after a flush, and FCALL / FCALL_RO from the
// generated layer on a loaded function library.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RedisClient } from '../../src/client/client.js';
import { defineScript } from '../../src/client/script.js';
import { ReplyError } from '../../src/errors.js';
import { startServer, type TestServer } from '../helpers/server.js';

describe.each([
  ['redis', 2],
  ['redis', 3],
  ['valkey', 2],
  ['valkey', 3],
] as const)('scripts on %s RESP%i', (flavour, protocol) => {
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

  it('runs by SHA1 and falls back to EVAL once after SCRIPT FLUSH', async () => {
    const script = client.script<number>("return redis.call('INCRBY', KEYS[1], ARGV[1])");
    expect(script.sha1).toMatch(/^[0-9a-f]{40}$/);
    await client.sendCommand(['DEL', 's:n']);
    await client.sendCommand(['SCRIPT', 'FLUSH']);
    expect(await script.run(['s:n'], [2])).toBe(2);
    // EVAL cached it again: the SHA is known now.
    expect(await client.sendCommand(['SCRIPT', 'EXISTS', script.sha1])).toEqual([1]);
    expect(await script.run(['s:n'], [3])).toBe(5);
    await client.sendCommand(['SCRIPT', 'FLUSH']);
    expect(await script.run(['s:n'], [1])).toBe(6);
  });

  it('sends read-only scripts as EVALSHA_RO, which refuse writes', async () => {
    const reader = client.script<string | null>("return redis.call('GET', KEYS[1])", { readonly: true });
    await client.set('s:r', 'value');
    expect(await reader.run(['s:r'])).toBe('value');
    const writer = client.script("return redis.call('SET', KEYS[1], 'x')", { readonly: true });
    await expect(writer.run(['s:r'])).rejects.toBeInstanceOf(ReplyError);
  });

  it('runs scripts in a pipeline after SCRIPT FLUSH, in order', async () => {
    const script = defineScript<number>("return redis.call('INCR', KEYS[1])");
    await client.sendCommand(['DEL', 's:p']);
    await client.sendCommand(['SCRIPT', 'FLUSH']);
    const results = await client
      .pipeline()
      .runScript(script, ['s:p'])
      .get('s:p')
      .runScript(script, ['s:p'])
      .exec();
    expect(results).toEqual([1, '1', 2]);
  });

  it('surfaces a script error as a ReplyError naming the command', async () => {
    const broken = client.script("return redis.call('NOPE')");
    const error = await broken.run().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ReplyError);
    expect((error as ReplyError).command).toMatch(/^EVAL/);
  });

  it('calls functions with FCALL and FCALL_RO', async () => {
    const library = [
      '#!lua name=redspectest',
      "redis.register_function('bump', function(keys, args) return redis.call('INCRBY', keys[1], args[1]) end)",
      "redis.register_function{function_name='peek', callback=function(keys) return redis.call('GET', keys[1]) end, flags={'no-writes'}}",
    ].join('\n');
    await client.sendCommand(['FUNCTION', 'LOAD', 'REPLACE', library]);
    await client.sendCommand(['DEL', 's:f']);
    expect(await client.fcall('bump', { keys: ['s:f'], arguments: ['4'] })).toBe(4);
    expect(await client.fcallRo('peek', { keys: ['s:f'] })).toBe('4');
  });
});
