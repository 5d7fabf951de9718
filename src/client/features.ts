// The client methods beyond single commands: pipeline(), multi(), transaction(), script(), the
// SCAN-family iterators and pub/sub. Mixed into RedisClient after the generated commands (some
// names replace generated ones: MULTI and the SUBSCRIBE family have no meaning as one-shot
// promises). `this` is the client or a view of it, so a view's per-call options apply.
import type { RedisKey } from '../../generated/executor.js';
import type { PubSubListener } from '../pubsub/message.js';
import { existingSubscribers, subscriberFor, type PubSubEventTarget } from '../pubsub/registry.js';
import { MessageStream } from '../pubsub/stream.js';
import type { SubscriptionKind } from '../pubsub/message.js';
import type { RunnerHost } from './host.js';
import { createMulti, type Multi } from './multi.js';
import { createPipeline, type Pipeline } from './pipeline.js';
import {
  scanHash,
  scanKeys,
  scanSet,
  scanSortedSet,
  type KeyScanOptions,
  type ScanHost,
  type ScanOptions,
} from './scan.js';
import { BoundScript, type ScriptHost, type ScriptOptions } from './script.js';
import { runTransaction, type TransactionOptions, type TransactionScope } from './transaction.js';

/** Channels, patterns and shard channels for one message stream. */
export interface MessageSubscriptions {
  channels?: readonly RedisKey[];
  patterns?: readonly RedisKey[];
  shardChannels?: readonly RedisKey[];
}

export interface MessageStreamOptions {
  /** Unread messages kept before the stream fails with QueueFullError (default 10000). */
  highWaterMark?: number;
}

/** One channel (or pattern) name, or several. */
export type ChannelNames = RedisKey | readonly RedisKey[];
type Names = ChannelNames;

export interface ClientFeatures {
  /** A pipeline: chain commands, then `exec()` sends them in one write. */
  pipeline(): Pipeline;
  /** A MULTI ... EXEC transaction on the shared connection (no WATCH; see transaction()). */
  multi(): Multi;
  /**
   * WATCH `keys` on a dedicated connection, run `fn` with a scope on it (reads, then
   * `tx.multi()...exec()`), release the connection UNWATCHed. `retries` re-runs after WatchError.
   */
  transaction<R>(
    keys: readonly RedisKey[],
    fn: (tx: TransactionScope) => Promise<R> | R,
    options?: TransactionOptions,
  ): Promise<R>;
  /** A Lua script bound to this client: `run(keys, args)` uses EVALSHA, EVAL once on NOSCRIPT. */
  script<T = unknown>(source: string, options?: ScriptOptions): BoundScript<T>;

  /** Every key (SCAN), each once unless `dedupe: false`. */
  scanIterator(options: KeyScanOptions & { buffers: true }): AsyncGenerator<Buffer, void, undefined>;
  scanIterator(options?: KeyScanOptions & { buffers?: false }): AsyncGenerator<string, void, undefined>;
  /** Every member of a set (SSCAN). */
  sscanIterator(
    key: RedisKey,
    options: ScanOptions & { buffers: true },
  ): AsyncGenerator<Buffer, void, undefined>;
  sscanIterator(
    key: RedisKey,
    options?: ScanOptions & { buffers?: false },
  ): AsyncGenerator<string, void, undefined>;
  /** Every [field, value] of a hash (HSCAN). */
  hscanIterator(
    key: RedisKey,
    options: ScanOptions & { buffers: true },
  ): AsyncGenerator<[Buffer, Buffer], void, undefined>;
  hscanIterator(
    key: RedisKey,
    options?: ScanOptions & { buffers?: false },
  ): AsyncGenerator<[string, string], void, undefined>;
  /** Every [member, score] of a sorted set (ZSCAN). */
  zscanIterator(
    key: RedisKey,
    options: ScanOptions & { buffers: true },
  ): AsyncGenerator<[Buffer, number], void, undefined>;
  zscanIterator(
    key: RedisKey,
    options?: ScanOptions & { buffers?: false },
  ): AsyncGenerator<[string, number], void, undefined>;

  /** SUBSCRIBE: `listener` gets every message on these channels; resolves once subscribed. */
  subscribe(channels: Names, listener: PubSubListener<string>): Promise<void>;
  subscribe(channels: Names, listener: PubSubListener<Buffer>, options: { buffers: true }): Promise<void>;
  /** PSUBSCRIBE: glob-style patterns. */
  psubscribe(patterns: Names, listener: PubSubListener<string>): Promise<void>;
  psubscribe(patterns: Names, listener: PubSubListener<Buffer>, options: { buffers: true }): Promise<void>;
  /** SSUBSCRIBE: shard channels (Redis 7+). */
  ssubscribe(channels: Names, listener: PubSubListener<string>): Promise<void>;
  ssubscribe(channels: Names, listener: PubSubListener<Buffer>, options: { buffers: true }): Promise<void>;
  /** Removes `listener` (every listener when omitted) from the channels (all when omitted). */
  unsubscribe(channels?: Names, listener?: PubSubListener<string> | PubSubListener<Buffer>): Promise<void>;
  punsubscribe(patterns?: Names, listener?: PubSubListener<string> | PubSubListener<Buffer>): Promise<void>;
  sunsubscribe(channels?: Names, listener?: PubSubListener<string> | PubSubListener<Buffer>): Promise<void>;
  /** Messages as an async iterator; leaving the `for await` loop unsubscribes. */
  messages(
    subscriptions: Names | MessageSubscriptions,
    options: MessageStreamOptions & { buffers: true },
  ): MessageStream<Buffer>;
  messages(
    subscriptions: Names | MessageSubscriptions,
    options?: MessageStreamOptions & { buffers?: false },
  ): MessageStream<string>;
}

type Host = RunnerHost & ScanHost & ScriptHost & PubSubEventTarget;

/** One name or several, as a list. */
export function list(names: Names | undefined): readonly RedisKey[] | undefined {
  if (names === undefined) return undefined;
  return typeof names === 'string' || Buffer.isBuffer(names) ? [names] : names;
}

function subscribeKind(
  host: Host,
  kind: SubscriptionKind,
  names: Names,
  listener: PubSubListener<never>,
  buffers: boolean,
) {
  const given = list(names) ?? [];
  return subscriberFor(host.runner, host, buffers).subscribe(kind, given, listener);
}

async function unsubscribeKind(
  host: Host,
  kind: SubscriptionKind,
  names: Names | undefined,
  listener: PubSubListener<never> | undefined,
) {
  await Promise.all(existingSubscribers(host.runner).map((s) => s.unsubscribe(kind, list(names), listener)));
}

/** What a messages() call subscribes to, by kind; a TypeError when it names nothing. */
export function subscriptionParts(
  subscriptions: Names | MessageSubscriptions,
): [SubscriptionKind, readonly RedisKey[]][] {
  const spec: MessageSubscriptions =
    typeof subscriptions === 'string' || Buffer.isBuffer(subscriptions) || Array.isArray(subscriptions)
      ? { channels: list(subscriptions as Names) ?? [] }
      : (subscriptions as MessageSubscriptions);
  const parts: [SubscriptionKind, readonly RedisKey[]][] = [
    ['channel', spec.channels ?? []],
    ['pattern', spec.patterns ?? []],
    ['shard', spec.shardChannels ?? []],
  ];
  const wanted = parts.filter(([, names]) => names.length > 0);
  if (wanted.length === 0) throw new TypeError('messages(): no channel, pattern or shard channel given');
  return wanted;
}

function messageStream(
  host: Host,
  subscriptions: Names | MessageSubscriptions,
  options: MessageStreamOptions & { buffers?: boolean } = {},
) {
  const wanted = subscriptionParts(subscriptions);
  const buffers = options.buffers === true;
  return new MessageStream<string | Buffer>(async (listener) => {
    const subscriber = subscriberFor(host.runner, host, buffers);
    const typed = listener as PubSubListener<never>;
    try {
      await Promise.all(wanted.map(([kind, names]) => subscriber.subscribe(kind, names, typed)));
    } catch (error) {
      await Promise.all(wanted.map(([kind, names]) => subscriber.unsubscribe(kind, names, typed))).catch(
        () => undefined,
      );
      throw error;
    }
    return async () => {
      await Promise.all(wanted.map(([kind, names]) => subscriber.unsubscribe(kind, names, typed)));
    };
  }, options.highWaterMark ?? 10_000);
}

/** Implementations of ClientFeatures, mixed into RedisClient's prototype. */
export const clientFeatureMethods = {
  pipeline(this: Host) {
    return createPipeline(this);
  },
  multi(this: Host) {
    return createMulti(this);
  },
  transaction<R>(
    this: Host,
    keys: readonly RedisKey[],
    fn: (tx: TransactionScope) => Promise<R> | R,
    options?: TransactionOptions,
  ) {
    return runTransaction(this, keys, fn, options);
  },
  script(this: Host, source: string, options?: ScriptOptions) {
    return new BoundScript(this, source, options);
  },
  scanIterator(this: Host, options?: KeyScanOptions) {
    return scanKeys(this, options);
  },
  sscanIterator(this: Host, key: RedisKey, options?: ScanOptions) {
    return scanSet(this, key, options);
  },
  hscanIterator(this: Host, key: RedisKey, options?: ScanOptions) {
    return scanHash(this, key, options);
  },
  zscanIterator(this: Host, key: RedisKey, options?: ScanOptions) {
    return scanSortedSet(this, key, options);
  },
  subscribe(this: Host, channels: Names, listener: PubSubListener<never>, options?: { buffers?: boolean }) {
    return subscribeKind(this, 'channel', channels, listener, options?.buffers === true);
  },
  psubscribe(this: Host, patterns: Names, listener: PubSubListener<never>, options?: { buffers?: boolean }) {
    return subscribeKind(this, 'pattern', patterns, listener, options?.buffers === true);
  },
  ssubscribe(this: Host, channels: Names, listener: PubSubListener<never>, options?: { buffers?: boolean }) {
    return subscribeKind(this, 'shard', channels, listener, options?.buffers === true);
  },
  unsubscribe(this: Host, channels?: Names, listener?: PubSubListener<never>) {
    return unsubscribeKind(this, 'channel', channels, listener);
  },
  punsubscribe(this: Host, patterns?: Names, listener?: PubSubListener<never>) {
    return unsubscribeKind(this, 'pattern', patterns, listener);
  },
  sunsubscribe(this: Host, channels?: Names, listener?: PubSubListener<never>) {
    return unsubscribeKind(this, 'shard', channels, listener);
  },
  messages(
    this: Host,
    subscriptions: Names | MessageSubscriptions,
    options?: MessageStreamOptions & { buffers?: boolean },
  ) {
    return messageStream(this, subscriptions, options);
  },
} satisfies { [M in keyof ClientFeatures]: (this: Host, ...args: never[]) => unknown };
