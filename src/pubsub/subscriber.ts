// The subscriber: one dedicated connection per client (and per string/Buffer mode) that carries
// only SUBSCRIBE-family commands, their confirmations and the messages. The commands take no reply
// slot (noReply): under RESP3 answers arrive as push frames, under RESP2 the pushClassifier claims
// them. Invariants: the subscription table is the truth; after the connection drops, a new one is
// made (with the client's reconnect policy) and every subscription in the table is restored before
// 'resubscribed' is reported; a listener that throws never stops delivery to the others.
import type { RedisKey } from '../../generated/executor.js';
import type { ClientCore } from '../client/core.js';
import { Connection } from '../connection/index.js';
import { ClientClosedError } from '../errors.js';
import type { RespValue } from '../resp/types.js';
import {
  CONFIRMATIONS,
  SUBSCRIBE_COMMAND,
  UNSUBSCRIBE_COMMAND,
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
  readonly #core: ClientCore;
  readonly #buffers: boolean;
  readonly #hooks: SubscriberHooks;
  readonly #table: Record<SubscriptionKind, Map<string, Subscription>> = {
    channel: new Map(),
    pattern: new Map(),
    shard: new Map(),
  };
  /** Confirmations awaited, by kind, direction and name key. */
  readonly #waiting = new Map<string, Waiter[]>();
  #conn: Connection | undefined;
  #connecting: Promise<Connection> | undefined;
  #closed = false;

  constructor(core: ClientCore, buffers: boolean, hooks: SubscriberHooks) {
    this.#core = core;
    this.#buffers = buffers;
    this.#hooks = hooks;
  }

  /** Subscriptions of each kind (names as given). */
  names(kind: SubscriptionKind): RedisKey[] {
    return [...this.#table[kind].values()].map((s) => s.name);
  }

  /** The subscriber connection, if open (for tests and diagnostics). */
  get connection(): Connection | undefined {
    return this.#conn;
  }

  /** Adds `listener` to each name; subscribes on the server to names that had none. */
  async subscribe(
    kind: SubscriptionKind,
    names: readonly RedisKey[],
    listener: PubSubListener<never>,
  ): Promise<void> {
    if (this.#closed || this.#core.closed)
      throw new ClientClosedError(`${SUBSCRIBE_COMMAND[kind]}: the client is closed`);
    if (names.length === 0) throw new TypeError(`${SUBSCRIBE_COMMAND[kind]}: no channel given`);
    const table = this.#table[kind];
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
    const confirmed = this.#expect(kind, true, fresh);
    const conn = await this.#connection();
    // Not yet written when the connection drops: the reconnect restores it from the table.
    conn
      .send(SUBSCRIBE_COMMAND[kind], [SUBSCRIBE_COMMAND[kind], ...fresh], { noReply: true })
      .catch(() => undefined);
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
    const table = this.#table[kind];
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
    const conn = this.#conn;
    if (gone.length === 0 || conn === undefined || conn.status !== 'open') return;
    const confirmed = this.#expect(kind, false, gone);
    conn
      .send(UNSUBSCRIBE_COMMAND[kind], [UNSUBSCRIBE_COMMAND[kind], ...gone], { noReply: true })
      .catch(() => undefined);
    await confirmed;
  }

  /** Closes the connection; pending subscribe calls reject. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    const error = new ClientClosedError('the client is closed');
    for (const waiters of this.#waiting.values()) for (const waiter of waiters) waiter.reject(error);
    this.#waiting.clear();
    this.#conn?.destroy();
    this.#conn = undefined;
  }

  #expect(kind: SubscriptionKind, subscribed: boolean, names: readonly RedisKey[]): Promise<void> {
    return Promise.all(
      names.map(
        (name) =>
          new Promise<void>((resolve, reject) => {
            const key = `${kind}:${subscribed ? '+' : '-'}:${nameKey(name)}`;
            const list = this.#waiting.get(key);
            if (list) list.push({ resolve, reject });
            else this.#waiting.set(key, [{ resolve, reject }]);
          }),
      ),
    ).then(() => undefined);
  }

  #confirm(kind: SubscriptionKind, subscribed: boolean, name: RespValue | undefined): void {
    const key = `${kind}:${subscribed ? '+' : '-'}:${nameKey(name)}`;
    // Subscription state is idempotent: one confirmation satisfies everyone waiting for it (a
    // caller and a restore after reconnect may both wait for the same name).
    const list = this.#waiting.get(key);
    this.#waiting.delete(key);
    for (const waiter of list ?? []) waiter.resolve();
  }

  #connection(): Promise<Connection> {
    const conn = this.#conn;
    if (conn !== undefined && conn.status === 'open') return Promise.resolve(conn);
    return (this.#connecting ??= this.#connect().finally(() => (this.#connecting = undefined)));
  }

  async #connect(): Promise<Connection> {
    const core = this.#core;
    const conn = await core.options.reconnect.callWithRetry(
      () => {
        if (this.#closed) throw new ClientClosedError('the client is closed');
        return Connection.connect(core.options.connection);
      },
      () => undefined,
    );
    if (this.#closed) {
      conn.destroy();
      throw new ClientClosedError('the client is closed');
    }
    conn.pushReturnBuffers = this.#buffers;
    conn.pushClassifier = isPubSubFrame;
    conn.on('push', (data) => this.#onFrame(data));
    conn.once('close', (error) => this.#onClose(conn, error));
    this.#conn = conn;
    return conn;
  }

  #onFrame(data: RespValue[]): void {
    const type = frameType(data);
    if (type === undefined) return;
    const confirmation = CONFIRMATIONS.get(type);
    if (confirmation !== undefined) {
      this.#confirm(confirmation.kind, confirmation.subscribed, data[1]);
      return;
    }
    const kind = MESSAGE_KIND[type];
    if (kind === undefined) return;
    const pattern = kind === 'pattern';
    const subscription = this.#table[kind].get(nameKey(data[1]));
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
        this.#hooks.error(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }

  /** The connection dropped: reconnect and restore every subscription, if there are any. */
  #onClose(conn: Connection, error: Error | undefined): void {
    if (this.#conn !== conn) return;
    this.#conn = undefined;
    if (this.#closed) return;
    if (error) this.#hooks.error(error);
    if (KINDS.every((kind) => this.#table[kind].size === 0)) return;
    void this.#resubscribe();
  }

  async #resubscribe(): Promise<void> {
    try {
      const conn = await this.#connection();
      const restored: Promise<void>[] = [];
      for (const kind of KINDS) {
        const names = this.names(kind);
        if (names.length === 0) continue;
        restored.push(this.#expect(kind, true, names));
        conn
          .send(SUBSCRIBE_COMMAND[kind], [SUBSCRIBE_COMMAND[kind], ...names], { noReply: true })
          .catch(() => undefined);
      }
      await Promise.all(restored);
      // A restore overtaken by another drop reports nothing; the newer restore will.
      if (this.#conn !== conn) return;
      this.#hooks.resubscribed({
        channels: this.#table.channel.size,
        patterns: this.#table.pattern.size,
        shardChannels: this.#table.shard.size,
      });
    } catch (error) {
      if (this.#closed) return;
      const failure = error instanceof Error ? error : new Error(String(error));
      for (const waiters of this.#waiting.values()) for (const waiter of waiters) waiter.reject(failure);
      this.#waiting.clear();
      this.#hooks.error(failure);
    }
  }
}
