// The merged surface's reply schemas (Valkey 8.1.1 ∪ Redis 8.0.2, or an override's) against what the server
// releases the tests run actually answer (redis-server 7.0.15, valkey-server 8.0.1), over RESP3: a
// reply type is only as good as the oldest server it is used with. Commands whose replies differ
// between releases (LATENCY LATEST, MEMORY STATS, ...) are the point of the list.
import { Ajv2019 } from 'ajv/dist/2019.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSpecDir } from '../../codegen/load.js';
import { mergedFiles } from '../../codegen/merge.js';
import { fullName } from '../../codegen/validate.js';
import { ReplyError } from '../../src/errors.js';
import type { RespValue } from '../../src/resp/types.js';
import { RawClient } from '../helpers/raw-client.js';
import { startServer, type TestServer } from '../helpers/server.js';

/**
 * Commands with their arguments (none whose reply type an argument chooses: those, XINFO STREAM FULL
 * among them, are in reply-corpus.test.ts); each must succeed on both releases.
 */
const CALLS: string[][] = [
  ['LATENCY', 'LATEST'],
  ['LATENCY', 'HISTORY', 'command'],
  ['MEMORY', 'STATS'],
  ['MEMORY', 'DOCTOR'],
  ['MEMORY', 'USAGE', 'h'],
  ['CONFIG', 'GET', 'maxmemory*'],
  ['CLIENT', 'INFO'],
  ['CLIENT', 'LIST'],
  ['CLIENT', 'TRACKINGINFO'],
  ['COMMAND', 'COUNT'],
  ['COMMAND', 'GETKEYS', 'SET', 'a', 'b'],
  ['SLOWLOG', 'GET'],
  ['ROLE'],
  ['TIME'],
  ['DBSIZE'],
  ['LASTSAVE'],
  ['FUNCTION', 'LIST'],
  ['FUNCTION', 'STATS'],
  ['PUBSUB', 'NUMSUB', 'x'],
  ['ACL', 'WHOAMI'],
  ['ACL', 'LOG'],
  ['HGETALL', 'h'],
  ['ZRANGE', 'z', '0', '-1'],
  ['XINFO', 'STREAM', 's'],
  ['OBJECT', 'ENCODING', 'h'],
  ['TYPE', 'h'],
];

/** The RESP3 value as the JSON a reply schema describes (maps as objects, Buffers as text). */
function json(value: RespValue): unknown {
  if (value instanceof Map) {
    return Object.fromEntries([...value].map(([k, v]) => [String(json(k)), json(v)]));
  }
  if (Array.isArray(value)) return value.map(json);
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'bigint') return Number(value);
  return value;
}

describe.each(['redis', 'valkey'] as const)('%s replies satisfy the merged reply schemas', (flavour) => {
  let server: TestServer;
  let client: RawClient;
  const schemas = new Map<string, unknown>();
  beforeAll(async () => {
    const spec = await loadSpecDir('spec');
    for (const f of mergedFiles(spec)) {
      if (f.command.reply_schema !== undefined) schemas.set(fullName(f.name, f.command), f.command.reply_schema);
    }
    // An override's reply schema is what the generator types the reply with.
    for (const o of spec.overrides.flatMap((file) => file.data.overrides)) {
      if (o.reply_schema !== undefined) schemas.set(o.command, o.reply_schema);
    }
    server = await startServer({ flavour, args: ['--latency-monitor-threshold', '1', '--enable-debug-command', 'yes'] });
    client = await RawClient.connect(server.port);
    await client.call('HELLO', '3');
    await client.call('HSET', 'h', 'f1', 'v1', 'f2', 'v2');
    await client.call('ZADD', 'z', '1', 'a');
    await client.call('XADD', 's', '*', 'f', 'v');
    await client.call('DEBUG', 'SLEEP', '0.01'); // a latency event for LATENCY LATEST/HISTORY
  });
  afterAll(async () => {
    client?.close();
    await server?.stop();
  });

  it.each(CALLS.map((c) => [c.join(' '), c] as const))('%s', async (_, call) => {
    const name = [call[0], call[1]].join(' ').toUpperCase();
    const key = schemas.has(name) ? name : (call[0] ?? '').toUpperCase();
    const schema = schemas.get(key);
    expect(schema, `${key} has a reply schema`).toBeDefined();
    const reply = await client.call(...call);
    expect(reply).not.toBeInstanceOf(ReplyError);
    const ajv = new Ajv2019({ strict: false, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema as object);
    const value = json(reply);
    expect(validate(value) ? '' : `${JSON.stringify(value).slice(0, 300)}\n${ajv.errorsText(validate.errors)}`).toBe('');
  });
});
