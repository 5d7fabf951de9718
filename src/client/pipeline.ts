// Pipelines: every generated command chained on one object whose type grows a tuple per call;
// exec() writes them in one go on the client's multiplexed connection and resolves to the tuple
// of replies in order. Invariants (kept by the runner): a slot holds its own command's reply or
// error, never another's; a command whose bytes may have reached the server is re-sent only by
// the at-most-once rule; the call's deadline bounds the whole batch, re-sends included.
import type { RedisArgument } from '../../generated/executor.js';
import type { AllCommands } from '../../generated/index.js';
import type { RedisError } from '../errors.js';
import type { RespValue } from '../resp/types.js';
import { Batch, PIPELINE } from './batch.js';
import type { RunnerHost } from './host.js';
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

/** A new empty pipeline on a client (or a view of it: its per-call options apply to the batch). */
export function createPipeline(host: RunnerHost): Pipeline {
  return new Batch(host.runner, PIPELINE, host.callOptions) as unknown as Pipeline;
}
