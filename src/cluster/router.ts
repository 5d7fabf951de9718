// The cluster's runner: it takes the same Commands as a standalone client's runner and sends each
// to the node the slot map says, through that node's own client (its connection, pool, offline
// queue and at-most-once rule). It follows MOVED (the map is updated and refreshed) and ASK
// (ASKING and the command back to back on the target), waits out TRYAGAIN, CLUSTERDOWN and
// LOADING, and re-routes a call whose node went away when the call was not written (or only
// reads), all within the call's deadline and maxRedirections. Slot-map refreshes are single
// flight and spaced out, so a failover under load costs a handful, not one per failed command.
import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { RedisClient } from '../client/client.js';
import type { BatchTarget } from '../client/batch.js';
import {
  AbortError,
  AskError,
  AuthenticationError,
  ClientClosedError,
  ClusterDownError,
  ClusterError,
  ConnectionError,
  ExecAbortError,
  LoadingError,
  MovedError,
  RedisError,
  ReplyError,
  TimeoutError,
  TryAgainError,
} from '../errors.js';
import { subscriberCommandError } from '../pubsub/commands.js';
import { ExponentialBackoff, Retry } from '../retry/index.js';
import { build } from '../runner/build.js';
import type { BatchOptions, Command } from '../runner/command.js';
import { mayResend, onlyReads } from '../runner/policy.js';
import type { ResolvedClusterOptions } from './options.js';
import { combine, crossSlot, joinSplit, keySlots, route } from './routing.js';
import { addressKey, SlotMap, type NodeAddress, type Shard } from './topology.js';

export interface ClusterStats {
  /** Slot-map refreshes run (each asks one node, or the next when it fails). */
  refreshes: number;
  moved: number;
  ask: number;
  /** TRYAGAIN, CLUSTERDOWN and LOADING waits. */
  retries: number;
  /** Calls re-routed after their node could not be reached. */
  rerouted: number;
}

export interface TopologyInfo {
  readonly primaries: readonly string[];
  readonly replicas: readonly string[];
}

export interface ClusterEvents {
  /** The slot map changed (first load, resharding, failover, nodes added or removed). */
  topology: [info: TopologyInfo];
  /** A background failure: a node's connection dropped, a periodic refresh failed. */
  error: [error: Error];
  end: [];
}

/** Refreshes closer together than this are coalesced (one refresh serves every trigger meanwhile). */
const REFRESH_GAP_MS = 250;
/** After a node is lost, the slot map is read this often, for this long, until it changes. */
const WATCH_INTERVAL_MS = 500;
const WATCH_FOR_MS = 20_000;
/** Deadline of one node's answer to CLUSTER SHARDS / SLOTS. */
const REFRESH_TIMEOUT_MS = 2_000;

export class ClusterRouter implements BatchTarget {
  readonly events = new EventEmitter<ClusterEvents>();
  readonly stats: ClusterStats = { refreshes: 0, moved: 0, ask: 0, retries: 0, rerouted: 0 };
  private readonly options: ResolvedClusterOptions;
  private readonly commandTimeout: number;
  private readonly clients = new Map<string, RedisClient>();
  /** The same lookups by address object (a slot map's addresses live as long as the map). */
  private readonly byAddress = new WeakMap<NodeAddress, RedisClient>();
  private readonly byReplica = new WeakMap<NodeAddress, RedisClient>();
  private map: SlotMap | undefined;
  private refreshing: Promise<SlotMap> | undefined;
  private lastRefreshAt = 0;
  private timer: NodeJS.Timeout | undefined;
  /** Refreshes after a lost node, until the map changes or WATCH_FOR_MS pass. */
  private watch: NodeJS.Timeout | undefined;
  private watchUntil = 0;
  private _closed = false;
  private next = 0;

  constructor(options: ResolvedClusterOptions) {
    this.options = options;
    this.commandTimeout = options.defaults.commandTimeout ?? 0;
    if (options.refreshInterval > 0) {
      this.timer = setInterval(() => {
        if (this.map !== undefined) this.refresh().catch((error: unknown) => this.report(error));
      }, options.refreshInterval);
      this.timer.unref();
    }
  }

  get closed(): boolean {
    return this._closed;
  }

  /** The current slot map (undefined before the first refresh). */
  get slotMap(): SlotMap | undefined {
    return this.map;
  }

  /** The slot map, loaded on first use. */
  ready(): Promise<SlotMap> {
    if (this._closed) return Promise.reject(new ClientClosedError('the cluster client is closed'));
    return this.map !== undefined ? Promise.resolve(this.map) : this.refresh();
  }

  /** Reads the slot map again (single flight; triggers within REFRESH_GAP_MS share one refresh). */
  refresh(): Promise<SlotMap> {
    return (this.refreshing ??= this._refresh().finally(() => {
      this.refreshing = undefined;
      this.lastRefreshAt = Date.now();
    }));
  }

  /** The client of one node: replicas' clients send READONLY in their handshake. */
  client(address: NodeAddress, replica = false): RedisClient {
    const cache = replica ? this.byReplica : this.byAddress;
    const cached = cache.get(address);
    if (cached !== undefined && !cached.isClosed) return cached;
    const client = this.clientAt(address, replica);
    cache.set(address, client);
    return client;
  }

  private clientAt(address: NodeAddress, replica: boolean): RedisClient {
    const reachable = this.options.mapAddress(address);
    const key = `${addressKey(reachable)}${replica ? '/replica' : ''}`;
    let client = this.clients.get(key);
    if (client === undefined) {
      const { defaults } = this.options;
      const tls = defaults.tls;
      client = new RedisClient({
        ...defaults,
        host: reachable.host,
        port: reachable.port,
        readOnly: replica,
        // The router re-routes and re-sends (by the same at-most-once rule); a node's client only
        // reports, quickly, that its node cannot be reached.
        commandRetries: 0,
        reconnect: defaults.reconnect ?? new Retry(new ExponentialBackoff(100, 20), 1),
        offlineQueueTimeout: defaults.offlineQueueTimeout ?? 1_000,
        ...(reachable.servername === undefined || tls === undefined || tls === false
          ? {}
          : { tls: { ...(tls === true ? {} : tls), servername: reachable.servername } }),
      });
      client.on('error', (error) => {
        this.report(error);
        // A node's connection dropped: the slot map may be about to change (a failover).
        if (error instanceof ConnectionError) this.suspect();
      });
      this.clients.set(key, client);
    }
    return client;
  }

  /** Clients of the current primaries, replicas, or both. */
  async nodes(role: 'primary' | 'replica' | 'all'): Promise<RedisClient[]> {
    const map = await this.ready();
    const primaries = role === 'replica' ? [] : map.shards.map((s) => this.client(s.primary));
    const replicas =
      role === 'primary' ? [] : map.shards.flatMap((s) => s.replicas.map((r) => this.client(r, true)));
    return [...primaries, ...replicas];
  }

  /** The primary's client for a slot (undefined: any primary). */
  async primaryFor(slot: number | undefined): Promise<RedisClient> {
    const map = await this.ready();
    return this.client(this.shard(map, slot).primary);
  }

  run(command: Command): Promise<unknown> {
    const { info } = command;
    if (info.subscriber) return Promise.reject(subscriberCommandError(info, 'through the cluster router'));
    const map = this.map;
    if (map === undefined) return this.ready().then(() => this.run(command));
    let where;
    try {
      where = route(command);
    } catch (error) {
      return Promise.reject(error);
    }
    switch (where.kind) {
      case 'slot':
        return this.runOnSlot(command, where.slot);
      case 'any':
        return this.runOnSlot(command, undefined);
      case 'all_shards':
        return this.fanOut(
          command,
          map.shards.map((s) => ({ address: s.primary, replica: false })),
        );
      case 'all_nodes':
        return this.fanOut(command, [
          ...map.shards.map((s) => ({ address: s.primary, replica: false })),
          ...map.shards.flatMap((s) => s.replicas.map((r) => ({ address: r, replica: true }))),
        ]);
      case 'split': {
        const { parts } = where;
        return Promise.all(parts.map((part) => this.runOnSlot(part.command, part.slot))).then((replies) =>
          joinSplit(command, parts, replies),
        );
      }
    }
  }

  runBatch(commands: readonly Command[], batch: BatchOptions): Promise<unknown[]> {
    return batch.atomic ? this.runTransaction(commands, batch) : this.runPipeline(commands, batch);
  }

  async close(): Promise<void> {
    if (this._closed) return;
    this._closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.watch !== undefined) clearInterval(this.watch);
    await Promise.allSettled([...this.clients.values()].map((c) => c.close()));
    this.clients.clear();
    this.events.emit('end');
  }

  disconnect(): void {
    if (this._closed) return;
    this._closed = true;
    if (this.timer !== undefined) clearInterval(this.timer);
    if (this.watch !== undefined) clearInterval(this.watch);
    for (const client of this.clients.values()) client.disconnect();
    this.clients.clear();
    this.events.emit('end');
  }

  private report(error: unknown): void {
    if (!this._closed && this.events.listenerCount('error') > 0) {
      this.events.emit('error', error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** The shard of `slot`; for a keyless command (undefined), the primaries in turn. */
  private shard(map: SlotMap, slot: number | undefined): Shard {
    const shard =
      slot === undefined ? map.shards[this.next++ % Math.max(1, map.shards.length)] : map.shardOf(slot);
    if (shard === undefined) {
      throw new ClusterDownError(
        slot === undefined ? 'CLUSTERDOWN no shard is known' : `CLUSTERDOWN no node serves slot ${slot}`,
      );
    }
    return shard;
  }

  /** Where a call goes: the slot's primary, or one of its replicas for a read when readFrom says so. */
  private pick(
    map: SlotMap,
    slot: number | undefined,
    read: boolean,
  ): { address: NodeAddress; replica: boolean } {
    const shard = this.shard(map, slot);
    if (read && this.options.readFrom !== 'primary' && shard.replicas.length > 0) {
      const replica = shard.replicas[this.next++ % shard.replicas.length] as NodeAddress;
      return { address: replica, replica: true };
    }
    return { address: shard.primary, replica: false };
  }

  /**
   * Runs a command on the node of `slot` (undefined: any primary). The first attempt goes straight
   * to that node's runner; only a failure takes the slow path of redirects and re-routes.
   */
  private runOnSlot(command: Command, slot: number | undefined): Promise<unknown> {
    const budget = command.options?.timeout ?? this.commandTimeout;
    const deadlineAt = budget > 0 ? Date.now() + budget : Infinity;
    const reads = this.options.readFrom !== 'primary' && onlyReads(command.info, command.args);
    let client: RedisClient;
    try {
      const where = this.pick(this.map as SlotMap, slot, reads);
      client = this.client(where.address, where.replica);
    } catch (error) {
      return Promise.reject(error);
    }
    return client.runner
      .run(command)
      .catch((error: unknown) => this.recover(command, slot, deadlineAt, error));
  }

  /** After a failed first attempt: follow redirects, wait out cluster errors, re-route. */
  private async recover(
    command: Command,
    slot: number | undefined,
    deadlineAt: number,
    first: unknown,
  ): Promise<unknown> {
    const call = command.options;
    const reads = onlyReads(command.info, command.args);
    let error = first;
    let target: { address: NodeAddress; replica: boolean } | undefined;
    let asking = false;
    let primaryOnly = false;
    for (let hop = 0; ; hop++) {
      const next = await this.afterFailure(error, hop, deadlineAt, reads, call);
      if (next === 'throw') throw error;
      target = undefined;
      asking = false;
      if (next === 'replica-failed') primaryOnly = true;
      else if (next !== 'again') {
        target = { address: next.address, replica: false };
        asking = next.asking;
      }
      const attempt = withBudget(command, deadlineAt);
      const map = this.map ?? (await this.ready());
      const where =
        target ?? this.pick(map, slot, reads && !primaryOnly && this.options.readFrom !== 'primary');
      const client = this.client(where.address, where.replica);
      try {
        if (!asking) return await client.runner.run(attempt);
        const [, reply] = await client.runner.runBatch([build.asking(), attempt], {
          atomic: false,
          options: attempt.options,
        });
        if (reply instanceof Error) throw reply;
        return reply;
      } catch (failure) {
        error = failure;
      }
    }
  }

  /**
   * What to do after a failed attempt: follow a redirect (to `address`, with ASKING or not), try
   * again (after a wait or a refresh), or give up. Redirects and cluster errors prove the command
   * did not run; a lost connection is re-sent only by the at-most-once rule.
   */
  private async afterFailure(
    error: unknown,
    hop: number,
    deadlineAt: number,
    reads: boolean,
    call: Command['options'],
  ): Promise<'throw' | 'again' | 'replica-failed' | { address: NodeAddress; asking: boolean }> {
    if (this._closed || hop >= this.options.maxRedirections || Date.now() >= deadlineAt) return 'throw';
    if (error instanceof MovedError) {
      this.stats.moved++;
      const to = { host: error.host, port: error.port };
      if (this.map !== undefined) this.map = this.map.moved(error.slot, to);
      this.refresh().catch((e: unknown) => this.report(e));
      return { address: to, asking: false };
    }
    if (error instanceof AskError) {
      this.stats.ask++;
      return { address: { host: error.host, port: error.port }, asking: true };
    }
    if (error instanceof LoadingError && reads) return 'replica-failed';
    if (
      error instanceof TryAgainError ||
      error instanceof LoadingError ||
      error instanceof ClusterDownError
    ) {
      this.stats.retries++;
      if (error instanceof ClusterDownError) this.refresh().catch((e: unknown) => this.report(e));
      await this.pause(hop, deadlineAt);
      return 'again';
    }
    if (
      error instanceof ConnectionError &&
      !(error instanceof TimeoutError) &&
      !(error instanceof AbortError) &&
      mayResend(error, reads, call)
    ) {
      // The node could not be reached (or dropped a read): ask the cluster where the slot is now.
      this.stats.rerouted++;
      await Promise.allSettled([this.refresh(), this.pause(hop, deadlineAt)]);
      return reads ? 'replica-failed' : 'again';
    }
    return 'throw';
  }

  /** A growing pause (25 ms doubling, at most 500 ms), never past the deadline. */
  private async pause(hop: number, deadlineAt: number): Promise<void> {
    const ms = Math.min(500, 25 * 2 ** Math.min(hop, 5), Math.max(0, deadlineAt - Date.now() - 1));
    if (ms > 0) await sleep(ms);
  }

  private async fanOut(
    command: Command,
    targets: { address: NodeAddress; replica: boolean }[],
  ): Promise<unknown> {
    const outcomes = await Promise.allSettled(
      targets.map((t) => this.client(t.address, t.replica).runner.run(command)),
    );
    const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected');
    if (failed?.reason instanceof ConnectionError) this.suspect();
    if (command.info.responsePolicy === 'one_succeeded') {
      const ok = outcomes.find((o): o is PromiseFulfilledResult<unknown> => o.status === 'fulfilled');
      if (ok !== undefined) return ok.value;
    }
    if (failed !== undefined) throw failed.reason;
    const values = outcomes.map((o) => (o as PromiseFulfilledResult<unknown>).value);
    return combine(
      command,
      values,
      targets.map((t) => addressKey(t.address)),
    );
  }

  /** A pipeline split by node, sent in parallel, put back in call order; redirected slots re-sent. */
  private async runPipeline(commands: readonly Command[], batch: BatchOptions): Promise<unknown[]> {
    const map = await this.ready();
    const results = new Array<unknown>(commands.length);
    const groups = new Map<RedisClient, number[]>();
    const alone: number[] = [];
    let anyNode: RedisClient | undefined;
    commands.forEach((command, i) => {
      let where;
      try {
        where = route(command);
      } catch (error) {
        // A CROSSSLOT command holds its error in its slot; a malformed one fails the call.
        if (!(error instanceof RedisError)) throw error;
        results[i] = error;
        return;
      }
      if (where.kind !== 'slot' && where.kind !== 'any') {
        alone.push(i);
        return;
      }
      let client: RedisClient;
      if (where.kind === 'any') {
        client = anyNode ??= this.client(this.shard(map, undefined).primary);
      } else {
        const pick = this.pick(map, where.slot, onlyReads(command.info, command.args));
        client = this.client(pick.address, pick.replica);
      }
      const list = groups.get(client);
      if (list === undefined) groups.set(client, [i]);
      else list.push(i);
    });
    const again: number[] = [];
    await Promise.all([
      ...[...groups].map(async ([client, indexes]) => {
        let replies: unknown[];
        try {
          replies = await client.runner.runBatch(
            indexes.map((i) => commands[i] as Command),
            batch,
          );
        } catch {
          // Nothing of this node's share was sent: each command finds its node again on its own.
          again.push(...indexes);
          return;
        }
        indexes.forEach((i, j) => {
          const reply = replies[j];
          if (redirectable(reply)) again.push(i);
          else results[i] = reply;
        });
      }),
      ...alone.map(async (i) => {
        results[i] = await this.run({ ...(commands[i] as Command), options: batch.options }).catch(asValue);
      }),
    ]);
    await Promise.all(
      again.map(async (i) => {
        const command = { ...(commands[i] as Command), options: batch.options };
        const slot = keySlots(command)[0];
        results[i] = await this.runOnSlot(command, slot).catch(asValue);
      }),
    );
    return results;
  }

  /** MULTI ... EXEC: every key in one slot (else CrossSlotError before sending), on its primary. */
  private async runTransaction(commands: readonly Command[], batch: BatchOptions): Promise<unknown[]> {
    const slots = commands.flatMap(keySlots);
    const slot = slots[0];
    if (slots.some((s) => s !== slot)) throw crossSlot('MULTI', slots);
    for (let hop = 0; ; hop++) {
      const client = await this.primaryFor(slot);
      try {
        return await client.runner.runBatch(commands, batch);
      } catch (error) {
        // A queued command refused with MOVED: nothing ran; the slot moved, so follow it.
        const moved = error instanceof ExecAbortError && error.cause instanceof MovedError;
        if (!moved || hop >= this.options.maxRedirections || slot === undefined) throw error;
        this.stats.moved++;
        await this.refresh();
      }
    }
  }

  private async _refresh(): Promise<SlotMap> {
    const wait = this.lastRefreshAt + REFRESH_GAP_MS - Date.now();
    if (wait > 0 && this.map !== undefined) await sleep(wait);
    if (this._closed) throw new ClientClosedError('the cluster client is closed');
    this.stats.refreshes++;
    const known = this.map?.nodes() ?? [];
    const candidates = new Map<string, NodeAddress>();
    for (const address of [...known, ...this.options.rootNodes]) candidates.set(addressKey(address), address);
    const failures: string[] = [];
    let auth: AuthenticationError | undefined;
    let last: unknown;
    for (const [key, address] of candidates) {
      try {
        const map = await this._ask(address);
        if (map.shards.length === 0) {
          failures.push(`${key}: no slots are assigned`);
          continue;
        }
        this.adopt(map);
        return map;
      } catch (error) {
        last = error;
        if (error instanceof AuthenticationError) auth ??= error;
        failures.push(
          `${key}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`,
        );
      }
    }
    if (auth !== undefined) throw auth;
    throw new ClusterError(`no node answered with the slot map (${failures.join('; ')})`, { cause: last });
  }

  /** One node's slot map: CLUSTER SHARDS, or CLUSTER SLOTS where the server lacks it. */
  private async _ask(address: NodeAddress): Promise<SlotMap> {
    const view = this.client(address).withOptions({ timeout: REFRESH_TIMEOUT_MS });
    const origin = { asked: address, tls: this.options.tls };
    try {
      return SlotMap.fromShards(await view.clusterShards(), origin);
    } catch (error) {
      if (!(error instanceof ReplyError) || error instanceof AuthenticationError) throw error;
      return SlotMap.fromSlots(await view.clusterSlots(), origin);
    }
  }

  /**
   * A node was lost: refresh now, and every WATCH_INTERVAL_MS for a while, until the slot map
   * changes (a failover takes the cluster a node timeout or more to decide).
   */
  private suspect(): void {
    if (this._closed) return;
    this.watchUntil = Date.now() + WATCH_FOR_MS;
    this.refresh().catch((e: unknown) => this.report(e));
    if (this.watch !== undefined) return;
    this.watch = setInterval(() => {
      if (this._closed || Date.now() > this.watchUntil) {
        clearInterval(this.watch);
        this.watch = undefined;
        return;
      }
      this.refresh().catch((e: unknown) => this.report(e));
    }, WATCH_INTERVAL_MS);
    this.watch.unref();
  }

  private adopt(map: SlotMap): void {
    const before = this.map;
    this.map = map;
    if (before !== undefined && before.equals(map)) return;
    // The change came: no need to keep watching.
    this.watchUntil = 0;
    // Clients of nodes that left the cluster are closed; their pending calls finish first.
    const live = new Set<string>();
    for (const shard of map.shards) {
      live.add(addressKey(this.options.mapAddress(shard.primary)));
      for (const r of shard.replicas) live.add(`${addressKey(this.options.mapAddress(r))}/replica`);
    }
    for (const root of this.options.rootNodes) live.add(addressKey(this.options.mapAddress(root)));
    for (const [key, client] of this.clients) {
      if (!live.has(key) && !live.has(key.replace(/\/replica$/, ''))) {
        this.clients.delete(key);
        void client.close();
      }
    }
    this.events.emit('topology', {
      primaries: map.shards.map((s) => addressKey(s.primary)),
      replicas: map.shards.flatMap((s) => s.replicas.map(addressKey)),
    });
  }
}

/** A re-send: what is left of the call's deadline is its budget. */
function withBudget(command: Command, deadlineAt: number): Command {
  if (!Number.isFinite(deadlineAt)) return command;
  const timeout = Math.max(1, Math.ceil(deadlineAt - Date.now()));
  return { ...command, options: { ...command.options, timeout } };
}

/** A slot reply that says "not here" (or "not now"): the command did not run there. */
function redirectable(reply: unknown): boolean {
  return (
    reply instanceof MovedError ||
    reply instanceof AskError ||
    reply instanceof TryAgainError ||
    reply instanceof ClusterDownError ||
    reply instanceof LoadingError ||
    (reply instanceof ConnectionError && !reply.mayHaveExecuted && !(reply instanceof TimeoutError))
  );
}

function asValue(error: unknown): unknown {
  if (error instanceof RedisError) return error;
  throw error;
}
