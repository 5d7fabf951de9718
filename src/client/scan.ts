// SCAN, HSCAN, SSCAN and ZSCAN as async iterators: the cursor is followed internally until the
// server returns 0. SCAN guarantees every element present for the whole iteration is returned at
// least once, but may return one several times (rehashing); by default the iterator skips
// repeats with a Set of what it has yielded, so memory grows with the number of distinct items
// (about the items themselves); `dedupe: false` streams in constant memory and may repeat.
import type { RedisArgument, RedisKey, ReplyShape } from '../../generated/executor.js';
import { ProtocolError } from '../errors.js';
import { parseDouble } from '../reply/normalize.js';
import type { RespValue } from '../resp/types.js';
import { tableEntry, type BatchHost } from './batch.js';

const ANY: ReplyShape = { kind: 'any' };

export interface ScanOptions {
  /** Glob-style pattern (MATCH); applied by the server after fetching, so pages may be empty. */
  match?: RedisKey;
  /** Work hint per call (COUNT; default the server's, 10). */
  count?: number;
  /** Skip items already yielded (default true; memory grows with distinct items). */
  dedupe?: boolean;
  /** Items (and fields, members) as Buffers instead of UTF-8 strings. */
  buffers?: boolean;
}

export interface KeyScanOptions extends ScanOptions {
  /** Only keys of this type (TYPE: string, list, set, zset, hash, stream, or a module type). */
  type?: string;
}

type Item = string | Buffer;

function text(value: RespValue | undefined, command: string): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  throw new ProtocolError(`${command}: the reply has no cursor`);
}

/** Follows the cursor, yielding each page's items `width` at a time (1, or 2 for pairs). */
async function* pages(
  host: BatchHost,
  name: 'SCAN' | 'HSCAN' | 'SSCAN' | 'ZSCAN',
  key: RedisKey | undefined,
  options: KeyScanOptions,
  width: 1 | 2,
): AsyncGenerator<RespValue[]> {
  const info = tableEntry(name);
  const tail: RedisArgument[] = [];
  if (options.match !== undefined) tail.push('MATCH', options.match);
  if (options.count !== undefined) {
    if (!Number.isInteger(options.count) || options.count < 1)
      throw new RangeError(`${name}: count must be an integer >= 1`);
    tail.push('COUNT', options.count);
  }
  if (options.type !== undefined) tail.push('TYPE', options.type);
  const call = { ...host.callOptions, returnBuffers: options.buffers === true };
  const seen = options.dedupe === false ? undefined : new Set<string>();
  let cursor = '0';
  do {
    const args: RedisArgument[] = key === undefined ? [name, cursor, ...tail] : [name, key, cursor, ...tail];
    const reply = (await host.core.execute(info, args, ANY, call)) as RespValue;
    if (!Array.isArray(reply) || reply.length !== 2 || !Array.isArray(reply[1])) {
      throw new ProtocolError(`${name}: the reply is not [cursor, items]`);
    }
    cursor = text(reply[0], name);
    const items = reply[1];
    for (let i = 0; i + width <= items.length; i += width) {
      const item = items.slice(i, i + width);
      if (seen !== undefined) {
        const first = item[0] as RespValue;
        const id = Buffer.isBuffer(first) ? first.toString('latin1') : String(first);
        if (seen.has(id)) continue;
        seen.add(id);
      }
      yield item;
    }
  } while (cursor !== '0');
}

export async function* scanKeys(
  host: BatchHost,
  options: KeyScanOptions = {},
): AsyncGenerator<Item, void, undefined> {
  for await (const [key] of pages(host, 'SCAN', undefined, options, 1)) yield key as Item;
}

export async function* scanSet(
  host: BatchHost,
  key: RedisKey,
  options: ScanOptions = {},
): AsyncGenerator<Item, void, undefined> {
  for await (const [member] of pages(host, 'SSCAN', key, options, 1)) yield member as Item;
}

export async function* scanHash(
  host: BatchHost,
  key: RedisKey,
  options: ScanOptions = {},
): AsyncGenerator<[Item, Item], void, undefined> {
  for await (const [field, value] of pages(host, 'HSCAN', key, options, 2))
    yield [field as Item, value as Item];
}

export async function* scanSortedSet(
  host: BatchHost,
  key: RedisKey,
  options: ScanOptions = {},
): AsyncGenerator<[Item, number], void, undefined> {
  for await (const [member, score] of pages(host, 'ZSCAN', key, options, 2)) {
    const value = score as RespValue;
    yield [member as Item, typeof value === 'number' ? value : parseDouble(value as Item)];
  }
}
