// Pub/sub across a cluster: SUBSCRIBE and PSUBSCRIBE on one node, the home (a cluster broadcasts
// PUBLISH to every node), SSUBSCRIBE on the primary that owns each shard channel's slot. The
// tables here are the truth: when the home leaves the cluster, its subscriptions move to a new
// home; when a resharding or a failover moves a shard channel's slot, its subscription moves to
// the new owner; 'resubscribed' reports how many moved.
import type { RedisKey } from '../../generated/executor.js';
import type { RedisClient } from '../client/client.js';
import type { PubSubListener, SubscriptionKind } from '../pubsub/message.js';
import { nameKey } from '../pubsub/message.js';
import type { ResubscribedInfo } from '../pubsub/subscriber.js';
import type { ClusterRouter } from './router.js';
import { keySlot } from './slot.js';
import { addressKey } from './topology.js';

// Listeners get strings or Buffers as subscribed; typed as the Buffer kind so one type serves both overloads.
type Listener = PubSubListener<Buffer>;

interface Subscription {
  readonly name: RedisKey;
  /** Each listener with its Buffer choice. */
  readonly listeners: Map<Listener, boolean>;
  /** The node it is subscribed on. */
  owner: RedisClient;
}

export class ClusterPubSub {
  private readonly router: ClusterRouter;
  private readonly onMoved: (info: ResubscribedInfo) => void;
  private readonly tables: Record<SubscriptionKind, Map<string, Subscription>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
  };
  private home: { client: RedisClient; address: string } | undefined;
  private moving: Promise<void> = Promise.resolve();

  constructor(router: ClusterRouter, onMoved: (info: ResubscribedInfo) => void) {
    this.router = router;
    this.onMoved = onMoved;
    router.events.on('topology', (info) => {
      this.moving = this.moving
        .then(() => this.follow([...info.primaries, ...info.replicas]))
        .catch(() => undefined);
    });
  }

  /** The node that carries SUBSCRIBE and PSUBSCRIBE (chosen once, again when it leaves). */
  private async homeClient(): Promise<RedisClient> {
    if (this.home !== undefined) return this.home.client;
    const map = await this.router.ready();
    const shard = map.shardOf(0) ?? map.shards[0];
    const client = await this.router.primaryFor(0);
    this.home = { client, address: shard === undefined ? '' : addressKey(shard.primary) };
    return client;
  }

  async subscribe(kind: SubscriptionKind, names: readonly RedisKey[], listener: Listener, buffers: boolean) {
    const groups = new Map<RedisClient, RedisKey[]>();
    for (const name of names) {
      const owner = kind === 'shard' ? await this.router.primaryFor(keySlot(name)) : await this.homeClient();
      const key = nameKey(name);
      const table = this.tables[kind];
      let entry = table.get(key);
      if (entry === undefined) {
        entry = { name, listeners: new Map(), owner };
        table.set(key, entry);
      }
      entry.listeners.set(listener, buffers);
      const group = groups.get(entry.owner);
      if (group === undefined) groups.set(entry.owner, [name]);
      else group.push(name);
    }
    await Promise.all(
      [...groups].map(([client, group]) => subscribeOn(client, kind, group, listener, buffers)),
    );
  }

  async unsubscribe(
    kind: SubscriptionKind,
    names: readonly RedisKey[] | undefined,
    listener: Listener | undefined,
  ): Promise<void> {
    const table = this.tables[kind];
    const keys = names === undefined ? [...table.keys()] : names.map(nameKey);
    const work: Promise<void>[] = [];
    for (const key of keys) {
      const entry = table.get(key);
      if (entry === undefined) continue;
      if (listener === undefined) entry.listeners.clear();
      else entry.listeners.delete(listener);
      if (entry.listeners.size === 0) table.delete(key);
      work.push(unsubscribeOn(entry.owner, kind, [entry.name], listener));
    }
    await Promise.all(work);
  }

  /** Moves channel and pattern subscriptions off a home that left, shard ones to their slot's owner. */
  private async follow(live: readonly string[]): Promise<void> {
    const moved: ResubscribedInfo = { channels: 0, patterns: 0, shardChannels: 0 };
    const home = this.home;
    if (home !== undefined && !live.includes(home.address)) {
      this.home = undefined;
      const next = await this.homeClient();
      moved.channels = await this.move('channel', () => next);
      moved.patterns = await this.move('pattern', () => next);
    }
    moved.shardChannels = await this.move('shard', (entry) => this.router.primaryFor(keySlot(entry.name)));
    if (moved.channels + moved.patterns + moved.shardChannels > 0) this.onMoved(moved);
  }

  private async move(
    kind: SubscriptionKind,
    ownerOf: (entry: Subscription) => RedisClient | Promise<RedisClient>,
  ) {
    let count = 0;
    for (const entry of this.tables[kind].values()) {
      const owner = await ownerOf(entry);
      if (owner === entry.owner) continue;
      const before = entry.owner;
      entry.owner = owner;
      // Not awaited: the old node may be gone, or answer with a redirect instead of a confirmation
      // (the server drops a moved slot's subscriptions itself).
      void unsubscribeOn(before, kind, [entry.name], undefined).catch(() => undefined);
      for (const [listener, buffers] of entry.listeners)
        await subscribeOn(owner, kind, [entry.name], listener, buffers);
      count++;
    }
    return count;
  }
}

function subscribeOn(
  client: RedisClient,
  kind: SubscriptionKind,
  names: RedisKey[],
  listener: Listener,
  buffers: boolean,
): Promise<void> {
  const method = kind === 'channel' ? 'subscribe' : kind === 'pattern' ? 'psubscribe' : 'ssubscribe';
  return buffers
    ? client[method](names, listener, { buffers: true })
    : client[method](names, listener as unknown as PubSubListener<string>);
}

function unsubscribeOn(
  client: RedisClient,
  kind: SubscriptionKind,
  names: RedisKey[],
  listener: Listener | undefined,
): Promise<void> {
  const method = kind === 'channel' ? 'unsubscribe' : kind === 'pattern' ? 'punsubscribe' : 'sunsubscribe';
  return client[method](names, listener);
}
