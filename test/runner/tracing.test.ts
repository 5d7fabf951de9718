// Tracing on node:diagnostics_channel: start/end/error events for a command, a pipeline, a MULTI
// and a failed connect, with OpenTelemetry's attribute names; values redacted by the command
// table (keys and tokens kept), opt-in full text; and no canary value (a stored value, a
// password) in any event.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/runner/build.js';
import { commandChannel, queryText, traced, type TraceContext } from '../../src/runner/tracing.js';
import { createClient, WrongTypeError } from '../../src/index.js';
import { freePort, startServer, type TestServer } from '../helpers/server.js';

const CANARY = 'canary-7f3a91';
const names = ['start', 'end', 'asyncStart', 'asyncEnd', 'error'] as const;

interface Seen {
  channel: string;
  event: string;
  ctx: TraceContext;
}

function record(channels: readonly string[]): { seen: Seen[]; stop(): void } {
  const seen: Seen[] = [];
  const handlers: [string, (message: unknown) => void][] = [];
  for (const channel of channels) {
    for (const event of names) {
      const name = `tracing:${channel}:${event}`;
      const handler = (message: unknown) =>
        seen.push({ channel, event, ctx: { ...(message as TraceContext) } });
      subscribe(name, handler);
      handlers.push([name, handler]);
    }
  }
  return { seen, stop: () => handlers.forEach(([name, handler]) => unsubscribe(name, handler)) };
}

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ args: ['--requirepass', CANARY] });
});
afterAll(async () => {
  await server.stop();
});

describe('query text redaction by the command table', () => {
  it('keeps the name, keys and tokens; values become ?', () => {
    const set = build.set('user:1', 'secret', { EX: 10, NX: true });
    expect(queryText(set.info, set.args, false)).toBe('SET user:1 ? NX EX ?');
    const hset = build.hset('h', [{ field: 'f', value: 'v' }]);
    expect(queryText(hset.info, hset.args, false)).toBe('HSET h ? ?');
    const kill = build.clientKill({ newFormat: [{ TYPE: 'normal' }, { USER: 'alice' }] });
    // NORMAL is one of TYPE's tokens: kept; a user name is a value.
    expect(queryText(kill.info, kill.args, false)).toBe('CLIENT KILL TYPE NORMAL USER ?');
    expect(queryText(set.info, set.args, true)).toBe('SET user:1 secret NX EX 10');
  });

  it('keeps every key of a long command, and none when the arguments contradict the key specs', () => {
    // 20 keys: past the point where the kept positions are looked up in a Set.
    const pairs = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `secret${i}` }));
    const mset = build.mset(pairs);
    expect(queryText(mset.info, mset.args, false)).toBe(`MSET ${pairs.map((p) => `${p.key} ?`).join(' ')}`);
    const keys = pairs.map((p) => p.key);
    const del = build.del(...keys);
    expect(queryText(del.info, del.args, false)).toBe(`DEL ${keys.join(' ')}`);
    // EVAL's key count says 3, but only one key follows: no key is kept rather than a guess.
    const evalInfo = build.eval('return 1', { keys: ['a'] }).info;
    expect(queryText(evalInfo, ['EVAL', 'return 1', '3', 'a'], false)).toBe('EVAL ? ? ?');
  });

  it('is not built while no one subscribes', () => {
    expect(traced(commandChannel)).toBe(false);
  });
});

describe('trace events', () => {
  it('a command: start and end with the span attributes, an error with its status code', async () => {
    const r = createClient({ port: server.port, password: CANARY });
    await r.connect();
    const { seen, stop } = record(['redspec:command']);
    try {
      await r.set('trace:k', CANARY);
      expect(await r.get('trace:k')).toBe(CANARY);
      await expect(r.hset('trace:k', [{ field: 'f', value: CANARY }])).rejects.toBeInstanceOf(WrongTypeError);
    } finally {
      stop();
      await r.close();
    }
    const starts = seen.filter((s) => s.event === 'start').map((s) => s.ctx);
    expect(starts.map((c) => c['db.query.text'])).toEqual([
      'SET trace:k ?',
      'GET trace:k',
      'HSET trace:k ? ?',
    ]);
    expect(starts[0]).toMatchObject({
      'db.system.name': 'redis',
      'db.operation.name': 'SET',
      'db.namespace': '0',
      'server.address': '127.0.0.1',
      'server.port': server.port,
    });
    expect(seen.filter((s) => s.event === 'asyncEnd')).toHaveLength(3);
    const errors = seen.filter((s) => s.event === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.ctx['db.response.status_code']).toBe('WRONGTYPE');
    expect(JSON.stringify(seen)).not.toContain(CANARY);
  });

  it('a pipeline and a MULTI: one batch span each, with the batch size and every line redacted', async () => {
    const r = createClient({ port: server.port, password: CANARY });
    const { seen, stop } = record(['redspec:batch', 'redspec:command']);
    try {
      await r.pipeline().set('trace:a', CANARY).get('trace:a').exec();
      await r.multi().set('trace:b', CANARY).incr('trace:n').exec();
    } finally {
      stop();
      await r.close();
    }
    const batches = seen
      .filter((s) => s.channel === 'redspec:batch' && s.event === 'start')
      .map((s) => s.ctx);
    expect(
      batches.map((c) => [c['db.operation.name'], c['db.operation.batch.size'], c['db.query.text']]),
    ).toEqual([
      ['PIPELINE', 2, 'SET trace:a ?\nGET trace:a'],
      ['MULTI', 2, 'SET trace:b ?\nINCR trace:n'],
    ]);
    expect(seen.filter((s) => s.channel === 'redspec:batch' && s.event === 'asyncEnd')).toHaveLength(2);
    expect(JSON.stringify(seen)).not.toContain(CANARY);
  });

  it('a connect: start and end; a failed one an error, naming no secret', async () => {
    const { seen, stop } = record(['redspec:connect']);
    const port = await freePort();
    try {
      const ok = createClient({ port: server.port, password: CANARY });
      await ok.connect();
      await ok.close();
      const bad = createClient({ port, password: CANARY, offlineQueueTimeout: 500 });
      bad.on('error', () => {});
      await expect(bad.get('x')).rejects.toThrow();
      bad.disconnect();
    } finally {
      stop();
    }
    const good = seen.filter((s) => s.ctx['server.port'] === server.port);
    expect(good.map((s) => s.event)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
    expect(good[0]?.ctx['db.operation.name']).toBe('CONNECT');
    const failed = seen.filter((s) => s.ctx['server.port'] === port && s.event === 'error');
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]?.ctx['db.response.status_code']).toBe('ConnectionError');
    expect(JSON.stringify(seen.map((s) => ({ ...s.ctx, error: String(s.ctx.error) })))).not.toContain(CANARY);
  });

  it('shows values only when the client opts in (traceValues: true)', async () => {
    const r = createClient({ port: server.port, password: CANARY, traceValues: true });
    const { seen, stop } = record(['redspec:command']);
    try {
      await r.set('trace:v', 'shown');
    } finally {
      stop();
      await r.close();
    }
    expect(seen.find((s) => s.event === 'start')?.ctx['db.query.text']).toBe('SET trace:v shown');
  });
});
