// Scenario 7: a pipeline of 1,000 commands whose connection the fault proxy resets right after the
// bytes of the first 400 replies. The first 400 slots hold their own replies; of the other 600,
// writes hold a ConnectionError saying they may have executed and are never re-sent (the server's
// call count and an RPUSH journal of distinct values prove it), while read-only commands are re-sent
// on a new connection and each slot holds its own key's value.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClient, type RedisClient } from '../../src/client/client.js';
import { Connection } from '../../src/connection/connection.js';
import { ConnectionError } from '../../src/errors.js';
import { startServer, type TestServer } from '../helpers/server.js';
import { FaultProxy, type Link } from './helpers/fault-proxy.js';

const TOTAL = 1_000;
const CUT_AFTER = 400;

let server: TestServer;
let proxy: FaultProxy;
let admin: Connection;

beforeAll(async () => {
  server = await startServer();
  proxy = await FaultProxy.start(server.port);
  admin = await Connection.connect({ port: server.port });
});
afterAll(async () => {
  admin.destroy();
  await proxy.close();
  await server.stop();
});

/** One slot of the pipeline: a write (RPUSH of a distinct value) or a read (GET of a preset key). */
type Slot = { kind: 'write'; value: string; count: number } | { kind: 'read'; key: string; value: string };

/** RESP3 bytes of a slot's reply: `:count` for RPUSH, a bulk string for GET. */
function replyBytes(slot: Slot): number {
  if (slot.kind === 'write') return `:${slot.count}\r\n`.length;
  const length = Buffer.byteLength(slot.value);
  return `$${length}\r\n`.length + length + 2;
}

/** Server-side call counts per command (INFO commandstats), to see what was sent how often. */
async function calls(): Promise<Record<string, number>> {
  const info = String(await admin.send('INFO', ['INFO', 'commandstats']));
  const counts: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm))
    counts[match[1] as string] = Number(match[2]);
  return counts;
}

/**
 * Runs `slots` as one pipeline through the proxy with the reply direction reset after the first
 * CUT_AFTER replies (counted from the end of the handshake), and returns the settled tuple.
 */
async function runCut(
  label: string,
  journal: string,
  slots: readonly Slot[],
): Promise<{ results: unknown[]; connections: number; resends: Record<string, number> }> {
  const client: RedisClient = createClient({ host: proxy.host, port: proxy.port });
  let errorEvents = 0;
  client.on('error', () => (errorEvents += 1));
  try {
    await client.connect();
    const links = [...proxy.links];
    expect(links).toHaveLength(1);
    const link = links[0] as Link;
    const cutAt = link.downBytes + slots.slice(0, CUT_AFTER).reduce((sum, slot) => sum + replyBytes(slot), 0);
    // The cut applies to this link only: the first reply bytes on any later link switch it off,
    // before that chunk is forwarded.
    proxy.set({
      cutAfterBytes: cutAt,
      loss: (_chunk, other) => {
        if (other !== link) proxy.set({ cutAfterBytes: Infinity, loss: undefined });
        return 'pass';
      },
    });
    const accepted = proxy.accepted;
    const resets = proxy.resets;
    const before = await calls();
    const pipe = client.pipeline();
    for (const slot of slots) {
      if (slot.kind === 'write') pipe.rpush(journal, slot.value);
      else pipe.get(slot.key);
    }
    const started = performance.now();
    const results: unknown[] = await pipe.exec();
    const elapsed = performance.now() - started;
    const after = await calls();
    const resends = {
      rpush: (after.rpush ?? 0) - (before.rpush ?? 0),
      get: (after.get ?? 0) - (before.get ?? 0),
    };
    const connections = proxy.accepted - accepted;
    const failed = results.filter((r) => r instanceof ConnectionError).length;
    console.info(
      `[scenario 7] ${label}: ${slots.length} commands in ${elapsed.toFixed(0)} ms, cut at ${cutAt} reply bytes ` +
        `(${proxy.resets - resets} reset), ${results.length - failed} replies, ${failed} ConnectionError, ` +
        `server calls ${JSON.stringify(resends)}, ${connections} new connection(s), ${errorEvents} error event(s)`,
    );
    expect(proxy.resets - resets).toBe(1);
    return { results, connections, resends };
  } finally {
    proxy.clear();
    await client.close();
  }
}

/** Asserts a failed write slot: an unknown-outcome ConnectionError named by its command. */
function expectUnknownOutcome(result: unknown): void {
  expect(result).toBeInstanceOf(ConnectionError);
  const error = result as ConnectionError;
  expect(error.mayHaveExecuted).toBe(true);
  expect(error.command).toBe('RPUSH');
  expect(error.message).toContain('may have executed');
}

/** The journal: every value at most once, and none the pipeline did not send. */
async function expectJournal(journal: string, sent: ReadonlySet<string>): Promise<string[]> {
  const list = (await admin.send('LRANGE', ['LRANGE', journal, 0, -1])) as string[];
  expect(new Set(list).size).toBe(list.length);
  expect(list.length).toBeLessThanOrEqual(sent.size);
  expect(list.filter((value) => !sent.has(value))).toEqual([]);
  return list;
}

/** Presets the keys of the read slots (directly on the server, not through the proxy). */
async function preset(slots: readonly Slot[]): Promise<void> {
  const args: string[] = ['MSET'];
  for (const slot of slots) if (slot.kind === 'read') args.push(slot.key, slot.value);
  if (args.length > 1) expect(await admin.send('MSET', args)).toBe('OK');
}

function writes(prefix: string, count: number): Slot[] {
  return Array.from({ length: count }, (_, i) => ({ kind: 'write', value: `${prefix}:${i}`, count: i + 1 }));
}

describe('scenario 7: pipeline of 1,000 with the connection cut after 400 replies', () => {
  it('writes: the 400 resolve, the 600 reject as unknown-outcome and are never re-sent', async () => {
    const journal = 'cut:writes';
    const slots = writes('w', TOTAL);
    const { results, resends } = await runCut('1,000 RPUSH', journal, slots);
    expect(results).toHaveLength(TOTAL);
    for (let i = 0; i < CUT_AFTER; i++) expect(results[i]).toBe(i + 1);
    for (let i = CUT_AFTER; i < TOTAL; i++) expectUnknownOutcome(results[i]);
    // The server received the whole batch once: 1,000 RPUSH calls, not 1,600.
    expect(resends.rpush).toBe(TOTAL);
    const list = await expectJournal(journal, new Set(slots.map((s) => (s.kind === 'write' ? s.value : ''))));
    expect(list.slice(0, CUT_AFTER)).toEqual(
      slots.slice(0, CUT_AFTER).map((s) => (s as { value: string }).value),
    );
  });

  it('reads: the 600 are re-sent on a new connection and each gets its own value', async () => {
    const slots: Slot[] = Array.from({ length: TOTAL }, (_, i) => ({
      kind: 'read',
      key: `cut:r:${i}`,
      value: `value:${i}:${'x'.repeat(i % 23)}`,
    }));
    await preset(slots);
    const { results, connections, resends } = await runCut('1,000 GET', '', slots);
    expect(results).toEqual(slots.map((s) => (s as { value: string }).value));
    expect(resends.get).toBe(TOTAL + (TOTAL - CUT_AFTER));
    expect(connections).toBe(1);
  });

  it('mixed: reads after the cut are re-sent, writes after it are unknown-outcome', async () => {
    const journal = 'cut:mixed';
    let pushes = 0;
    const slots: Slot[] = Array.from({ length: TOTAL }, (_, i) =>
      i % 3 === 0
        ? { kind: 'write', value: `m:${i}`, count: ++pushes }
        : { kind: 'read', key: `cut:m:${i}`, value: `mixed:${i}:${'y'.repeat(i % 11)}` },
    );
    await preset(slots);
    const { results, resends } = await runCut('mixed 1,000 RPUSH/GET', journal, slots);
    let unknown = 0;
    let reread = 0;
    slots.forEach((slot, i) => {
      if (slot.kind === 'read') {
        expect(results[i]).toBe(slot.value);
        if (i >= CUT_AFTER) reread += 1;
      } else if (i < CUT_AFTER) {
        expect(results[i]).toBe(slot.count);
      } else {
        expectUnknownOutcome(results[i]);
        unknown += 1;
      }
    });
    expect(unknown).toBe(slots.slice(CUT_AFTER).filter((s) => s.kind === 'write').length);
    expect(resends).toEqual({ rpush: pushes, get: TOTAL - pushes + reread });
    const sent = new Set(slots.flatMap((s) => (s.kind === 'write' ? [s.value] : [])));
    expect(await expectJournal(journal, sent)).toHaveLength(pushes);
  });
});
