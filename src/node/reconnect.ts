// Single-flight connect cycles to one server: one cycle at a time however many callers wait, each
// cycle retried by the client's reconnect policy, and a cycle right after failed ones waits its
// back-off first, so callers retrying in a loop (or a server refusing the handshake) never turn
// into a connect storm. Remembers why the last attempt failed, for the errors of waiting callers.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from '../connection/index.js';
import { ClientClosedError } from '../errors.js';
import type { Retry } from '../retry/index.js';

export interface ConnectCycleOptions {
  /** Opens one connection (socket and handshake). */
  readonly open: () => Promise<Connection>;
  readonly reconnect: Retry;
  /** Called before each retry of a failed attempt (attempt counts from 1). */
  readonly onRetry: (attempt: number, error: unknown) => void;
  /** Called once per successful cycle, before its waiters resume. */
  readonly onConnect: (conn: Connection) => void;
}

export class ConnectCycle {
  private readonly options: ConnectCycleOptions;
  /** Aborts back-off waits when the node closes. */
  private readonly closing = new AbortController();
  private _pending: Promise<Connection> | undefined;
  private failedCycles = 0;
  private nextCycleAt = 0;
  /** Why the last connect attempt failed (named by offline-queue timeouts). */
  lastError: unknown;

  constructor(options: ConnectCycleOptions) {
    this.options = options;
  }

  get closed(): boolean {
    return this.closing.signal.aborted;
  }

  /** The cycle in progress, or a new one. */
  connect(): Promise<Connection> {
    return (this._pending ??= this.cycle().finally(() => (this._pending = undefined)));
  }

  /** The cycle in progress, if any (close waits for it). */
  get pending(): Promise<Connection> | undefined {
    return this._pending;
  }

  /** Stops every back-off wait; cycles in progress end with ClientClosedError. */
  close(): void {
    this.closing.abort();
  }

  private async cycle(): Promise<Connection> {
    const { signal } = this.closing;
    let failures = 0;
    try {
      const wait = this.nextCycleAt - Date.now();
      if (wait > 0) await sleep(wait, undefined, { signal });
      const conn = await this.options.reconnect.callWithRetry(
        () => {
          if (this.closed) throw new ClientClosedError('the client is closed');
          return this.options.open();
        },
        (error) => {
          failures++;
          this.lastError = error;
          if (!this.closed) this.options.onRetry(failures, error);
        },
        { signal },
      );
      this.failedCycles = 0;
      this.nextCycleAt = 0;
      if (this.closed) {
        conn.destroy();
        throw new ClientClosedError('the client is closed');
      }
      this.options.onConnect(conn);
      return conn;
    } catch (error) {
      if (this.closed) throw new ClientClosedError('the client is closed', { cause: error });
      this.lastError = error;
      this.failedCycles += 1;
      this.nextCycleAt = Date.now() + this.options.reconnect.backoff.compute(this.failedCycles);
      throw error;
    }
  }
}
