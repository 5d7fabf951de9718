// One server, supervised: its multiplexed connection (opened lazily, re-opened by single-flight
// connect cycles, with an offline queue for the callers that wait meanwhile), a pool of dedicated
// connections for leases (blocking commands, WATCH scopes), and subscriber links. A node hands out
// connections; what is sent on them, and when again, is the runner's business. A standalone
// client is one node; a sentinel client one node whose address moves; a cluster many nodes.
import { EventEmitter } from 'node:events';
import {
  Connection,
  ConnectionPool,
  DEFAULT_HOST,
  DEFAULT_PORT,
  type ConnectionOptions,
} from '../connection/index.js';
import { connectChannel, traceConnect, traced, type TraceTarget } from '../runner/tracing.js';
import {
  AbortError,
  ClientClosedError,
  OfflineTimeoutError,
  PoolTimeoutError,
  TimeoutError,
} from '../errors.js';
import type { Retry } from '../retry/index.js';
import type { ClientEvents } from './events.js';
import { OfflineQueue } from './offline-queue.js';
import { ConnectCycle } from './reconnect.js';
import { openSubscriberLink, type SubscriberLink, type SubscriberLinkHandlers } from './subscriber-link.js';

/** What a node needs to know: how to reach its server, and the bounds of its queue and pool. */
export interface NodeOptions {
  readonly connection: ConnectionOptions;
  /** Connections for dedicated leases. */
  readonly poolSize: number;
  /** Ms a lease waits for a pooled connection. */
  readonly poolTimeout: number;
  /** How connects and reconnects are retried. */
  readonly reconnect: Retry;
  /** Callers that may wait for a (re)connection at once. */
  readonly maxOfflineQueue: number;
  /** Ms a caller may wait, in all, for a (re)connection. */
  readonly offlineQueueTimeout: number;
}

/** How long a caller may wait for a connection, and who it is (named by the errors). */
export interface ConnectionWait {
  readonly signal?: AbortSignal | undefined;
  /** The call's deadline (epoch ms; Infinity = none). */
  readonly deadlineAt: number;
  /** How long it may wait offline in all (epoch ms; default now + offlineQueueTimeout). */
  readonly waitUntil?: number;
  readonly command?: string | undefined;
}

export class Node {
  readonly events = new EventEmitter<ClientEvents>();
  readonly pool: ConnectionPool<Connection>;
  readonly options: NodeOptions;
  /** What trace events say about this node's server. */
  readonly traceTarget: TraceTarget;
  /** The server's name from the last handshake ('redis' until one said otherwise). */
  private system = 'redis';
  private readonly queue: OfflineQueue;
  private readonly cycle: ConnectCycle;
  private main: Connection | undefined;
  private _closed = false;

  constructor(options: NodeOptions) {
    this.options = options;
    const { connection } = options;
    this.traceTarget = {
      address: connection.path ?? connection.host ?? DEFAULT_HOST,
      port: connection.path === undefined ? (connection.port ?? DEFAULT_PORT) : undefined,
      db: connection.db ?? 0,
      system: () => this.system,
    };
    this.pool = new ConnectionPool<Connection>({
      factory: () => this.open(),
      maxConnections: options.poolSize,
      acquireTimeout: options.poolTimeout,
    });
    this.queue = new OfflineQueue(options.maxOfflineQueue);
    this.cycle = new ConnectCycle({
      open: () => this.open(),
      reconnect: options.reconnect,
      onRetry: (attempt, error) => {
        if (this.events.listenerCount('reconnecting') > 0)
          this.events.emit('reconnecting', { attempt, error });
      },
      onConnect: (conn) => this.adopt(conn),
    });
  }

  get connectionOptions(): ConnectionOptions {
    return this.options.connection;
  }

  get closed(): boolean {
    return this._closed;
  }

  /** The multiplexed connection when it is open, without waiting. */
  get current(): Connection | undefined {
    const main = this.main;
    return main && main.status === 'open' ? main : undefined;
  }

  /**
   * The multiplexed connection, (re)connecting when needed. The caller waits in the offline
   * queue, bounded in length (maxOfflineQueue) and in time: until `waitUntil` or its own
   * deadline, whichever comes first.
   */
  connection(wait: ConnectionWait = { deadlineAt: Infinity }): Promise<Connection> {
    if (this._closed) return Promise.reject(new ClientClosedError('the client is closed'));
    const current = this.current;
    if (current) return Promise.resolve(current);
    const { command } = wait;
    return this.queue.wait(() => this.cycle.connect(), {
      signal: wait.signal,
      deadlineAt: wait.deadlineAt,
      waitUntil: wait.waitUntil ?? Date.now() + this.options.offlineQueueTimeout,
      command,
      deadlineError: () => deadlineBeforeSend(command, this.cycle.lastError),
      offlineError: () => {
        const last = this.cycle.lastError;
        const why = last instanceof Error ? `; last connect failure: ${last.message}` : '';
        return new OfflineTimeoutError(
          `${command ?? 'command'} waited ${this.options.offlineQueueTimeout} ms in the offline queue without a connection and was not sent${why}`,
          { command, cause: last, mayHaveExecuted: false },
        );
      },
    });
  }

  /** Makes a freshly connected connection the multiplexed one (once per connect cycle). */
  /** Opens one connection to the server (traced as redspec:connect when someone listens). */
  private async open(): Promise<Connection> {
    const connect = () => Connection.connect(this.options.connection);
    const conn = traced(connectChannel) ? await traceConnect(this.traceTarget, connect) : await connect();
    if (conn.server !== undefined) this.system = conn.server.server;
    return conn;
  }

  private adopt(conn: Connection): void {
    this.main = conn;
    conn.on('push', (data) => this.events.emit('push', data));
    conn.once('close', (error) => {
      if (this.main === conn) this.main = undefined;
      // A close the caller caused (its deadline or AbortSignal) already rejected that caller: not
      // a background failure, and no reason to crash an application without an 'error' listener.
      const ownDoing = error instanceof TimeoutError || error instanceof AbortError;
      if (error && !ownDoing && !this._closed && this.events.listenerCount('error') > 0) {
        this.events.emit('error', error);
      }
    });
    this.events.emit('connect');
    this.events.emit('ready');
  }

  /**
   * A dedicated connection from the pool, for exclusive use until release(). The wait, and the
   * connect of a new one, are bounded by the pool's timeout and the call's deadline.
   */
  async acquire(wait: ConnectionWait): Promise<Connection> {
    const { command } = wait;
    if (this._closed) throw new ClientClosedError(`${command ?? 'lease'}: the client is closed`, { command });
    const left = wait.deadlineAt - Date.now();
    const byDeadline = left < this.options.poolTimeout;
    try {
      return await this.pool.acquire({
        timeout: Math.max(0, Math.min(left, this.options.poolTimeout)),
        ...(wait.signal === undefined ? {} : { signal: wait.signal }),
      });
    } catch (error) {
      if (error instanceof PoolTimeoutError) {
        if (byDeadline) throw deadlineBeforeSend(command, error);
        throw new PoolTimeoutError(`${command ?? 'lease'}: ${error.message}`, { command, cause: error });
      }
      throw error;
    }
  }

  /** Gives a dedicated connection back; one that is not idle and clean is destroyed. */
  release(conn: Connection): Promise<void> {
    if (!conn.isHealthy()) conn.destroy();
    return this.pool.release(conn);
  }

  /** A subscriber connection of its own, re-made by the reconnect policy after a drop. */
  openSubscriber(handlers: SubscriberLinkHandlers): Promise<SubscriberLink> {
    if (this._closed) return Promise.reject(new ClientClosedError('the client is closed'));
    return openSubscriberLink(
      this.options,
      () => this.open(),
      handlers,
      () => this._closed,
    );
  }

  private end(why: string): Connection | undefined {
    this._closed = true;
    this.cycle.close();
    this.queue.rejectAll(
      new ClientClosedError(`the client was ${why} while the command waited for a connection`),
    );
    const main = this.main;
    this.main = undefined;
    return main;
  }

  /** Graceful: waits for pending replies on every connection, then closes them. */
  async close(): Promise<void> {
    if (this._closed) return;
    const main = this.end('closed');
    await Promise.allSettled([main?.close(), this.cycle.pending, this.pool.close()]);
    this.events.emit('end');
  }

  /** Immediate: every pending command rejects, every socket is destroyed. */
  disconnect(): void {
    if (this._closed) return;
    this.end('disconnected')?.destroy(new ClientClosedError('the client was disconnected'));
    void this.pool.disconnect(true);
    this.events.emit('end');
  }
}

/** A call whose deadline passed before it could be written: it did not run. */
export function deadlineBeforeSend(command: string | undefined, cause: unknown): TimeoutError {
  return new TimeoutError(
    `${command ?? 'the command'} timed out before it was sent (no connection within its deadline)`,
    { command, mayHaveExecuted: false, cause },
  );
}
