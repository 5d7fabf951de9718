// A lease: one dedicated connection, held for a callback (a WATCH scope, a blocking command). Its
// commands run on that connection alone and are never re-sent elsewhere: state such as WATCH or a
// server-side block lives on the connection and dies with it. Each command has its own deadline
// (a blocking one: its block time plus the budget). Ended when the callback returns, after which
// a handle kept by the caller can no longer reach the connection back in the pool.
import type { Connection, SendOptions } from '../connection/index.js';
import { ClientClosedError } from '../errors.js';
import { subscriberCommandError } from '../pubsub/commands.js';
import { normalizeReply } from '../reply/normalize.js';
import { blockingDeadline, blocksNow } from './blocking.js';
import type { BatchOptions, CallOptions, Command } from './command.js';
import { send, writeTransaction } from './wire.js';

/** The client-level defaults a lease needs. */
export interface SessionDefaults {
  /** ms, 0 = none */
  readonly commandTimeout: number;
  readonly returnBuffers: boolean;
}

export class Session {
  private readonly conn: Connection;
  private readonly defaults: SessionDefaults;
  private _open = true;

  constructor(conn: Connection, defaults: SessionDefaults) {
    this.conn = conn;
    this.defaults = defaults;
  }

  get open(): boolean {
    return this._open;
  }

  /** Open, idle and clean: nothing pending on the connection (safe to send UNWATCH, to reuse). */
  get idle(): boolean {
    return this._open && this.conn.isHealthy();
  }

  /** Ends the lease: later calls reject. */
  end(): void {
    this._open = false;
  }

  /** Runs one command on the leased connection; `deadlineAt` overrides its own deadline. */
  run(command: Command, deadlineAt?: number): Promise<unknown> {
    const { info, args } = command;
    if (!this._open) return Promise.reject(ended(info.name));
    if (info.subscriber) return Promise.reject(subscriberCommandError(info, 'on a leased connection'));
    let timeout: number;
    if (deadlineAt !== undefined) {
      timeout = Number.isFinite(deadlineAt) ? Math.max(1, Math.ceil(deadlineAt - Date.now())) : 0;
    } else {
      const base = command.options?.timeout ?? this.defaults.commandTimeout;
      timeout = blocksNow(info, args) ? blockingDeadline(info, args, base) : base;
    }
    return send(this.conn, command, this.sendOptions(command.options, timeout)).then((raw) =>
      normalizeReply(raw, command.shape),
    );
  }

  /**
   * MULTI ... EXEC on the leased connection (a WATCH scope's transaction), with one deadline. A
   * lease runs no plain pipelines: nothing asks for one, and a WATCH scope's reads are awaited one
   * by one.
   */
  runBatch(commands: readonly Command[], batch: BatchOptions): Promise<unknown[]> {
    if (!batch.atomic) return Promise.reject(new TypeError('a lease runs MULTI ... EXEC batches only'));
    if (!this._open) return Promise.reject(ended('EXEC'));
    const options = this.sendOptions(batch.options, batch.options?.timeout ?? this.defaults.commandTimeout);
    return writeTransaction(this.conn, commands, options);
  }

  private sendOptions(call: CallOptions | undefined, timeout: number): SendOptions {
    return {
      timeout,
      returnBuffers: call?.returnBuffers ?? this.defaults.returnBuffers,
      ...(call?.signal === undefined ? {} : { signal: call.signal }),
    };
  }
}

function ended(command: string): ClientClosedError {
  return new ClientClosedError(`${command}: the transaction scope has ended`, { command });
}
