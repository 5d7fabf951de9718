// Pipelines: every generated command chained on one object whose type grows a tuple per call;
// exec() writes them in one go on the client's multiplexed connection and resolves to the tuple
// of replies in order. Invariants: a slot holds its own command's reply or error, never another's;
// a command whose bytes may have reached the server is re-sent only by the client's at-most-once
// rule (never written, or read-only and not blocking, or the view says idempotent).
import type { CommandInfo, RedisArgument, ReplyShape } from '../../generated/executor.js';
import { allCommandMethods, type AllCommands } from '../../generated/index.js';
import type { Connection } from '../connection/index.js';
import { RedisError } from '../errors.js';
import { isSubscriberCommand, subscriberCommandError } from '../pubsub/commands.js';
import { normalizeReply } from '../reply/normalize.js';
import type { RespValue } from '../resp/types.js';
import {
  batchSendOptions,
  mixCommands,
  preloadScripts,
  replyOrError,
  returnBuffersOf,
  withCommand,
  type BatchHost,
  type QueuedCommand,
} from './batch.js';
import { blockingWaitMs } from './blocking.js';
import { commandInfoFor } from './client.js';
import type { Script } from './script.js';

declare module '../../generated/executor.js' {
  interface ResultKinds<T, Acc extends unknown[]> {
    /** A command on a pipeline returns the pipeline, its tuple grown by the command's reply. */
    pipeline: Pipeline<[...Acc, T]>;
  }
}

/**
 * The replies of a batch, slot by slot: the command's reply, or the error it failed with: a
 * ReplyError the server answered (WRONGTYPE, ...), or a ConnectionError when its connection
 * failed and it could not be re-sent (`mayHaveExecuted` says whether it may have run).
 */
export type Settled<Acc extends unknown[]> = { [I in keyof Acc]: Acc[I] | RedisError };

const ANY: ReplyShape = { kind: 'any' };

/** What a pipeline adds to the commands (these names replace generated ones: EXEC is ours). */
export interface PipelineMethods<Acc extends unknown[]> {
  /** Commands queued so far. */
  readonly length: number;
  /** Queues a command the spec lacks; its reply is as decoded. */
  sendCommand(args: RedisArgument[]): Pipeline<[...Acc, RespValue]>;
  /** Queues a script (EVALSHA; the script is loaded ahead of the batch, in the same write). */
  runScript<T>(
    script: Script<T>,
    keys?: readonly RedisArgument[],
    args?: readonly RedisArgument[],
  ): Pipeline<[...Acc, T]>;
  /**
   * Sends every queued command in one write and resolves with each one's reply or error, in order.
   * Rejects only when nothing could be sent (no connection). The queue is emptied.
   */
  exec(): Promise<Settled<Acc>>;
  /** Like exec(), but rejects with the first failed slot's error (the other commands still ran). */
  execOrThrow(): Promise<Acc>;
}

export interface Pipeline<Acc extends unknown[] = []>
  extends Omit<AllCommands<'pipeline', Acc>, keyof PipelineMethods<[]>>, PipelineMethods<Acc> {}

class PipelineImpl {
  readonly #host: BatchHost;
  #queue: QueuedCommand[] = [];

  constructor(host: BatchHost) {
    this.#host = host;
  }

  get length(): number {
    return this.#queue.length;
  }

  /** The CommandExecutor contract: queue, and return the pipeline for chaining. */
  executeCommand(info: CommandInfo, args: RedisArgument[], shape: ReplyShape): this {
    if (isSubscriberCommand(info)) throw subscriberCommandError(info, 'in a pipeline');
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
    const results = new Array<unknown>(queue.length);
    let pending = queue.map((_, i) => i);
    for (let attempt = 0; pending.length > 0; attempt++) {
      const batch = pending.map((i) => queue[i] as QueuedCommand);
      let outcomes: PromiseSettledResult<RespValue>[];
      try {
        outcomes = await sendBatch(this.#host, batch);
      } catch (error) {
        // No connection: on the first round nothing ran, so exec() rejects; on a re-send round
        // the earlier slots did run, so the failure goes into the slots still pending.
        if (attempt === 0 || !(error instanceof RedisError)) throw error;
        outcomes = batch.map(() => ({ status: 'rejected', reason: error }));
      }
      const again: number[] = [];
      for (let j = 0; j < outcomes.length; j++) {
        const i = pending[j] as number;
        const command = queue[i] as QueuedCommand;
        const outcome = outcomes[j] as PromiseSettledResult<RespValue>;
        if (outcome.status === 'fulfilled') {
          results[i] = normalizeReply(replyOrError(outcome.value, command.info.name), command.shape);
        } else if (
          attempt < core.options.commandRetries &&
          core.mayResend(command.info, outcome.reason, call)
        ) {
          again.push(i);
        } else if (outcome.reason instanceof RedisError) {
          results[i] = withCommand(outcome.reason, command.info.name);
        } else {
          throw outcome.reason;
        }
      }
      pending = again;
    }
    return results;
  }

  async execOrThrow(): Promise<unknown[]> {
    const results = await this.exec();
    const failed = results.find((value) => value instanceof RedisError);
    if (failed !== undefined) throw failed;
    return results;
  }
}
mixCommands(PipelineImpl.prototype, allCommandMethods);

/**
 * Writes a batch on the multiplexed connection, or, when it holds a blocking command (which would
 * stall every other caller there), on a dedicated pooled connection whose deadline covers the
 * sum of the batch's blocking waits.
 */
async function sendBatch(
  host: BatchHost,
  batch: readonly QueuedCommand[],
): Promise<PromiseSettledResult<RespValue>[]> {
  const { core, callOptions: call } = host;
  const returnBuffers = returnBuffersOf(host);
  if (!batch.some((command) => command.info.blocking)) {
    // Connected: written in this tick, so calls made after exec() go after the batch.
    const conn = core.current ?? (await core.connection(call?.signal));
    return writeBatch(conn, batch, batchSendOptions(call, returnBuffers));
  }
  const base = call?.timeout ?? core.options.connection.commandTimeout ?? 0;
  let waits = 0;
  let forever = false;
  for (const command of batch) {
    if (!command.info.blocking) continue;
    const wait = blockingWaitMs(command.info, command.args);
    if (wait === undefined) forever = true;
    else waits += wait;
  }
  const timeout = forever ? 0 : waits + (base > 0 ? base : 1_000);
  const conn = await core.pool.acquire(call?.signal ? { signal: call.signal } : {});
  try {
    return await writeBatch(conn, batch, batchSendOptions(call, returnBuffers, timeout));
  } finally {
    await core.pool.release(conn);
  }
}

async function writeBatch(
  conn: Connection,
  batch: readonly QueuedCommand[],
  options: ReturnType<typeof batchSendOptions>,
): Promise<PromiseSettledResult<RespValue>[]> {
  // All sends in one synchronous loop: one contiguous write, script loads first.
  const loads = preloadScripts(conn, batch, options);
  const sends = batch.map((command) => conn.send(command.info.name, command.args, options));
  await Promise.allSettled(loads);
  return Promise.allSettled(sends);
}

/** A new empty pipeline on a client (or a view of it: its per-call options apply to each command). */
export function createPipeline(host: BatchHost): Pipeline {
  return new PipelineImpl(host) as unknown as Pipeline;
}
