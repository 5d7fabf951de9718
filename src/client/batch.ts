// The one batch builder behind pipelines, MULTI and a WATCH scope's MULTI: every generated command
// chained on one object that queues Commands, then exec() hands the queue to where the batch runs
// (the client's runner, or a scope's lease) as a pipeline or as MULTI ... EXEC. The strategies
// differ only in that choice and in what may be queued (a transaction refuses NO_MULTI and
// transaction-control commands; nothing takes SUBSCRIBE-family commands).
import type { CommandInfo, RedisArgument, ReplyShape } from '../../generated/executor.js';
import { RedisError } from '../errors.js';
import { subscriberCommandError } from '../pubsub/commands.js';
import { rawCommand } from '../runner/build.js';
import { IssuedCommand, type BatchOptions, type CallOptions, type Command } from '../runner/command.js';
import { mixCommands } from './host.js';
import type { Script } from './script.js';

/** Where a batch runs: the client's runner, or the lease of a WATCH scope. */
export interface BatchTarget {
  runBatch(commands: readonly Command[], batch: BatchOptions): Promise<unknown[]>;
}

export interface BatchStrategy {
  readonly atomic: boolean;
  /** Where the batch runs, for error messages: 'in a pipeline', 'in a transaction'. */
  readonly where: string;
}

export const PIPELINE: BatchStrategy = { atomic: false, where: 'in a pipeline' };
export const TRANSACTION: BatchStrategy = { atomic: true, where: 'in a transaction' };

export class Batch {
  private readonly target: BatchTarget;
  private readonly strategy: BatchStrategy;
  private readonly call: CallOptions | undefined;
  private queue: Command[] = [];
  /** The first bad argument given to a chained command: exec() rejects with it. */
  private invalid: TypeError | undefined;

  constructor(target: BatchTarget, strategy: BatchStrategy, call: CallOptions | undefined) {
    this.target = target;
    this.strategy = strategy;
    this.call = call;
  }

  get length(): number {
    return this.queue.length;
  }

  /** The CommandExecutor contract: queue, and return the batch for chaining. */
  executeCommand(info: CommandInfo, args: RedisArgument[], shape: ReplyShape): this {
    return this.push(new IssuedCommand(info, args, shape, undefined));
  }

  /**
   * The CommandExecutor contract for a bad argument: the chain goes on, and exec() rejects with the
   * first such error before anything is sent (a half-sent batch would be worse than none).
   */
  rejectCommand(_info: CommandInfo, error: TypeError): this {
    this.invalid ??= error;
    return this;
  }

  sendCommand(args: RedisArgument[]): this {
    return this.push(rawCommand(args));
  }

  runScript(script: Script<unknown>, keys?: readonly RedisArgument[], args?: readonly RedisArgument[]): this {
    return this.push(script.command(keys, args));
  }

  /** Sends the queue (emptied) and resolves with each command's reply or error, in order. */
  exec(): Promise<unknown[]> {
    const queue = this.queue;
    const invalid = this.invalid;
    this.queue = [];
    this.invalid = undefined;
    if (invalid !== undefined) return Promise.reject(invalid);
    return this.target.runBatch(queue, { atomic: this.strategy.atomic, options: this.call });
  }

  /** Like exec(), but rejects with the first failed slot's error (the other commands still ran). */
  async execOrThrow(): Promise<unknown[]> {
    const results = await this.exec();
    const failed = results.find((value) => value instanceof RedisError);
    if (failed !== undefined) throw failed;
    return results;
  }

  private push(command: Command): this {
    const { info } = command;
    const { atomic, where } = this.strategy;
    if (info.subscriber) throw subscriberCommandError(info, where);
    if (atomic && (info.noMulti || info.transactionControl)) {
      throw new TypeError(`${info.name} cannot be queued in a transaction`);
    }
    this.queue.push(command);
    return this;
  }
}

mixCommands(Batch.prototype);
