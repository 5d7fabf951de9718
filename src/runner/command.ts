// The one value every host hands to the runner: a command-table entry, its wire arguments, the
// shape its reply is normalised to and the per-call options of the view that issued it. Plain
// data, made by the generated methods (through a host's executeCommand) or by build.ts.
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
