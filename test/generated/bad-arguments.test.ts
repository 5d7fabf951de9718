// Every generated method, called with a wrong-type first argument, returns a rejected promise (never
// a synchronous throw) with a TypeError naming the command and the parameter; nothing reaches the
// server. The method list and parameter names come from the generator's own model of spec/.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSpecDir } from '../../codegen/load.js';
import { mergedFiles } from '../../codegen/merge.js';
import { buildModel } from '../../codegen/model/index.js';
import type { RedisClient } from '../../src/index.js';
import { useClientOnServer } from '../helpers/client-on-server.js';

interface Case {
  method: string;
  command: string;
  /** The parameter the bad value lands in. */
  parameter: string;
  /** Arguments: the bad value, preceded by nothing (first parameter) or alone as the options. */
  args: unknown[];
}

const SUBSCRIBERS = new Set(['SUBSCRIBE', 'PSUBSCRIBE', 'SSUBSCRIBE', 'UNSUBSCRIBE', 'PUNSUBSCRIBE', 'SUNSUBSCRIBE']);

async function cases(): Promise<Case[]> {
  const spec = await loadSpecDir('spec');
  if (spec.source === undefined) throw new Error('spec/SOURCE.json is missing');
  const model = buildModel({
    files: mergedFiles(spec),
    overrides: spec.overrides.flatMap((o) => o.data.overrides),
    source: spec.source,
    also: (spec.also ?? []).flatMap((s) => (s.source === undefined ? [] : [s.source])),
  });
  const out: Case[] = [];
  for (const group of model.groups) {
    for (const c of group.commands) {
      const first = /^(?:\.\.\.)?(\w+)\??:/.exec(c.implementationParams)?.[1];
      if (first === undefined) continue; // no parameters: nothing can be wrong
      // The client's own subscribe family (a listener, a subscription table) replaces these.
      if (SUBSCRIBERS.has(c.name)) continue;
      // A symbol is no argument type at all; as the options parameter, a number is no object.
      const bad = first === 'options' ? 42 : Symbol('bad');
      out.push({ method: c.method, command: c.name, parameter: first, args: [bad] });
    }
  }
  return out;
}

const all = await cases();

describe('a wrong-type argument', () => {
  const on = useClientOnServer('valkey');
  let r: RedisClient;
  beforeAll(() => {
    r = on.client;
  });

  it('covers every method with a parameter', () => {
    expect(all.length).toBeGreaterThan(300);
  });

  it('is a rejected promise with a TypeError naming the command and the parameter', async () => {
    const before = await r.info({ sections: ['stats'] });
    const calls = before.match(/total_commands_processed:(\d+)/)?.[1];
    const methods = r as unknown as Record<string, (...args: unknown[]) => unknown>;
    const failures: string[] = [];
    for (const c of all) {
      let result: unknown;
      try {
        result = methods[c.method]?.(...c.args);
      } catch (error) {
        failures.push(`${c.method}: threw synchronously: ${String(error)}`);
        continue;
      }
      if (!(result instanceof Promise)) {
        failures.push(`${c.method}: returned ${String(result)}`);
        continue;
      }
      const error: unknown = await result.then(
        () => undefined,
        (e: unknown) => e,
      );
      const prefix = `${c.command} ${c.parameter}: expected `;
      if (!(error instanceof TypeError) || !error.message.startsWith(prefix)) {
        failures.push(`${c.method}: ${error instanceof Error ? error.message : String(error)} (wanted "${prefix}...")`);
      }
    }
    expect(failures).toEqual([]);
    // Nothing was sent: the INFO call after is the only command since the INFO before.
    const after = await r.info({ sections: ['stats'] });
    expect(Number(after.match(/total_commands_processed:(\d+)/)?.[1])).toBe(Number(calls) + 1);
  });

  it('says what was expected and what was given', async () => {
    await expect(r.hset('h', undefined as never)).rejects.toThrow(
      new TypeError('HSET data: expected an object, a Map or an array of { field, value }; got undefined'),
    );
    await expect(r.set('k', { v: 1 } as never)).rejects.toThrow(
      new TypeError('SET value: expected a string, Buffer or number; got an object'),
    );
    await expect(r.expire('k', 1.5)).rejects.toThrow(new TypeError('EXPIRE seconds: expected an integer; got number 1.5'));
    await expect(r.zrange('z', 0, -1, { limit: { offset: 0, count: 'x' as never } })).rejects.toThrow(
      new TypeError('ZRANGE limit.count: expected an integer; got a string'),
    );
    await expect(r.rpush('l', 'a', [Symbol('s') as never])).rejects.toThrow(
      'RPUSH elements: expected a string, Buffer or number; got a symbol',
    );
  });

  it('refuses an options key the command does not know rather than ignoring it', async () => {
    await expect(r.set('k', 'v', { ex: 10 } as never)).rejects.toThrow(
      new TypeError("SET options: unknown key 'ex' (known: NX, XX, IFEQ, get, EX, PX, EXAT, PXAT, KEEPTTL)"),
    );
    // A key given as undefined is the same as absent.
    expect(await r.set('k', 'v', { EX: undefined })).toBe('OK');
  });

  it('fails a pipeline or a transaction before anything is sent', async () => {
    const pipeline = r.pipeline().set('p:1', 'v').set('p:2', Symbol('bad') as never);
    await expect(pipeline.exec()).rejects.toThrow('SET value: expected');
    expect(await r.exists('p:1')).toBe(0);
    const multi = r.multi().set('p:1', 'v').incrby('p:1', 'x' as never);
    await expect(multi.exec()).rejects.toThrow('INCRBY increment: expected an integer; got a string');
    expect(await r.exists('p:1')).toBe(0);
  });
});
