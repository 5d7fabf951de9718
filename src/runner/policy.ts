// The at-most-once rule (principle 4) and the final error of a call, decided in one place for
// single commands and batches: a failed command is sent again only when its bytes never left,
// or the command table says it only reads (and it does not block), or the caller said it is
// idempotent; the error a caller finally gets says whether any attempt may have run.
import type { CommandInfo, RedisArgument } from '../../generated/executor.js';
import { AbortError, ConnectionError, OfflineTimeoutError, TimeoutError } from '../errors.js';
import { blocksNow } from './blocking.js';
import type { CallOptions } from './command.js';

/** Whether running this call twice is harmless by the table: it only reads, and does not block. */
export function onlyReads(info: CommandInfo, args: readonly RedisArgument[]): boolean {
  return info.readonly && !blocksNow(info, args);
}

/**
 * Whether a call (a command, or a whole transaction) that failed with `error` may be sent again:
 * never after its deadline, abort or offline wait; always when it was not written; after a write only when it
 * `onlyReads` or the caller said it is idempotent.
 */
export function mayResend(error: unknown, onlyReads: boolean, call: CallOptions | undefined): boolean {
  if (
    !(error instanceof ConnectionError) ||
    error instanceof TimeoutError ||
    error instanceof AbortError ||
    // The call has waited for a connection as long as it may: another wait would be the same.
    error instanceof OfflineTimeoutError
  ) {
    return false;
  }
  if (!error.mayHaveExecuted) return true;
  return onlyReads || call?.idempotent === true;
}

/** What the runner knows about a call when it gives up on it. */
export interface Outcome {
  readonly command: string;
  /** An earlier attempt was written: it may have run even if the last one was not sent. */
  readonly earlierMayHaveExecuted: boolean;
  /** The call's budget in ms (0 = none), and whether it has run out. */
  readonly timeout: number;
  readonly deadlinePassed: boolean;
}

/**
 * The error the caller gets: the last attempt's, unless it tells less than the runner knows. A
 * connection failure at or after the deadline (the write was cut by another command's timeout,
 * or its re-send had no time left) is this call's timeout; an unsent last attempt after a written
 * one is still of unknown outcome. Built new, with the attempt's error as cause.
 */
export function finalError(error: unknown, outcome: Outcome): unknown {
  if (!(error instanceof ConnectionError) || error instanceof AbortError) return error;
  const { command } = outcome;
  const mayHaveExecuted = error.mayHaveExecuted || outcome.earlierMayHaveExecuted;
  if (outcome.deadlinePassed && !(error instanceof TimeoutError)) {
    const ran = mayHaveExecuted ? '; it may have executed' : ' before it was sent';
    return new TimeoutError(`${command} timed out after ${outcome.timeout} ms${ran}`, {
      command,
      mayHaveExecuted,
      cause: error,
    });
  }
  if (mayHaveExecuted && !error.mayHaveExecuted) {
    const Class = error.constructor as typeof ConnectionError;
    return new Class(`${error.message}; an earlier attempt was written and may have executed`, {
      command: error.command ?? command,
      mayHaveExecuted: true,
      cause: error.cause ?? error,
    });
  }
  return error;
}
