// Optimistic transactions: WATCH on a connection leased for the whole callback, reads through the
// scope on that same connection, then the scope's MULTI ... EXEC. When EXEC finds a WATCHed key
// changed it rejects with WatchError, and the callback runs again (up to `retries` times).
// Invariant: the connection goes back to the pool only idle and UNWATCHed; one with commands
// still pending, or that failed, is destroyed by the lease instead of being reused.
import type { CommandInfo, RedisArgument, RedisKey, ReplyShape } from '../../generated/executor.js';
import type { AllCommands } from '../../generated/index.js';
import { ClientClosedError, WatchError } from '../errors.js';
import type { RespValue } from '../resp/types.js';
import { build, rawCommand } from '../runner/build.js';
import { IssuedCommand, type CallOptions, type Command } from '../runner/command.js';
import type { Session } from '../runner/session.js';
import { mixCommands, type RunnerHost } from './host.js';
import { createScopedMulti, type Multi } from './multi.js';

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
  readonly #session: Session;
  readonly #call: CallOptions | undefined;
  #open = true;

  constructor(session: Session, call: CallOptions | undefined) {
    this.#session = session;
    this.#call = call;
  }

  /** Ends the scope: a handle kept past the callback must not reach a connection back in the pool. */
  end(): void {
    this.#open = false;
  }

  run(command: Command): Promise<unknown> {
    if (!this.#open) {
      const { name } = command.info;
      return Promise.reject(
        new ClientClosedError(`${name}: the transaction scope has ended`, { command: name }),
      );
    }
    return this.#session.run(this.#call === undefined ? command : { ...command, options: this.#call });
  }

  executeCommand(info: CommandInfo, args: RedisArgument[], shape: ReplyShape): Promise<unknown> {
    return this.run(new IssuedCommand(info, args, shape, undefined));
  }

  rejectCommand(_info: CommandInfo, error: TypeError): Promise<never> {
    return Promise.reject(error);
  }

  sendCommand(args: RedisArgument[]): Promise<unknown> {
    return this.run(rawCommand(args));
  }

  multi(): Multi {
    if (!this.#open)
      throw new ClientClosedError('MULTI: the transaction scope has ended', { command: 'MULTI' });
    return createScopedMulti(this.#session, this.#call);
  }
}
mixCommands(TransactionScopeImpl.prototype);

/**
 * Runs `fn` with WATCH on `keys`, on one leased connection, and returns what `fn` returns
 * (typically `tx.multi()...exec()`'s tuple). A WatchError from the callback runs it again, on a
 * fresh WATCH, at most `retries` times.
 */
export async function runTransaction<R>(
  host: RunnerHost,
  keys: readonly RedisKey[],
  fn: (tx: TransactionScope) => Promise<R> | R,
  options: TransactionOptions = {},
): Promise<R> {
  const retries = options.retries ?? 0;
  if (!Number.isInteger(retries) || retries < 0) throw new RangeError('retries must be an integer >= 0');
  const call = host.callOptions;
  for (let attempt = 0; ; attempt++) {
    try {
      return await host.runner.lease(
        async (session) => {
          const scope = new TransactionScopeImpl(session, call);
          try {
            if (keys.length > 0) await scope.run(build.watch(...keys));
            return await fn(scope as unknown as TransactionScope);
          } finally {
            scope.end();
            // UNWATCH: a no-op after EXEC, needed after a callback that never reached it. A
            // connection with replies still due is not touched: the lease destroys it.
            if (session.idle) await session.run(build.unwatch()).catch(() => undefined);
          }
        },
        call,
        keys.length > 0 ? 'WATCH' : 'MULTI',
      );
    } catch (error) {
      if (error instanceof WatchError && attempt < retries) continue;
      throw error;
    }
  }
}
