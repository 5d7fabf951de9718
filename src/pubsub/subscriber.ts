// The subscriber: one subscriber link per client (and per string/Buffer mode), opened through the
// runner, that carries only SUBSCRIBE-family commands, their confirmations and the messages.
// Invariants: the subscription table is the truth; after the link drops, a new one is made (with
// the client's reconnect policy) and every subscription in the table is restored before
// 'resubscribed' is reported; a listener that throws never stops delivery to the others.
import type { RedisKey } from '../../generated/executor.js';
import { ClientClosedError } from '../errors.js';
import type { SubscriberLink } from '../node/subscriber-link.js';
import type { RespValue } from '../resp/types.js';
import type { Runner } from '../runner/runner.js';
import { subscribeCommand, unsubscribeCommand } from './commands.js';
import {
  CONFIRMATIONS,
  SUBSCRIBE_COMMAND,
  frameType,
  isPubSubFrame,
  nameKey,
  type PubSubListener,
  type PubSubMessage,
  type SubscriptionKind,
} from './message.js';

/** What the 'resubscribed' event reports: how many subscriptions of each kind were restored. */
export interface ResubscribedInfo {
  channels: number;
  patterns: number;
  shardChannels: number;
}

interface Subscription {
  readonly name: RedisKey;
  readonly listeners: Set<PubSubListener<never>>;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

const KINDS: readonly SubscriptionKind[] = ['channel', 'pattern', 'shard'];
const MESSAGE_KIND: Readonly<Record<string, SubscriptionKind>> = {
  message: 'channel',
  pmessage: 'pattern',
  smessage: 'shard',
};

export interface SubscriberHooks {
  /** Every subscription was restored on a new connection. */
  resubscribed(info: ResubscribedInfo): void;
  /** A background failure: a dropped connection, a reconnect that gave up, a listener that threw. */
  error(error: Error): void;
}

export class Subscriber {
  private readonly runner: Runner;
  private readonly buffers: boolean;
  private readonly hooks: SubscriberHooks;
  private readonly table: Record<SubscriptionKind, Map<string, Subscription>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
  };
  /** Confirmations awaited, by kind, direction and name key. */
  private readonly waiting = new Map<string, Waiter[]>();
  private link: SubscriberLink | undefined;
  private connecting: Promise<SubscriberLink> | undefined;
  private closed = false;

  constructor(runner: Runner, buffers: boolean, hooks: SubscriberHooks) {
    this.runner = runner;
    this.buffers = buffers;
    this.hooks = hooks;
  }

  /** Subscriptions of each kind (names as given). */
  names(kind: SubscriptionKind): RedisKey[] {
    return [...this.table[kind].values()].map((s) => s.name);
  }

  /** Whether the subscriber link is open (for tests and diagnostics). */
  get connected(): boolean {
    return this.link?.open === true;
  }

  /** Adds `listener` to each name; subscribes on the server to names that had none. */
  async subscribe(
    kind: SubscriptionKind,
    names: readonly RedisKey[],
    listener: PubSubListener<never>,
  ): Promise<void> {
    if (this.closed || this.runner.node.closed)
      throw new ClientClosedError(`${SUBSCRIBE_COMMAND[kind]}: the client is closed`);
    if (names.length === 0) throw new TypeError(`${SUBSCRIBE_COMMAND[kind]}: no channel given`);
    const table = this.table[kind];
    const fresh: RedisKey[] = [];
    for (const name of names) {
      const key = nameKey(name);
      let subscription = table.get(key);
      if (subscription === undefined) {
        subscription = { name, listeners: new Set() };
        table.set(key, subscription);
        fresh.push(name);
      }
      subscription.listeners.add(listener);
    }
    if (fresh.length === 0) return;
    const confirmed = this.expect(kind, true, fresh);
    const link = await this.connection();
    // Not yet written when the link drops: the reconnect restores it from the table.
    link.write(subscribeCommand(kind, fresh)).catch(() => undefined);
    await confirmed;
  }

  /**
   * Removes `listener` (or every listener when undefined) from each name (every name of the kind
   * when `names` is undefined); unsubscribes on the server from names left without listeners.
   */
  async unsubscribe(
    kind: SubscriptionKind,
    names?: readonly RedisKey[],
    listener?: PubSubListener<never>,
  ): Promise<void> {
    const table = this.table[kind];
    const gone: RedisKey[] = [];
    for (const name of names ?? this.names(kind)) {
      const key = nameKey(name);
      const subscription = table.get(key);
      if (subscription === undefined) continue;
      if (listener === undefined) subscription.listeners.clear();
      else subscription.listeners.delete(listener);
      if (subscription.listeners.size === 0) {
        table.delete(key);
        gone.push(subscription.name);
      }
    }
    const link = this.link;
    if (gone.length === 0 || link === undefined || !link.open) return;
    const confirmed = this.expect(kind, false, gone);
    link.write(unsubscribeCommand(kind, gone)).catch(() => undefined);
    await confirmed;
  }

  /** Closes the connection; pending subscribe calls reject. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const error = new ClientClosedError('the client is closed');
    for (const waiters of this.waiting.values()) for (const waiter of waiters) waiter.reject(error);
    this.waiting.clear();
    this.link?.destroy();
    this.link = undefined;
  }

  private expect(kind: SubscriptionKind, subscribed: boolean, names: readonly RedisKey[]): Promise<void> {
    return Promise.all(
      names.map(
        (name) =>
          new Promise<void>((resolve, reject) => {
            const key = `${kind}:${subscribed ? '+' : '-'}:${nameKey(name)}`;
            const list = this.waiting.get(key);
            if (list) list.push({ resolve, reject });
            else this.waiting.set(key, [{ resolve, reject }]);
          }),
      ),
    ).then(() => undefined);
  }

  private confirm(kind: SubscriptionKind, subscribed: boolean, name: RespValue | undefined): void {
    const key = `${kind}:${subscribed ? '+' : '-'}:${nameKey(name)}`;
    // Subscription state is idempotent: one confirmation satisfies everyone waiting for it (a
    // caller and a restore after reconnect may both wait for the same name).
    const list = this.waiting.get(key);
    this.waiting.delete(key);
    for (const waiter of list ?? []) waiter.resolve();
  }

  private connection(): Promise<SubscriberLink> {
    const link = this.link;
    if (link !== undefined && link.open) return Promise.resolve(link);
    return (this.connecting ??= this.connect().finally(() => (this.connecting = undefined)));
  }

  private async connect(): Promise<SubscriberLink> {
    const link = await this.runner.openSubscriber({
      buffers: this.buffers,
      isFrame: isPubSubFrame,
      onFrame: (data) => this.onFrame(data),
      onClose: (closed, error) => this.onClose(closed, error),
    });
    if (this.closed) {
      link.destroy();
      throw new ClientClosedError('the client is closed');
    }
    this.link = link;
    return link;
  }

  private onFrame(data: RespValue[]): void {
    const type = frameType(data);
    if (type === undefined) return;
    const confirmation = CONFIRMATIONS.get(type);
    if (confirmation !== undefined) {
      this.confirm(confirmation.kind, confirmation.subscribed, data[1]);
      return;
    }
    const kind = MESSAGE_KIND[type];
    if (kind === undefined) return;
    const pattern = kind === 'pattern';
    const subscription = this.table[kind].get(nameKey(data[1]));
    if (subscription === undefined) return;
    const message = {
      kind: type,
      channel: pattern ? data[2] : data[1],
      pattern: pattern ? data[1] : undefined,
      message: pattern ? data[3] : data[2],
    } as PubSubMessage<never>;
    for (const listener of [...subscription.listeners]) {
      try {
        listener(message);
      } catch (error) {
        this.hooks.error(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /** The link dropped: reconnect and restore every subscription, if there are any. */
  private onClose(link: SubscriberLink, error: Error | undefined): void {
    if (this.link !== link) return;
    this.link = undefined;
    if (this.closed) return;
    if (error) this.hooks.error(error);
    if (KINDS.every((kind) => this.table[kind].size === 0)) return;
    void this.resubscribe();
  }

  private async resubscribe(): Promise<void> {
    try {
      const link = await this.connection();
      const restored: Promise<void>[] = [];
      for (const kind of KINDS) {
        const names = this.names(kind);
        if (names.length === 0) continue;
        restored.push(this.expect(kind, true, names));
        link.write(subscribeCommand(kind, names)).catch(() => undefined);
      }
      await Promise.all(restored);
      // A restore overtaken by another drop reports nothing; the newer restore will.
      if (this.link !== link) return;
      this.hooks.resubscribed({
        channels: this.table.channel.size,
        patterns: this.table.pattern.size,
        shardChannels: this.table.shard.size,
      });
    } catch (error) {
      if (this.closed) return;
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const waiters of this.waiting.values()) for (const waiter of waiters) waiter.reject(failure);
      this.waiting.clear();
      this.hooks.error(failure);
    }
  }
}
