// The cluster client: the same generated commands as createClient, run by the cluster router, and
// the client features (pipelines, MULTI, WATCH transactions, scripts, scans, pub/sub) with their
// cluster meaning: a pipeline is split by node; MULTI and transaction() need one slot; a SCAN walks
// every primary; SSUBSCRIBE goes to each channel's owner. Views made by withOptions share the
// router, so their per-call options reach every node.
import { EventEmitter } from 'node:events';
import { inspect } from 'node:util';
import type { CommandInfo, RedisArgument, RedisKey, ReplyShape } from '../../generated/executor.js';
import { allCommandMethods, type AllCommands } from '../../generated/index.js';
import { Batch, PIPELINE, TRANSACTION } from '../client/batch.js';
import type { RedisClient } from '../client/client.js';
import {
  list,
  subscriptionParts,
  type ClientFeatures,
  type MessageStreamOptions,
  type MessageSubscriptions,
} from '../client/features.js';
import type { Multi } from '../client/multi.js';
import type { Pipeline } from '../client/pipeline.js';
import type { KeyScanOptions, ScanOptions } from '../client/scan.js';
import { BoundScript, type ScriptOptions } from '../client/script.js';
import type { TransactionOptions, TransactionScope } from '../client/transaction.js';
import type { PubSubListener } from '../pubsub/message.js';
import { MessageStream } from '../pubsub/stream.js';
import type { ResubscribedInfo } from '../pubsub/subscriber.js';
import type { RespValue } from '../resp/types.js';
import { rawCommand } from '../runner/build.js';
import { IssuedCommand, type CallOptions } from '../runner/command.js';
import { resolveClusterOptions, type ClusterOptions } from './options.js';
import { ClusterPubSub } from './pubsub.js';
import { ClusterRouter, type ClusterEvents, type ClusterStats } from './router.js';
import { crossSlot } from './routing.js';
import { keySlot } from './slot.js';

declare module './router.js' {
  interface ClusterEvents {
    /** Shard-channel subscriptions followed their slot to a new owner. */
    resubscribed: [info: ResubscribedInfo];
  }
}

type Names = RedisKey | readonly RedisKey[];
// Listeners get strings or Buffers as subscribed; typed as the Buffer kind so one type serves both overloads.
type Listener = PubSubListener<Buffer>;

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class RedisCluster extends EventEmitter<ClusterEvents> {
  /** @internal routes every command of every view */
  readonly router: ClusterRouter;
  /** @internal shard-channel subscriptions and the pub/sub home node */
  readonly pubsub: ClusterPubSub;
  /** @internal per-call options of this view */
  readonly callOptions: CallOptions | undefined;

  constructor(options: ClusterOptions) {
    super();
    this.router = new ClusterRouter(resolveClusterOptions(options));
    this.callOptions = undefined;
    this.pubsub = new ClusterPubSub(this.router, (info) => this.emit('resubscribed', info));
    this.router.events.on('topology', (info) => this.emit('topology', info));
    this.router.events.on('end', () => this.emit('end'));
    this.router.events.on('error', (error) => {
      if (this.listenerCount('error') > 0) this.emit('error', error);
    });
  }

  /** The CommandExecutor contract: every generated command method calls this. */
  executeCommand(info: CommandInfo, args: RedisArgument[], shape: ReplyShape): Promise<unknown> {
    return this.router.run(new IssuedCommand(info, args, shape, this.callOptions));
  }

  /** The CommandExecutor contract for a call with a bad argument: nothing is sent. */
  rejectCommand(_info: CommandInfo, error: TypeError): Promise<never> {
    return Promise.reject(error);
  }

  /** Any command, routed by its keys like the generated ones; the reply as decoded. */
  sendCommand(args: RedisArgument[]): Promise<RespValue> {
    return this.router.run(rawCommand(args, this.callOptions)) as Promise<RespValue>;
  }

  /** A view whose commands use these per-call options (timeout, signal, idempotent) on every node. */
  withOptions(options: CallOptions): this {
    const merged = { ...this.callOptions, ...options };
    return Object.create(this, { callOptions: { value: merged, enumerable: false } }) as this;
  }

  /** Loads the slot map now instead of on the first command. */
  async connect(): Promise<this> {
    await this.router.ready();
    return this;
  }

  /** Per-node clients (for admin commands): the current primaries, replicas, or all. */
  nodes(role: 'primary' | 'replica' | 'all' = 'all'): Promise<RedisClient[]> {
    return this.router.nodes(role);
  }

  /** Counters of refreshes, redirects and re-routes. */
  get stats(): Readonly<ClusterStats> {
    return this.router.stats;
  }

  close(): Promise<void> {
    return this.router.close();
  }

  disconnect(): void {
    this.router.disconnect();
  }

  get isClosed(): boolean {
    return this.router.closed;
  }

  toJSON(): Record<string, unknown> {
    const map = this.router.slotMap;
    return {
      primaries: map?.shards.map((s) => `${s.primary.host}:${s.primary.port}`) ?? [],
      closed: this.isClosed,
    };
  }

  [inspect.custom](_depth: number, options: object): string {
    return `RedisCluster ${inspect(this.toJSON(), options)}`;
  }
}

/** A node's client with the cluster view's per-call options. */
function viewOf(client: RedisClient, call: CallOptions | undefined): RedisClient {
  return call === undefined ? client : (client.withOptions(call) as RedisClient);
}

/** The client a key's commands go to: its slot's primary. */
async function ownerOf(cluster: RedisCluster, key: RedisKey): Promise<RedisClient> {
  return viewOf(await cluster.router.primaryFor(keySlot(key)), cluster.callOptions);
}

async function* walk<T>(
  clients: Promise<RedisClient[]>,
  each: (client: RedisClient) => AsyncIterable<T>,
): AsyncGenerator<T, void, undefined> {
  for (const client of await clients) yield* each(client);
}

async function* delegate<T>(
  client: Promise<RedisClient>,
  each: (client: RedisClient) => AsyncIterable<T>,
): AsyncGenerator<T, void, undefined> {
  yield* each(await client);
}

/** The iterators without their Buffer/string overloads: the cluster passes the options through. */
interface Iterators {
  scanIterator(options?: KeyScanOptions): AsyncIterable<unknown>;
  sscanIterator(key: RedisKey, options?: ScanOptions): AsyncIterable<unknown>;
  hscanIterator(key: RedisKey, options?: ScanOptions): AsyncIterable<unknown>;
  zscanIterator(key: RedisKey, options?: ScanOptions): AsyncIterable<unknown>;
}

function iterators(client: RedisClient): Iterators {
  return client as unknown as Iterators;
}

/** ClientFeatures with their cluster meaning, mixed into RedisCluster's prototype. */
export const clusterFeatureMethods = {
  pipeline(this: RedisCluster) {
    return new Batch(this.router, PIPELINE, this.callOptions) as unknown as Pipeline;
  },
  multi(this: RedisCluster) {
    return new Batch(this.router, TRANSACTION, this.callOptions) as unknown as Multi;
  },
  async transaction<R>(
    this: RedisCluster,
    keys: readonly RedisKey[],
    fn: (tx: TransactionScope) => Promise<R> | R,
    options?: TransactionOptions,
  ): Promise<R> {
    const slots = keys.map(keySlot);
    if (slots.some((slot) => slot !== slots[0])) throw crossSlot('WATCH', slots);
    const client = viewOf(await this.router.primaryFor(slots[0]), this.callOptions);
    return client.transaction(keys, fn, options);
  },
  script(this: RedisCluster, source: string, options?: ScriptOptions) {
    return new BoundScript(this as unknown as ConstructorParameters<typeof BoundScript>[0], source, options);
  },
  scanIterator(this: RedisCluster, options?: KeyScanOptions) {
    const call = this.callOptions;
    return walk(this.router.nodes('primary'), (client) =>
      iterators(viewOf(client, call)).scanIterator(options),
    );
  },
  sscanIterator(this: RedisCluster, key: RedisKey, options?: ScanOptions) {
    return delegate(ownerOf(this, key), (c) => iterators(c).sscanIterator(key, options));
  },
  hscanIterator(this: RedisCluster, key: RedisKey, options?: ScanOptions) {
    return delegate(ownerOf(this, key), (c) => iterators(c).hscanIterator(key, options));
  },
  zscanIterator(this: RedisCluster, key: RedisKey, options?: ScanOptions) {
    return delegate(ownerOf(this, key), (c) => iterators(c).zscanIterator(key, options));
  },
  subscribe(this: RedisCluster, channels: Names, listener: Listener, options?: { buffers?: boolean }) {
    return this.pubsub.subscribe('channel', list(channels) ?? [], listener, options?.buffers === true);
  },
  psubscribe(this: RedisCluster, patterns: Names, listener: Listener, options?: { buffers?: boolean }) {
    return this.pubsub.subscribe('pattern', list(patterns) ?? [], listener, options?.buffers === true);
  },
  ssubscribe(this: RedisCluster, channels: Names, listener: Listener, options?: { buffers?: boolean }) {
    return this.pubsub.subscribe('shard', list(channels) ?? [], listener, options?.buffers === true);
  },
  unsubscribe(this: RedisCluster, channels?: Names, listener?: Listener) {
    return this.pubsub.unsubscribe('channel', list(channels), listener);
  },
  punsubscribe(this: RedisCluster, patterns?: Names, listener?: Listener) {
    return this.pubsub.unsubscribe('pattern', list(patterns), listener);
  },
  sunsubscribe(this: RedisCluster, channels?: Names, listener?: Listener) {
    return this.pubsub.unsubscribe('shard', list(channels), listener);
  },
  messages(
    this: RedisCluster,
    subscriptions: Names | MessageSubscriptions,
    options: MessageStreamOptions & { buffers?: boolean } = {},
  ) {
    const wanted = subscriptionParts(subscriptions);
    const buffers = options.buffers === true;
    const pubsub = this.pubsub;
    return new MessageStream<string | Buffer>(async (listener) => {
      const typed = listener as Listener;
      const undo = () =>
        Promise.all(wanted.map(([kind, names]) => pubsub.unsubscribe(kind, names, typed))).then(
          () => undefined,
        );
      try {
        await Promise.all(wanted.map(([kind, names]) => pubsub.subscribe(kind, names, typed, buffers)));
      } catch (error) {
        await undo().catch(() => undefined);
        throw error;
      }
      return undo;
    }, options.highWaterMark ?? 10_000);
  },
} satisfies { [M in keyof ClientFeatures]: (this: RedisCluster, ...args: never[]) => unknown };

// The generated commands, then the features (which give MULTI, SUBSCRIBE, ... their meaning).
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface RedisCluster extends Omit<AllCommands<'promise'>, keyof ClientFeatures>, ClientFeatures {}
Object.assign(RedisCluster.prototype, allCommandMethods, clusterFeatureMethods);

/** Creates a cluster client; it loads the slot map on the first command (or connect()). */
export function createCluster(options: ClusterOptions): RedisCluster {
  return new RedisCluster(options);
}
