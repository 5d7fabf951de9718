// MULTI ... EXEC: commands chained like a pipeline, sent as MULTI, the commands and EXEC in one
// contiguous write, resolving to the typed tuple of EXEC's replies. Without WATCH it runs on the
// multiplexed connection: the server queues a connection's commands between MULTI and EXEC, and
// the three parts leave in one uninterrupted run, so no other caller's command can fall inside.
// With WATCH (client.transaction) it runs on the scope's leased connection. Never half re-sent:
// either the whole transaction is sent again (never written, or only reads) or it rejects.
import type { RedisArgument } from '../../generated/executor.js';
import type { AllCommands, NoMultiMethod, TransactionControlMethod } from '../../generated/index.js';
import type { ReplyError } from '../errors.js';
import type { RespValue } from '../resp/types.js';
import type { CallOptions } from '../runner/command.js';
import { Batch, TRANSACTION, type BatchTarget } from './batch.js';
import type { RunnerHost } from './host.js';
import type { Script } from './script.js';

declare module '../../generated/executor.js' {
  interface ResultKinds<T, Acc extends unknown[]> {
    /** A command on a transaction returns the transaction, its tuple grown by the command's reply. */
    multi: Multi<[...Acc, T]>;
  }
}

/**
 * EXEC's replies, slot by slot: the command's reply, or the ReplyError it failed with while
 * executing (WRONGTYPE, ...: Redis runs the rest of the transaction regardless).
 */
export type ExecResult<Acc extends unknown[]> = { [I in keyof Acc]: Acc[I] | ReplyError };

/** What a transaction adds to the commands (these names replace generated ones: EXEC is ours). */
export interface MultiMethods<Acc extends unknown[]> {
  /** Commands queued so far. */
  readonly length: number;
  /** Queues a command the spec lacks; its reply is as decoded. */
  sendCommand(args: RedisArgument[]): Multi<[...Acc, RespValue]>;
  /** Queues a script (EVALSHA; the script is loaded before MULTI, in the same write). */
  runScript<T>(
    script: Script<T>,
    keys?: readonly RedisArgument[],
    args?: readonly RedisArgument[],
  ): Multi<[...Acc, T]>;
  /**
   * Sends MULTI, the commands and EXEC; resolves with EXEC's replies. Rejects with WatchError
   * when a WATCHed key changed (nothing ran), with ExecAbortError when the server refused a
   * queued command (nothing ran; `.cause` is that command's ReplyError), with ConnectionError
   * when the connection failed and the transaction could not be sent again.
   */
  exec(): Promise<ExecResult<Acc>>;
}

/**
 * Names a transaction must not offer: its own methods, and the generated ones of commands the
 * server refuses or treats specially inside MULTI (NO_MULTI and the TRANSACTION category, both
 * unions the generator derives from the spec, as the table's noMulti/transactionControl do at
 * run time).
 */
export type NotInMulti = keyof MultiMethods<[]> | NoMultiMethod | TransactionControlMethod;

export interface Multi<Acc extends unknown[] = []>
  extends Omit<AllCommands<'multi', Acc>, NotInMulti>, MultiMethods<Acc> {}

/** A new empty transaction on the client's multiplexed connection. */
export function createMulti(host: RunnerHost): Multi {
  return new Batch(host.runner, TRANSACTION, host.callOptions) as unknown as Multi;
}

/** A new empty transaction on a WATCH scope's leased connection. */
export function createScopedMulti(lease: BatchTarget, call: CallOptions | undefined): Multi {
  return new Batch(lease, TRANSACTION, call) as unknown as Multi;
}
