// Optimistic transactions: WATCH on a connection leased from the pool for the whole callback,
// reads through the scope on that same connection, then the scope's MULTI ... EXEC. When EXEC
// finds a WATCHed key changed it rejects with WatchError, and the callback runs again (up to
// `retries` times). Invariant: the connection goes back to the pool only idle and UNWATCHed;
// one with commands still pending, or that failed, is destroyed instead of being reused.
import type { CommandInfo, RedisArgument, RedisKey, ReplyShape } from '../../generated/executor.js';
import { allCommandMethods, type AllCommands } from '../../generated/index.js';
import type { Connection } from '../connection/index.js';
import { ClientClosedError, WatchError } from '../errors.js';
import { isSubscriberCommand, subscriberCommandError } from '../pubsub/commands.js';
import { normalizeReply } from '../reply/normalize.js';
import type { RespValue } from '../resp/types.js';
import { mixCommands, returnBuffersOf, withCommand, type BatchHost } from './batch.js';
import { blockingDeadline } from './blocking.js';
import { commandInfoFor } from './client.js';
import { createMulti, type Multi } from './multi.js';

const ANY: ReplyShape = { kind: 'any' };

export interface TransactionOptions {
  /** How many times the callback runs again after a WatchError (default 0: the error surfaces). */
  retries?: number;
}

/** What a scope adds to the commands. */
export interface TransactionScopeMethods {
  /** MULTI ... EXEC on this scope's connection; a changed WATCHed key rejects its exec() with WatchError. */
  multi(): Multi;
  /** Any command on this scope's connection; the reply as decoded. */
  sendCommand(args: RedisArgument[]): Promise<RespValue>;
}

/** The callback's handle: every command, on the leased connection that holds the WATCH. */
export interface TransactionScope
  extends Omit<AllCommands<'promise'>, keyof TransactionScopeMethods>, TransactionScopeMethods {}

class TransactionScopeImpl {
  readonly #host: BatchHost;
  readonly #conn: Connection;
  #open = true;

  constructor(host: BatchHost, conn: Connection) {
    this.#host = host;
    this.#conn = conn;
  }

  /** Ends the scope: a handle kept past the callback must not reach a connection back in the pool. */
  end(): void {
    this.#open = false;
  }

  executeCommand(info: CommandInfo, args: RedisArgument[], shape: ReplyShape): Promise<unknown> {
    if (!this.#open)
      return Promise.reject(new ClientClosedError(`${info.name}: the transaction scope has ended`));
    if (isSubscriberCommand(info))
      return Promise.reject(subscriberCommandError(info, 'in a transaction scope'));
    const call = this.#host.callOptions;
    const base = call?.timeout ?? this.#host.core.options.connection.commandTimeout;
    const timeout = info.blocking ? blockingDeadline(info, args, base ?? 0) : base;
    return this.#conn
      .send(info.name, args, {
        returnBuffers: returnBuffersOf(this.#host),
        ...(timeout === undefined ? {} : { timeout }),
        ...(call?.signal === undefined ? {} : { signal: call.signal }),
      })
      .then(
        (raw) => normalizeReply(raw, shape),
        (error: unknown) => Promise.reject(withCommand(error, info.name)),
      );
  }

  sendCommand(args: RedisArgument[]): Promise<unknown> {
    return this.executeCommand(commandInfoFor(args), args, ANY);
  }

  multi(): Multi {
    if (!this.#open) throw new ClientClosedError('MULTI: the transaction scope has ended');
    return createMulti(this.#host, this.#conn);
  }
}
mixCommands(TransactionScopeImpl.prototype, allCommandMethods);

/**
 * Runs `fn` with WATCH on `keys`, on one leased connection, and returns what `fn` returns
 * (typically `tx.multi()...exec()`'s tuple). A WatchError from the callback runs it again, on a
 * fresh WATCH, at most `retries` times.
 */
export async function runTransaction<R>(
  host: BatchHost,
  keys: readonly RedisKey[],
  fn: (tx: TransactionScope) => Promise<R> | R,
  options: TransactionOptions = {},
): Promise<R> {
  const retries = options.retries ?? 0;
  if (!Number.isInteger(retries) || retries < 0) throw new RangeError('retries must be an integer >= 0');
  const { core, callOptions: call } = host;
  for (let attempt = 0; ; attempt++) {
    const conn = await core.pool.acquire(call?.signal ? { signal: call.signal } : {});
    const scope = new TransactionScopeImpl(host, conn);
    try {
      if (keys.length > 0) await scope.executeCommand(commandInfoFor(['WATCH']), ['WATCH', ...keys], ANY);
      return await fn(scope as unknown as TransactionScope);
    } catch (error) {
      if (error instanceof WatchError && attempt < retries) continue;
      throw error;
    } finally {
      scope.end();
      await resetAndRelease(host, conn);
    }
  }
}

/** UNWATCH (a no-op after EXEC, needed after a callback that never reached it), then release. */
async function resetAndRelease(host: BatchHost, conn: Connection): Promise<void> {
  if (conn.isHealthy()) {
    try {
      await conn.send('UNWATCH', ['UNWATCH']);
    } catch {
      conn.destroy();
    }
  } else {
    // Replies may still be due (a command the callback did not await): never reuse it.
    conn.destroy();
  }
  await host.core.pool.release(conn);
}
