// The runner: everything that happens to a Command after a host built it. It owns the call's
// deadline (fixed when the call starts, bounding the wait for a connection, the write and every
// re-send), the at-most-once re-send rule, the choice of connection (the node's multiplexed one,
// or a lease for a call that blocks), normalising the reply, and the error the caller gets.
// Every host (client, pipeline, MULTI, WATCH scope, scan, scripts, pub/sub) goes through it.
import type { BatchOutcomes, FailureHandler, SendOptions } from '../connection/index.js';
import type { Node } from '../node/node.js';
import { deadlineBeforeSend } from '../node/node.js';
import type { SubscriberLink, SubscriberLinkHandlers } from '../node/subscriber-link.js';
import { ConnectionError, RedisError } from '../errors.js';
import { subscriberCommandError } from '../pubsub/commands.js';
import { isIdentity, normalizeReply } from '../reply/normalize.js';
import type { RespValue } from '../resp/types.js';
import { blockingDeadline, blockingWaitMs, blocksNow } from './blocking.js';
import type { BatchOptions, CallOptions, Command } from './command.js';
import { finalError, mayResend, onlyReads } from './policy.js';
import { Session, type SessionDefaults } from './session.js';
import { batchChannel, commandChannel, traceBatch, traceCommand, traced } from './tracing.js';
import { send, writePipeline, writeTransaction } from './wire.js';

/** One call across its attempts. */
interface Call {
  readonly command: Command;
  readonly returnBuffers: boolean;
  /** The call's budget in ms (0 = none) and when it runs out. */
  readonly timeout: number;
  readonly deadlineAt: number;
  /** When the call has waited long enough for a connection (offlineQueueTimeout, in all). */
  offlineUntil: number;
  /** An earlier attempt was written and may have run. */
  mayHaveExecuted: boolean;
}

const BUFFERS: SendOptions = { returnBuffers: true };

/** The client-level policy the runner applies (the node has the rest). */
export interface RunnerOptions {
  /** How often a command is re-sent after its connection failed, by the at-most-once rule. */
  readonly commandRetries: number;
  /** Replies with strings as Buffers unless a call says otherwise. */
  readonly returnBuffers: boolean;
  /** Trace events show argument values instead of `?` (off: values may be secrets). */
  readonly traceValues: boolean;
}

export class Runner implements FailureHandler {
  readonly node: Node;
  private readonly defaults: SessionDefaults;
  private readonly retries: number;
  private readonly traceValues: boolean;
  private readonly offlineQueueTimeout: number;

  constructor(node: Node, options: RunnerOptions) {
    this.node = node;
    this.defaults = {
      commandTimeout: node.options.connection.commandTimeout ?? 0,
      returnBuffers: options.returnBuffers,
    };
    this.retries = options.commandRetries;
    this.traceValues = options.traceValues;
    this.offlineQueueTimeout = node.options.offlineQueueTimeout;
  }

  /** Runs one command and resolves with its normalised reply. */
  run(command: Command): Promise<unknown> {
    if (traced(commandChannel)) {
      return traceCommand(this.node.traceTarget, command, this.traceValues, () => this.runUntraced(command));
    }
    return this.runUntraced(command);
  }

  private runUntraced(command: Command): Promise<unknown> {
    const { info, args, options: call } = command;
    // SUBSCRIBE and friends would turn the shared connection into a subscriber; they belong to
    // the pub/sub layer (client.subscribe/messages).
    if (info.subscriber) return Promise.reject(subscriberCommandError(info, 'on the shared connection'));
    if (blocksNow(info, args)) return this.runLeased(command);
    const conn = this.node.current;
    const timeout = call?.timeout ?? this.defaults.commandTimeout;
    // Fast path: connected, no per-call options (the connection's own timeout is commandTimeout),
    // no deadline to fix now: the Call is only made if the first attempt fails.
    if (conn && call === undefined && timeout === 0) {
      const buffers = this.defaults.returnBuffers ? BUFFERS : undefined;
      // A reply the shape leaves as it is needs no normalising step, and a failure goes to
      // onFailure through the connection itself: the connection's promise is the call's, with no
      // promise chained on it. (The handlers below are written in place: a closure kept in a named
      // const would get a name set on it per call by tsx.)
      if (isIdentity(command.shape)) return send(conn, command, buffers, this);
      const sent = send(conn, command, buffers);
      return sent.then(
        (raw) => normalizeReply(raw, command.shape),
        (error: unknown) => this.retry(this.call(command, 0, false), error, 1),
      );
    }
    const state = this.call(command, timeout, conn === undefined);
    if (conn && call === undefined) {
      return send(conn, command, state.returnBuffers ? BUFFERS : undefined).then(
        (raw) => normalizeReply(raw, command.shape),
        (error: unknown) => this.retry(state, error, 1),
      );
    }
    return this.attempt(state, 0);
  }

  /**
   * Runs a batch: a pipeline (each slot holds its reply or its error; rejects only when nothing
   * could be sent) or, with `atomic`, MULTI ... EXEC (EXEC's replies; all or nothing). One
   * deadline bounds the whole batch, its re-sends included.
   */
  runBatch(commands: readonly Command[], batch: BatchOptions): Promise<unknown[]> {
    const run = () =>
      batch.atomic ? this.runTransaction(commands, batch.options) : this.runPipeline(commands, batch.options);
    if (!traced(batchChannel)) return run();
    return traceBatch(this.node.traceTarget, commands, batch.atomic, this.traceValues, run);
  }

  /**
   * Runs `fn` with a dedicated connection of its own (a WATCH scope), released when `fn` settles:
   * back to the pool when idle and clean, destroyed otherwise. The wait for the connection is
   * bounded by the call's deadline.
   */
  async lease<R>(fn: (session: Session) => Promise<R> | R, call?: CallOptions, command?: string): Promise<R> {
    const timeout = call?.timeout ?? this.defaults.commandTimeout;
    const deadlineAt = timeout > 0 ? Date.now() + timeout : Infinity;
    return this.withLease(fn, deadlineAt, call?.signal, command);
  }

  /** A subscriber connection for the pub/sub layer. */
  openSubscriber(handlers: SubscriberLinkHandlers): Promise<SubscriberLink> {
    return this.node.openSubscriber(handlers);
  }

  private async withLease<R>(
    fn: (session: Session) => Promise<R> | R,
    deadlineAt: number,
    signal: AbortSignal | undefined,
    command: string | undefined,
  ): Promise<R> {
    const conn = await this.node.acquire({ deadlineAt, signal, command });
    const session = new Session(conn, this.defaults);
    try {
      return await fn(session);
    } finally {
      session.end();
      await this.node.release(conn);
    }
  }

  /** A call that blocks: on a lease, its deadline its block time plus the budget. */
  private runLeased(command: Command): Promise<unknown> {
    const { info, args, options: call } = command;
    const timeout = blockingDeadline(info, args, call?.timeout ?? this.defaults.commandTimeout);
    const deadlineAt = timeout > 0 ? Date.now() + timeout : Infinity;
    return this.withLease((session) => session.run(command, deadlineAt), deadlineAt, call?.signal, info.name);
  }

  /**
   * The first attempt of a fast-path call failed (FailureHandler, `token` its Command): the same
   * re-send rule and final error as the other paths. Its shape is an identity, so what the retry
   * resolves with is the raw reply.
   */
  onFailure(error: unknown, token: unknown): Promise<RespValue> {
    const command = token as Command;
    return this.retry(this.call(command, 0, false), error, 1) as Promise<RespValue>;
  }

  private call(command: Command, timeout: number, offline: boolean): Call {
    const now = timeout > 0 || offline ? Date.now() : 0;
    return {
      command,
      returnBuffers: command.options?.returnBuffers ?? this.defaults.returnBuffers,
      timeout,
      deadlineAt: timeout > 0 ? now + timeout : Infinity,
      offlineUntil: Infinity,
      mayHaveExecuted: false,
    };
  }

  private async attempt(state: Call, attempt: number): Promise<unknown> {
    const { command } = state;
    const { info, options: call } = command;
    try {
      let conn = this.node.current;
      if (!conn) {
        if (state.offlineUntil === Infinity) state.offlineUntil = Date.now() + this.offlineQueueTimeout;
        conn = await this.node.connection({
          signal: call?.signal,
          deadlineAt: state.deadlineAt,
          waitUntil: state.offlineUntil,
          command: info.name,
        });
      }
      const left = state.deadlineAt - Date.now();
      if (left <= 0) throw deadlineBeforeSend(info.name, undefined);
      const raw = await send(conn, command, {
        timeout: state.timeout > 0 ? Math.max(1, Math.ceil(left)) : 0,
        ...(call?.signal === undefined ? {} : { signal: call.signal }),
        returnBuffers: state.returnBuffers,
      });
      return normalizeReply(raw, command.shape);
    } catch (error) {
      return this.retry(state, error, attempt + 1);
    }
  }

  private retry(state: Call, error: unknown, attempt: number): Promise<unknown> {
    const { info, args, options: call } = state.command;
    const deadlinePassed = state.deadlineAt <= Date.now();
    if (
      !this.node.closed &&
      attempt <= this.retries &&
      !deadlinePassed &&
      mayResend(error, onlyReads(info, args), call)
    ) {
      if (error instanceof ConnectionError && error.mayHaveExecuted) state.mayHaveExecuted = true;
      return this.attempt(state, attempt);
    }
    return Promise.reject(
      finalError(error, {
        command: info.name,
        earlierMayHaveExecuted: state.mayHaveExecuted,
        timeout: state.timeout,
        deadlinePassed,
      }),
    );
  }

  private async runPipeline(queue: readonly Command[], call: CallOptions | undefined): Promise<unknown[]> {
    const base = call?.timeout ?? this.defaults.commandTimeout;
    const blocking = queue.some((command) => blocksNow(command.info, command.args));
    const timeout = blocking ? pipelineBlockingDeadline(queue, base) : base;
    const started = Date.now();
    const deadlineAt = timeout > 0 ? started + timeout : Infinity;
    const offlineUntil = started + this.offlineQueueTimeout;
    const results = new Array<unknown>(queue.length);
    const wrote = new Array<boolean>(queue.length).fill(false);
    let pending = queue.map((_, i) => i);
    for (let attempt = 0; pending.length > 0; attempt++) {
      const batch = pending.map((i) => queue[i] as Command);
      let outcomes: BatchOutcomes;
      try {
        outcomes = await this.sendPipeline(batch, blocking, deadlineAt, offlineUntil, call);
      } catch (error) {
        // No connection: on the first round nothing ran, so the call rejects; on a re-send round
        // the earlier slots did run, so the failure goes into the slots still pending.
        if (attempt === 0 || !(error instanceof RedisError)) throw error;
        outcomes = { values: [], errors: batch.map(() => error) };
      }
      const deadlinePassed = deadlineAt <= Date.now();
      const again: number[] = [];
      for (let j = 0; j < batch.length; j++) {
        const i = pending[j] as number;
        const command = queue[i] as Command;
        const error: unknown = outcomes.errors[j];
        if (error === undefined) {
          results[i] = normalizeReply(outcomes.values[j] as RespValue, command.shape);
          continue;
        }
        if (
          attempt < this.retries &&
          !deadlinePassed &&
          !this.node.closed &&
          mayResend(error, onlyReads(command.info, command.args), call)
        ) {
          if (error instanceof ConnectionError && error.mayHaveExecuted) wrote[i] = true;
          again.push(i);
        } else if (error instanceof RedisError) {
          results[i] = finalError(error, {
            command: command.info.name,
            earlierMayHaveExecuted: wrote[i] === true,
            timeout,
            deadlinePassed,
          });
        } else {
          throw error;
        }
      }
      pending = again;
    }
    return results;
  }

  /**
   * Writes one round of a pipeline on the multiplexed connection or, when it holds a call that
   * blocks (which would stall every other caller there), on a lease of its own.
   */
  private async sendPipeline(
    batch: readonly Command[],
    blocking: boolean,
    deadlineAt: number,
    offlineUntil: number,
    call: CallOptions | undefined,
  ): Promise<BatchOutcomes> {
    const signal = call?.signal;
    if (blocking) {
      const first = batch.find((command) => blocksNow(command.info, command.args))?.info.name;
      const conn = await this.node.acquire({ deadlineAt, signal, command: first });
      try {
        return await writePipeline(conn, batch, this.sendOptions(call, deadlineAt, first));
      } finally {
        await this.node.release(conn);
      }
    }
    // Connected: written in this tick, so calls made after exec() go after the batch.
    const conn =
      this.node.current ?? (await this.node.connection({ signal, deadlineAt, waitUntil: offlineUntil }));
    return writePipeline(conn, batch, this.sendOptions(call, deadlineAt, undefined));
  }

  private async runTransaction(queue: readonly Command[], call: CallOptions | undefined): Promise<unknown[]> {
    const timeout = call?.timeout ?? this.defaults.commandTimeout;
    const started = Date.now();
    const deadlineAt = timeout > 0 ? started + timeout : Infinity;
    const offlineUntil = started + this.offlineQueueTimeout;
    // Re-sending the whole transaction is safe when it was never written, or when it only reads.
    const reads = queue.every((command) => onlyReads(command.info, command.args));
    let wrote = false;
    for (let attempt = 0; ; attempt++) {
      // Connected: written in this tick, so calls made after exec() go after the transaction.
      const conn =
        this.node.current ??
        (await this.node.connection({
          signal: call?.signal,
          deadlineAt,
          waitUntil: offlineUntil,
          command: 'EXEC',
        }));
      try {
        return await writeTransaction(conn, queue, this.sendOptions(call, deadlineAt, 'EXEC'));
      } catch (error) {
        const deadlinePassed = deadlineAt <= Date.now();
        if (attempt < this.retries && !deadlinePassed && !this.node.closed && mayResend(error, reads, call)) {
          if (error instanceof ConnectionError && error.mayHaveExecuted) wrote = true;
          continue;
        }
        throw finalError(error, { command: 'EXEC', earlierMayHaveExecuted: wrote, timeout, deadlinePassed });
      }
    }
  }

  /** Send options for a batch: what is left of its deadline, the view's Buffer choice and signal. */
  private sendOptions(
    call: CallOptions | undefined,
    deadlineAt: number,
    command: string | undefined,
  ): SendOptions {
    const left = deadlineAt - Date.now();
    if (left <= 0) throw deadlineBeforeSend(command, undefined);
    return {
      timeout: Number.isFinite(left) ? Math.max(1, Math.ceil(left)) : 0,
      returnBuffers: call?.returnBuffers ?? this.defaults.returnBuffers,
      ...(call?.signal === undefined ? {} : { signal: call.signal }),
    };
  }
}

/** A pipeline with blocking calls may take the sum of their waits, plus the budget. */
function pipelineBlockingDeadline(queue: readonly Command[], base: number): number {
  let waits = 0;
  for (const command of queue) {
    if (!blocksNow(command.info, command.args)) continue;
    const wait = blockingWaitMs(command.info, command.args);
    if (wait === undefined) return 0;
    waits += wait;
  }
  return waits + (base > 0 ? base : 1_000);
}
