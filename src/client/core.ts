// The state behind a client: one multiplexed connection for ordinary commands (auto-pipelined),
// a pool for dedicated leases (blocking commands, transactions, pub/sub), single-flight
// (re)connects with backoff, a bounded offline queue, and the at-most-once re-send rule:
// a command whose bytes may have reached the server is re-sent only when the command table says
// it is read-only (and not blocking) or the caller said it is idempotent.
import { EventEmitter } from 'node:events';
import type { CommandInfo, RedisArgument, ReplyShape } from '../../generated/executor.js';
import { Connection, ConnectionPool, type ConnectionOptions } from '../connection/index.js';
import {
  AbortError,
  ClientClosedError,
  ConnectionError,
  QueueFullError,
  RedisError,
  TimeoutError,
} from '../errors.js';
import { normalizeReply } from '../reply/normalize.js';
import type { RespValue } from '../resp/types.js';
import { blockingDeadline } from './blocking.js';
import type { ResolvedClientOptions } from './options.js';

/** Per-call options, set with `client.withOptions({...})`. */
export interface CallOptions {
  /** Deadline in ms for this call (default: the client's commandTimeout; 0 = none). */
  timeout?: number;
  /** Cancels the call. If the command was already written, its connection is closed. */
  signal?: AbortSignal;
  /** Replies with strings as Buffers. */
  returnBuffers?: boolean;
  /** The caller vouches that running this command twice is harmless: it may be re-sent. */
  idempotent?: boolean;
}

export interface ClientEvents {
  /** A connection to the server was opened and its handshake finished. */
  connect: [];
  /** The client can serve commands (after connect and after every reconnect). */
  ready: [];
  /** A background failure (a dropped connection); command failures reject their promise instead. */
  error: [error: Error];
  /** A reconnect attempt is about to start; `attempt` counts from 1, `error` is why. */
  reconnecting: [info: { attempt: number; error: unknown }];
  /** The client was closed; no more commands are accepted. */
  end: [];
  /** A RESP3 push frame that no subscription consumed. */
  push: [data: RespValue[]];
}

export class ClientCore {
  readonly events = new EventEmitter<ClientEvents>();
  readonly pool: ConnectionPool<Connection>;
  #main: Connection | undefined;
  #connecting: Promise<Connection> | undefined;
  #waiting = 0;
  #closed = false;

  constructor(readonly options: ResolvedClientOptions) {
    this.pool = new ConnectionPool<Connection>({
      factory: () => Connection.connect(this.options.connection),
      maxConnections: options.poolSize,
      acquireTimeout: options.poolTimeout,
    });
  }

  get connectionOptions(): ConnectionOptions {
    return this.options.connection;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /** The multiplexed connection when it is open, without waiting. */
  get current(): Connection | undefined {
    const main = this.#main;
    return main && main.status === 'open' ? main : undefined;
  }

  /** The multiplexed connection, (re)connecting when needed; bounded by maxOfflineQueue. */
  async connection(signal?: AbortSignal): Promise<Connection> {
    if (this.#closed) throw new ClientClosedError('the client is closed');
    const current = this.current;
    if (current) return current;
    if (this.#waiting >= this.options.maxOfflineQueue) {
      throw new QueueFullError(`offline queue is full (${this.options.maxOfflineQueue} commands wait for a connection)`);
    }
    this.#waiting++;
    try {
      const pending = (this.#connecting ??= this.#connect().finally(() => (this.#connecting = undefined)));
      if (!signal) return await pending;
      signal.throwIfAborted();
      return await new Promise<Connection>((resolve, reject) => {
        const onAbort = () => reject(new AbortError('aborted while waiting for a connection'));
        signal.addEventListener('abort', onAbort, { once: true });
        pending.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
      });
    } finally {
      this.#waiting--;
    }
  }

  async #connect(): Promise<Connection> {
    let failures = 0;
    const conn = await this.options.reconnect.callWithRetry(
      () => {
        if (this.#closed) throw new ClientClosedError('the client is closed');
        return Connection.connect(this.options.connection);
      },
      (error) => {
        failures++;
        if (!this.#closed && this.events.listenerCount('reconnecting') > 0) {
          this.events.emit('reconnecting', { attempt: failures, error });
        }
      },
    );
    if (this.#closed) {
      conn.destroy();
      throw new ClientClosedError('the client is closed');
    }
    this.#main = conn;
    conn.on('push', (data) => this.events.emit('push', data));
    conn.once('close', (error) => {
      if (this.#main === conn) this.#main = undefined;
      if (error && !this.#closed && this.events.listenerCount('error') > 0) this.events.emit('error', error);
    });
    this.events.emit('connect');
    this.events.emit('ready');
    return conn;
  }

  /** Whether a failed command may be sent again (principle 4, at-most-once by default). */
  mayResend(info: CommandInfo | undefined, error: unknown, call: CallOptions | undefined): boolean {
    if (!(error instanceof ConnectionError) || error instanceof TimeoutError || error instanceof AbortError) {
      return false;
    }
    if (!error.mayHaveExecuted) return true;
    if (call?.idempotent) return true;
    return info !== undefined && info.readonly && !info.blocking;
  }

  /** Runs one command: dedicated connection when blocking, else the multiplexed one; with re-sends. */
  execute(info: CommandInfo, args: RedisArgument[], shape: ReplyShape, call?: CallOptions): Promise<unknown> {
    const returnBuffers = call?.returnBuffers ?? this.options.returnBuffers;
    const conn = this.current;
    if (info.blocking) return this.#executeDedicated(info, args, shape, call, returnBuffers);
    // Fast path: connected, no per-call options.
    if (conn && call === undefined) {
      return conn.send(info.name, args, returnBuffers ? { returnBuffers } : undefined).then(
        (raw) => normalizeReply(raw, shape),
        (error: unknown) => this.#retry(info, args, shape, call, returnBuffers, error, 1),
      );
    }
    return this.#attempt(info, args, shape, call, returnBuffers, 0);
  }

  async #attempt(
    info: CommandInfo,
    args: RedisArgument[],
    shape: ReplyShape,
    call: CallOptions | undefined,
    returnBuffers: boolean,
    attempt: number,
  ): Promise<unknown> {
    try {
      const conn = await this.connection(call?.signal);
      const raw = await conn.send(info.name, args, {
        ...(call?.timeout === undefined ? {} : { timeout: call.timeout }),
        ...(call?.signal === undefined ? {} : { signal: call.signal }),
        returnBuffers,
      });
      return normalizeReply(raw, shape);
    } catch (error) {
      return this.#retry(info, args, shape, call, returnBuffers, error, attempt + 1);
    }
  }

  #retry(
    info: CommandInfo,
    args: RedisArgument[],
    shape: ReplyShape,
    call: CallOptions | undefined,
    returnBuffers: boolean,
    error: unknown,
    attempt: number,
  ): Promise<unknown> {
    if (this.#closed || attempt > this.options.commandRetries || !this.mayResend(info, error, call)) {
      return Promise.reject(nameCommand(error, info.name));
    }
    return this.#attempt(info, args, shape, call, returnBuffers, attempt);
  }

  async #executeDedicated(
    info: CommandInfo,
    args: RedisArgument[],
    shape: ReplyShape,
    call: CallOptions | undefined,
    returnBuffers: boolean,
  ): Promise<unknown> {
    if (this.#closed) throw new ClientClosedError('the client is closed');
    const base = call?.timeout ?? this.options.connection.commandTimeout ?? 0;
    const timeout = blockingDeadline(info, args, base);
    const conn = await this.pool.acquire(call?.signal ? { signal: call.signal } : {});
    try {
      const raw = await conn.send(info.name, args, {
        timeout,
        ...(call?.signal === undefined ? {} : { signal: call.signal }),
        returnBuffers,
      });
      return normalizeReply(raw, shape);
    } catch (error) {
      throw nameCommand(error, info.name);
    } finally {
      await this.pool.release(conn);
    }
  }

  /** Graceful: waits for pending replies on every connection, then closes them. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const main = this.#main;
    this.#main = undefined;
    await Promise.allSettled([main?.close(), this.#connecting, this.pool.close()]);
    this.events.emit('end');
  }

  /** Immediate: every pending command rejects, every socket is destroyed. */
  disconnect(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#main?.destroy(new ClientClosedError('the client was disconnected'));
    this.#main = undefined;
    void this.pool.disconnect(true);
    this.events.emit('end');
  }
}

function nameCommand(error: unknown, command: string): unknown {
  if (error instanceof RedisError && error.command === undefined) error.command = command;
  return error;
}
