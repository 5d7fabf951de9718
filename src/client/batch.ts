// What pipelines and transactions share: the record of a queued command, the send options a
// client view's per-call options turn into, and the SCRIPT LOADs a batch needs before its
// EVALSHAs. A batch is always issued in one synchronous loop, so the connection writes it as one
// contiguous run (its auto-pipelining flushes a tick's commands together, in order).
import type { CommandInfo, RedisArgument, ReplyShape } from '../../generated/executor.js';
import type { Connection, SendOptions } from '../connection/index.js';
import { RedisError, ReplyError } from '../errors.js';
import type { RespValue } from '../resp/types.js';
import { lookupCommand } from '../../generated/command-table.js';
import type { CallOptions, ClientCore } from './core.js';

/** One command waiting in a pipeline or transaction. */
export interface QueuedCommand {
  readonly info: CommandInfo;
  readonly args: RedisArgument[];
  readonly shape: ReplyShape;
  /** For EVALSHA of a script: its source, loaded (SCRIPT LOAD) ahead of the batch. */
  readonly script?: string;
}

/** The part of a client (or of a view made by withOptions) a batch runs against. */
export interface BatchHost {
  readonly core: ClientCore;
  readonly callOptions: CallOptions | undefined;
}

export function returnBuffersOf(host: BatchHost): boolean {
  return host.callOptions?.returnBuffers ?? host.core.options.returnBuffers;
}

/** SendOptions for one command of a batch: error replies as values, the view's deadline/signal. */
export function batchSendOptions(
  call: CallOptions | undefined,
  returnBuffers: boolean,
  timeout?: number,
): SendOptions {
  const deadline = timeout ?? call?.timeout;
  return {
    raw: true,
    returnBuffers,
    ...(deadline === undefined ? {} : { timeout: deadline }),
    ...(call?.signal === undefined ? {} : { signal: call.signal }),
  };
}

/** A command the client itself issues (SCRIPT LOAD, MULTI, EXEC, WATCH ...), from the command table. */
export function tableEntry(name: string): CommandInfo {
  const info = lookupCommand(name);
  if (info === undefined) throw new Error(`the command table has no ${name}`);
  return info;
}

/**
 * Sends SCRIPT LOAD for every distinct script of the batch, ahead of it on the same connection:
 * the EVALSHAs that follow then find their scripts, so a pipeline never has to re-run one after
 * NOSCRIPT (which would reorder it after the commands queued behind it). Returns the replies'
 * promises; a failed load shows up as NOSCRIPT in the script's own slot.
 */
export function preloadScripts(
  conn: Connection,
  queue: readonly QueuedCommand[],
  options: SendOptions,
): Promise<RespValue>[] {
  const seen = new Set<string>();
  const loads: Promise<RespValue>[] = [];
  for (const command of queue) {
    if (command.script === undefined || seen.has(command.script)) continue;
    seen.add(command.script);
    loads.push(
      conn.send('SCRIPT LOAD', ['SCRIPT', 'LOAD', command.script], { ...options, returnBuffers: false }),
    );
  }
  return loads;
}

/** Names the command on an error from a batch (replies nested in EXEC carry no name yet). */
export function withCommand<E>(error: E, command: string): E {
  if (error instanceof RedisError && error.command === undefined) error.command = command;
  return error;
}

/** A reply value or, when the server answered with an error, that ReplyError named by its command. */
export function replyOrError(value: RespValue, command: string): RespValue {
  if (value instanceof ReplyError) withCommand(value, command);
  return value;
}

/**
 * Mixes the generated command methods into a host class, except the names the class defines
 * itself (a pipeline's exec() is not the EXEC command).
 */
export function mixCommands(prototype: object, methods: Record<string, unknown>): void {
  for (const [name, method] of Object.entries(methods)) {
    if (!Object.hasOwn(prototype, name))
      Object.defineProperty(prototype, name, { value: method, writable: true, configurable: true });
  }
}
