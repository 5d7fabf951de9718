// MULTI ... EXEC: commands chained like a pipeline, sent as MULTI, the commands and EXEC in one
// contiguous write, resolving to the typed tuple of EXEC's replies. Without WATCH it runs on the
// multiplexed connection: the server queues a connection's commands between MULTI and EXEC, and
// the three parts leave in one uninterrupted run, so no other caller's command can fall inside.
// With WATCH (client.transaction) it runs on the scope's leased connection. Never half re-sent:
// either the whole transaction is sent again (never written, or only reads) or it rejects.
import type { CommandInfo, RedisArgument, ReplyShape } from '../../generated/executor.js';
import {
  allCommandMethods,
  type AllCommands,
  type NoMultiMethod,
  type TransactionControlMethod,
} from '../../generated/index.js';
import type { Connection } from '../connection/index.js';
import { ExecAbortError, ReplyError, WatchError } from '../errors.js';
import { isSubscriberCommand, subscriberCommandError } from '../pubsub/commands.js';
import { normalizeReply } from '../reply/normalize.js';
import type { RespValue } from '../resp/types.js';
import {
  batchSendOptions,
  mixCommands,
  preloadScripts,
  replyOrError,
  returnBuffersOf,
  tableEntry,
  withCommand,
  type BatchHost,
  type QueuedCommand,
} from './batch.js';
import { commandInfoFor } from './client.js';
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

const ANY: ReplyShape = { kind: 'any' };

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
 * unions the generator derives from the spec, as refusedInMulti does at run time).
 */
export type NotInMulti = keyof MultiMethods<[]> | NoMultiMethod | TransactionControlMethod;

export interface Multi<Acc extends unknown[] = []>
  extends Omit<AllCommands<'multi', Acc>, NotInMulti>, MultiMethods<Acc> {}

/** Commands that cannot be queued: NO_MULTI ones and MULTI/EXEC/DISCARD/WATCH/UNWATCH. */
function refusedInMulti(info: CommandInfo): boolean {
  return info.noMulti || info.aclCategories.some((category) => category.toUpperCase() === 'TRANSACTION');
}

class MultiImpl {
  readonly #host: BatchHost;
  /** The leased connection of a WATCH scope; undefined for the multiplexed connection. */
  readonly #leased: Connection | undefined;
  #queue: QueuedCommand[] = [];

  constructor(host: BatchHost, leased: Connection | undefined) {
    this.#host = host;
    this.#leased = leased;
  }

  get length(): number {
    return this.#queue.length;
  }

  executeCommand(info: CommandInfo, args: RedisArgument[], shape: ReplyShape): this {
    if (refusedInMulti(info)) throw new TypeError(`${info.name} cannot be queued in a transaction`);
    if (isSubscriberCommand(info)) throw subscriberCommandError(info, 'in a transaction');
    this.#queue.push({ info, args, shape });
    return this;
  }

  sendCommand(args: RedisArgument[]): this {
    return this.executeCommand(commandInfoFor(args), args, ANY);
  }

  runScript(script: Script<unknown>, keys?: readonly RedisArgument[], args?: readonly RedisArgument[]): this {
    this.#queue.push(script.queued(keys, args));
    return this;
  }

  async exec(): Promise<unknown[]> {
    const queue = this.#queue;
    this.#queue = [];
    const { core, callOptions: call } = this.#host;
    const options = batchSendOptions(call, returnBuffersOf(this.#host));
    // Re-sending the whole transaction is safe when it was never written, or when it only reads.
    const execInfo: CommandInfo = {
      ...tableEntry('EXEC'),
      readonly: queue.every((command) => command.info.readonly && !command.info.blocking),
      blocking: false,
    };
    for (let attempt = 0; ; attempt++) {
      // Connected: written in this tick, so calls made after exec() go after the transaction.
      const conn = this.#leased ?? core.current ?? (await core.connection(call?.signal));
      const loads = preloadScripts(conn, queue, options);
      const multi = conn.send('MULTI', ['MULTI'], options);
      const queued = queue.map((command) => conn.send(command.info.name, command.args, options));
      const exec = conn.send('EXEC', ['EXEC'], options);
      const early = await Promise.allSettled([...loads, multi, ...queued]);
      let reply: RespValue;
      try {
        reply = await exec;
      } catch (error) {
        // A WATCH scope's connection lost its WATCH with the connection: never sent again there.
        const again = this.#leased === undefined && attempt < core.options.commandRetries;
        if (again && core.mayResend(execInfo, error, call)) continue;
        throw withCommand(error, 'EXEC');
      }
      const multiOutcome = early[loads.length] as PromiseSettledResult<RespValue>;
      if (multiOutcome.status === 'fulfilled' && multiOutcome.value instanceof ReplyError)
        throw multiOutcome.value;
      if (reply === null) {
        throw new WatchError('EXEC: a WATCHed key changed; the transaction was discarded', {
          command: 'EXEC',
        });
      }
      if (reply instanceof ReplyError) throw withQueuedCause(reply, early.slice(loads.length + 1), queue);
      if (!Array.isArray(reply))
        throw new TypeError('EXEC: the server answered with something other than a list');
      return queue.map((command, i) =>
        normalizeReply(replyOrError(reply[i] as RespValue, command.info.name), command.shape),
      );
    }
  }
}
mixCommands(MultiImpl.prototype, allCommandMethods);

/** EXECABORT: the server refused a queued command; its own error becomes the cause. */
function withQueuedCause(
  error: ReplyError,
  outcomes: PromiseSettledResult<RespValue>[],
  queue: readonly QueuedCommand[],
): ReplyError {
  if (!(error instanceof ExecAbortError)) return error;
  for (let i = 0; i < outcomes.length; i++) {
    const outcome = outcomes[i];
    if (outcome?.status === 'fulfilled' && outcome.value instanceof ReplyError) {
      error.cause = withCommand(outcome.value, (queue[i] as QueuedCommand).info.name);
      break;
    }
  }
  return error;
}

/** A new empty transaction; `leased` is the connection of a WATCH scope. */
export function createMulti(host: BatchHost, leased?: Connection): Multi {
  return new MultiImpl(host, leased) as unknown as Multi;
}
