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
import { isSubscriberCommand, subscriberCommandError } from '../pubsub/commands.js';
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

/** A command waiting in the offline queue for the multiplexed connection. */
interface Waiter {
  reject(error: Error): void;
}

/** One call across its attempts: the deadlines are fixed when the call starts. */
interface Call {
  readonly info: CommandInfo;
  readonly args: RedisArgument[];
  readonly shape: ReplyShape;
  readonly call: CallOptions | undefined;
  readonly returnBuffers: boolean;
  /** The call's own budget in ms (0 = none) and when it runs out. */
  readonly timeout: number;
  readonly deadlineAt: number;
  /** When the call has waited long enough for a connection (offlineQueueTimeout, in all). */
  offlineUntil: number;
  /** An earlier attempt may have reached the server (a read-only or idempotent re-send). */
  mayHaveExecuted: boolean;
}

export class ClientCore {
  readonly events = new EventEmitter<ClientEvents>();
  readonly pool: ConnectionPool<Connection>;
  #main: Connection | undefined;
  #connecting: Promise<Connection> | undefined;
  readonly #waiters = new Set<Waiter>();
  #closed = false;
  /** Aborts reconnect back-off waits when the client closes. */
  readonly #closing = new AbortController();
  /** Why the last connect attempt failed (named by offline-queue timeouts). */
  #lastConnectError: unknown;
  /** Consecutive connect cycles that failed; the next cycle waits its back-off first. */
  #failedCycles = 0;
  #nextCycleAt = 0;

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

  /**
   * The multiplexed connection, (re)connecting when needed. A caller waits in the offline queue,
   * bounded in length (maxOfflineQueue) and in time: until `waitUntil` (default: now +
   * offlineQueueTimeout) or its own deadline `deadlineAt`, whichever comes first. Every waiter
   * settles: connected, failed, timed out, aborted, or the client closed.
   */
  connection(
    signal?: AbortSignal,
    deadlineAt = Infinity,
    waitUntil = Date.now() + this.options.offlineQueueTimeout,
    command?: string,
  ): Promise<Connection> {
    if (this.#closed) return Promise.reject(new ClientClosedError('the client is closed'));
    const current = this.current;
    if (current) return Promise.resolve(current);
    const what = command === undefined ? 'waiting for a connection' : `${command} waiting for a connection`;
    if (signal?.aborted) {
      return Promise.reject(new AbortError(`${what}: aborted`, { cause: signal.reason, command }));
    }
    if (this.#waiters.size >= this.options.maxOfflineQueue) {
      return Promise.reject(
        new QueueFullError(
          `offline queue is full (${this.options.maxOfflineQueue} commands wait for a connection)`,
          { command },
        ),
      );
    }
    const pending = (this.#connecting ??= this.#connect().finally(() => (this.#connecting = undefined)));
    return new Promise<Connection>((resolve, reject) => {
      const byDeadline = deadlineAt <= waitUntil;
      const ms = Math.max(0, Math.min(deadlineAt, waitUntil) - Date.now());
      const timer = Number.isFinite(ms)
        ? setTimeout(() => {
            leave();
            reject(byDeadline ? this.#deadlineError(command) : this.#offlineTimeout(command));
          }, ms)
        : undefined;
      const onAbort = () => {
        leave();
        reject(new AbortError(`${what}: aborted`, { cause: signal?.reason, command }));
      };
      const waiter: Waiter = {
        reject: (error) => {
          leave();
          reject(error);
        },
      };
      const leave = () => {
        this.#waiters.delete(waiter);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      this.#waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      pending.then(
        (conn) => {
          if (!this.#waiters.has(waiter)) return;
          leave();
          resolve(conn);
        },
        (error: unknown) =>
          waiter.reject(error instanceof Error ? error : new ConnectionError(String(error))),
      );
    });
  }

  #deadlineError(command: string | undefined): TimeoutError {
    return new TimeoutError(
      `${command ?? 'the command'} timed out before it was sent (no connection within its deadline)`,
      {
        command,
        mayHaveExecuted: false,
        cause: this.#lastConnectError,
      },
    );
  }

  #offlineTimeout(command: string | undefined): QueueFullError {
    const last = this.#lastConnectError;
    const why = last instanceof Error ? `; last connect failure: ${last.message}` : '';
    return new QueueFullError(
      `${command ?? 'command'} waited ${this.options.offlineQueueTimeout} ms in the offline queue without a connection and was not sent${why}`,
      { command, cause: last },
    );
  }

  async #connect(): Promise<Connection> {
    let failures = 0;
    const signal = this.#closing.signal;
    // A new cycle right after failed ones waits its back-off too: callers retrying in a loop
    // (or a server refusing the handshake) must not turn into a connect storm.
    const wait = this.#nextCycleAt - Date.now();
    if (wait > 0) await sleep(wait, signal);
    let conn: Connection;
    try {
      conn = await this.options.reconnect.callWithRetry(
        () => {
          if (this.#closed) throw new ClientClosedError('the client is closed');
          return Connection.connect(this.options.connection);
        },
        (error) => {
          failures++;
          this.#lastConnectError = error;
          if (!this.#closed && this.events.listenerCount('reconnecting') > 0) {
            this.events.emit('reconnecting', { attempt: failures, error });
          }
        },
        { signal },
      );
    } catch (error) {
      this.#lastConnectError = error;
      this.#failedCycles += 1;
      this.#nextCycleAt = Date.now() + this.options.reconnect.backoff.compute(this.#failedCycles);
      throw this.#closed ? new ClientClosedError('the client is closed') : error;
    }
    this.#failedCycles = 0;
    this.#nextCycleAt = 0;
    if (this.#closed) {
      conn.destroy();
      throw new ClientClosedError('the client is closed');
    }
    this.#main = conn;
    conn.on('push', (data) => this.events.emit('push', data));
    conn.once('close', (error) => {
      if (this.#main === conn) this.#main = undefined;
      // A close the caller caused (its deadline or AbortSignal) already rejected that caller: not
      // a background failure, and no reason to crash an application without an 'error' listener.
      const ownDoing = error instanceof TimeoutError || error instanceof AbortError;
      if (error && !ownDoing && !this.#closed && this.events.listenerCount('error') > 0) {
        this.events.emit('error', error);
      }
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

  /**
   * Runs one command: dedicated connection when blocking, else the multiplexed one; with re-sends.
   * The call's timeout bounds it whole: waiting for a connection, every attempt and re-send.
   */
  execute(info: CommandInfo, args: RedisArgument[], shape: ReplyShape, call?: CallOptions): Promise<unknown> {
    // SUBSCRIBE and friends would turn the shared connection into a subscriber; they belong to
    // the pub/sub layer (client.subscribe/messages).
    if (info.pubsub && isSubscriberCommand(info)) {
      return Promise.reject(subscriberCommandError(info, 'on the shared connection'));
    }
    const returnBuffers = call?.returnBuffers ?? this.options.returnBuffers;
    const conn = this.current;
    if (info.blocking) return this.#executeDedicated(info, args, shape, call, returnBuffers);
    const timeout = call?.timeout ?? this.options.connection.commandTimeout ?? 0;
    const now = timeout > 0 || !conn ? Date.now() : 0;
    const state: Call = {
      info,
      args,
      shape,
      call,
      returnBuffers,
      timeout,
      deadlineAt: timeout > 0 ? now + timeout : Infinity,
      offlineUntil: Infinity,
      mayHaveExecuted: false,
    };
    // Fast path: connected, no per-call options.
    if (conn && call === undefined) {
      return conn.send(info.name, args, returnBuffers ? { returnBuffers } : undefined).then(
        (raw) => normalizeReply(raw, shape),
        (error: unknown) => this.#retry(state, error, 1),
      );
    }
    return this.#attempt(state, 0);
  }

  async #attempt(state: Call, attempt: number): Promise<unknown> {
    const { info, call } = state;
    try {
      let conn = this.current;
      if (!conn) {
        if (state.offlineUntil === Infinity)
          state.offlineUntil = Date.now() + this.options.offlineQueueTimeout;
        conn = await this.connection(call?.signal, state.deadlineAt, state.offlineUntil, info.name);
      }
      const left = state.deadlineAt - Date.now();
      if (left <= 0) throw this.#deadlineError(info.name);
      const raw = await conn.send(info.name, state.args, {
        timeout: state.timeout > 0 ? Math.max(1, Math.ceil(left)) : 0,
        ...(call?.signal === undefined ? {} : { signal: call.signal }),
        returnBuffers: state.returnBuffers,
      });
      return normalizeReply(raw, state.shape);
    } catch (error) {
      return this.#retry(state, error, attempt + 1);
    }
  }

  #retry(state: Call, error: unknown, attempt: number): Promise<unknown> {
    const { info, call } = state;
    if (
      this.#closed ||
      attempt > this.options.commandRetries ||
      state.deadlineAt <= Date.now() ||
      !this.mayResend(info, error, call)
    ) {
      if (state.mayHaveExecuted && error instanceof ConnectionError && !error.mayHaveExecuted) {
        // This attempt was not sent, but an earlier one was: the outcome is still unknown.
        error.mayHaveExecuted = true;
        const before = error.message;
        error.message += '; an earlier attempt was written and may have executed';
        // The stack was formatted when the error was made; keep its first line in step.
        if (error.stack !== undefined) error.stack = error.stack.replace(before, error.message);
      }
      return Promise.reject(nameCommand(error, info.name));
    }
    if (error instanceof ConnectionError && error.mayHaveExecuted) state.mayHaveExecuted = true;
    return this.#attempt(state, attempt);
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

  /** Rejects every command waiting for a connection and stops reconnect waits. */
  #rejectWaiters(error: Error): void {
    this.#closing.abort();
    for (const waiter of [...this.#waiters]) waiter.reject(error);
  }

  /** Graceful: waits for pending replies on every connection, then closes them. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#rejectWaiters(
      new ClientClosedError('the client was closed while the command waited for a connection'),
    );
    const main = this.#main;
    this.#main = undefined;
    await Promise.allSettled([main?.close(), this.#connecting, this.pool.close()]);
    this.events.emit('end');
  }

  /** Immediate: every pending command rejects, every socket is destroyed. */
  disconnect(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#rejectWaiters(
      new ClientClosedError('the client was disconnected while the command waited for a connection'),
    );
    this.#main?.destroy(new ClientClosedError('the client was disconnected'));
    this.#main = undefined;
    void this.pool.disconnect(true);
    this.events.emit('end');
  }
}

/** Resolves after `ms`, or rejects with AbortError when `signal` fires first. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(new AbortError('reconnect wait aborted'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError('reconnect wait aborted'));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function nameCommand(error: unknown, command: string): unknown {
  if (error instanceof RedisError && error.command === undefined) error.command = command;
  return error;
}
