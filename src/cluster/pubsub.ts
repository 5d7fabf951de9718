// Pub/sub across a cluster: SUBSCRIBE and PSUBSCRIBE on one node (a cluster broadcasts PUBLISH to
// every node), SSUBSCRIBE on the primary that owns each shard channel's slot. The shard table is
// the truth: after a resharding or a failover moves a channel's slot, the subscription moves to
// the new owner and 'resubscribed' reports how many did.
import type { RedisKey } from '../../generated/executor.js';
import type { RedisClient } from '../client/client.js';
import type { PubSubListener } from '../pubsub/message.js';
import { nameKey } from '../pubsub/message.js';
import type { ClusterRouter } from './router.js';
import { keySlot } from './slot.js';

// Listeners get strings or Buffers as subscribed; typed as the Buffer kind so one type serves both overloads.
type Listener = PubSubListener<Buffer>;

interface ShardSubscription {
  readonly name: RedisKey;
  /** Each listener with its Buffer choice. */
  readonly listeners: Map<Listener, boolean>;
  owner: RedisClient;
}

export class ClusterPubSub {
  readonly #router: ClusterRouter;
  readonly #onMoved: (count: number) => void;
  readonly #shard = new Map<string, ShardSubscription>();
  #home: Promise<RedisClient> | undefined;
  #moving: Promise<void> = Promise.resolve();

  constructor(router: ClusterRouter, onMoved: (count: number) => void) {
    this.#router = router;
    this.#onMoved = onMoved;
    router.events.on('topology', () => {
      this.#moving = this.#moving.then(() => this.#follow()).catch(() => undefined);
    });
  }

  /** The node that carries SUBSCRIBE and PSUBSCRIBE (chosen once). */
  home(): Promise<RedisClient> {
    return (this.#home ??= this.#router.primaryFor(0));
  }

  async ssubscribe(names: readonly RedisKey[], listener: Listener, buffers: boolean): Promise<void> {
    const groups = new Map<RedisClient, RedisKey[]>();
    for (const name of names) {
      const owner = await this.#router.primaryFor(keySlot(name));
      const key = nameKey(name);
      const entry = this.#shard.get(key);
      if (entry === undefined)
        this.#shard.set(key, { name, listeners: new Map([[listener, buffers]]), owner });
      else entry.listeners.set(listener, buffers);
      const group = groups.get(entry?.owner ?? owner);
      if (group === undefined) groups.set(entry?.owner ?? owner, [name]);
      else group.push(name);
    }
    await Promise.all([...groups].map(([client, group]) => subscribeOn(client, group, listener, buffers)));
  }

  async sunsubscribe(names: readonly RedisKey[] | undefined, listener: Listener | undefined): Promise<void> {
    const keys = names === undefined ? [...this.#shard.keys()] : names.map(nameKey);
    const work: Promise<void>[] = [];
    for (const key of keys) {
      const entry = this.#shard.get(key);
      if (entry === undefined) continue;
      if (listener === undefined) entry.listeners.clear();
      else entry.listeners.delete(listener);
      if (entry.listeners.size === 0) this.#shard.delete(key);
      work.push(entry.owner.sunsubscribe([entry.name], listener));
    }
    await Promise.all(work);
  }

  /** Moves every shard subscription whose slot has a new owner. */
  async #follow(): Promise<void> {
    let moved = 0;
    for (const entry of this.#shard.values()) {
      const owner = await this.#router.primaryFor(keySlot(entry.name));
      if (owner === entry.owner) continue;
      const before = entry.owner;
      entry.owner = owner;
      // Not awaited: the old owner may be gone, or answer with a redirect instead of a confirmation
      // (the server drops a moved slot's subscriptions itself).
      void before.sunsubscribe([entry.name]).catch(() => undefined);
      for (const [listener, buffers] of entry.listeners)
        await subscribeOn(owner, [entry.name], listener, buffers);
      moved++;
    }
    if (moved > 0) this.#onMoved(moved);
  }
}

function subscribeOn(
  client: RedisClient,
  names: RedisKey[],
  listener: Listener,
  buffers: boolean,
): Promise<void> {
  return buffers
    ? client.ssubscribe(names, listener, { buffers: true })
    : client.ssubscribe(names, listener as unknown as PubSubListener<string>);
}
