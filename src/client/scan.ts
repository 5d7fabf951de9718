// SCAN, HSCAN, SSCAN and ZSCAN as async iterators over the generated methods: the cursor the
// server returns (a string: it may exceed 2^53) is passed back until it is 0. SCAN guarantees
// every element present for the whole iteration is returned at least once, but may return one
// several times (rehashing); by default the iterator skips repeats with a Set of what it has
// yielded, so memory grows with the number of distinct items; `dedupe: false` streams in constant
// memory and may repeat.
import type { RedisKey } from '../../generated/executor.js';
import type { AllCommands } from '../../generated/index.js';
import { ProtocolError } from '../errors.js';
import { parseDouble } from '../reply/normalize.js';
import type { CallOptions } from '../runner/command.js';

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
type ScanCommands = Pick<AllCommands<'promise'>, 'scan' | 'hscan' | 'sscan' | 'zscan'>;

/** A client or view whose scan commands the iterators call, with their own Buffer choice. */
export interface ScanHost {
  withOptions(options: CallOptions): ScanCommands;
}

/** One page: the next cursor and the items (Buffers when the view returns Buffers). */
type Page = readonly [Item, readonly Item[]];
type Step = (
  cursor: string,
  view: ScanCommands,
  options: { match?: RedisKey; count?: number },
) => Promise<unknown>;

function cursorText(value: unknown, command: string): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString('latin1');
  throw new ProtocolError(`${command}: the reply has no cursor`);
}

/** Follows the cursor, yielding each page's items `width` at a time (1, or 2 for pairs). */
async function* pages(
  host: ScanHost,
  name: 'SCAN' | 'HSCAN' | 'SSCAN' | 'ZSCAN',
  step: Step,
  options: ScanOptions,
  width: 1 | 2,
): AsyncGenerator<Item[]> {
  if (options.count !== undefined && (!Number.isInteger(options.count) || options.count < 1)) {
    throw new RangeError(`${name}: count must be an integer >= 1`);
  }
  const view = host.withOptions({ returnBuffers: options.buffers === true });
  const tail = {
    ...(options.match === undefined ? {} : { match: options.match }),
    ...(options.count === undefined ? {} : { count: options.count }),
  };
  const seen = options.dedupe === false ? undefined : new Set<string>();
  let cursor = '0';
  do {
    const reply = (await step(cursor, view, tail)) as Page;
    if (!Array.isArray(reply) || reply.length !== 2 || !Array.isArray(reply[1])) {
      throw new ProtocolError(`${name}: the reply is not [cursor, items]`);
    }
    cursor = cursorText(reply[0], name);
    const items = reply[1];
    for (let i = 0; i + width <= items.length; i += width) {
      const item = items.slice(i, i + width);
      if (seen !== undefined) {
        const first = item[0] as Item;
        const id = Buffer.isBuffer(first) ? first.toString('latin1') : first;
        if (seen.has(id)) continue;
        seen.add(id);
      }
      yield item;
    }
  } while (cursor !== '0');
}

export async function* scanKeys(
  host: ScanHost,
  options: KeyScanOptions = {},
): AsyncGenerator<Item, void, undefined> {
  const type = options.type;
  const step: Step = (cursor, view, tail) => view.scan(cursor, type === undefined ? tail : { ...tail, type });
  for await (const [key] of pages(host, 'SCAN', step, options, 1)) yield key as Item;
}

export async function* scanSet(
  host: ScanHost,
  key: RedisKey,
  options: ScanOptions = {},
): AsyncGenerator<Item, void, undefined> {
  const step: Step = (cursor, view, tail) => view.sscan(key, cursor, tail);
  for await (const [member] of pages(host, 'SSCAN', step, options, 1)) yield member as Item;
}

export async function* scanHash(
  host: ScanHost,
  key: RedisKey,
  options: ScanOptions = {},
): AsyncGenerator<[Item, Item], void, undefined> {
  const step: Step = (cursor, view, tail) => view.hscan(key, cursor, tail);
  for await (const [field, value] of pages(host, 'HSCAN', step, options, 2))
    yield [field as Item, value as Item];
}

export async function* scanSortedSet(
  host: ScanHost,
  key: RedisKey,
  options: ScanOptions = {},
): AsyncGenerator<[Item, number], void, undefined> {
  const step: Step = (cursor, view, tail) => view.zscan(key, cursor, tail);
  for await (const [member, score] of pages(host, 'ZSCAN', step, options, 2)) {
    yield [member as Item, typeof score === 'number' ? score : parseDouble(score as Item)];
  }
}
