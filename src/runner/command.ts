// The one value every host hands to the runner: a command-table entry, its wire arguments, the
// shape its reply is normalised to and the per-call options of the view that issued it. Plain
// data, made by the generated methods (through a host's executeCommand, as an IssuedCommand) or by
// build.ts.
import { COMMAND_TABLE } from '../../generated/command-table.js';
import type { CommandInfo, RedisArgument, ReplyShape } from '../../generated/executor.js';

/** Per-call options, set with `client.withOptions({...})`. */
export interface CallOptions {
  /** Deadline in ms for this call (default: the client's commandTimeout; 0 = none). */
  timeout?: number;
  /** Cancels the call. If the command was already written, its connection is closed. */
  signal?: AbortSignal;
  /** Replies with strings as Buffers. */
  returnBuffers?: boolean;
  /** The caller vouches that running this command twice is harmless: it may be re-sent. */
  idempotent?: boolean;
}

export interface Command {
  readonly info: CommandInfo;
  readonly args: readonly RedisArgument[];
  readonly shape: ReplyShape;
  /** The options of the client view that issued it (undefined: the client's defaults). */
  readonly options?: CallOptions | undefined;
  /** For EVALSHA of a script in a batch: its source, loaded (SCRIPT LOAD) ahead of the batch. */
  readonly script?: string;
}

export interface BatchOptions {
  /** MULTI ... EXEC around the commands (all or nothing) instead of a plain pipeline. */
  readonly atomic: boolean;
  /** The options of the view that made the batch: one deadline and signal for the whole batch. */
  readonly options?: CallOptions | undefined;
}

/**
 * A Command as the hosts make one per call. A class, not an object literal: V8 tracks each literal
 * as an allocation site, and once the thousands of commands of a burst in flight (or of a long
 * pipeline) are alive at a young GC, it allocates every later command from that site straight in
 * the old generation. Each one is then garbage that only a full GC frees: under 1,000 concurrent
 * GETs the old generation grew by about 9 MiB per 100 bursts. Class instances are not pretenured
 * that way.
 */
export class IssuedCommand implements Command {
  /**
   * One instance alive for the life of the process. V8 reaches the shape of these instances only
   * through live ones: with no command alive at a full GC it would drop it, and with it the
   * optimised code of the runner that reads commands.
   */
  static readonly keepsShapes = new IssuedCommand(COMMAND_TABLE.PING, ['PING'], { kind: 'any' }, undefined);

  constructor(
    readonly info: CommandInfo,
    readonly args: readonly RedisArgument[],
    readonly shape: ReplyShape,
    readonly options: CallOptions | undefined,
  ) {}
}
