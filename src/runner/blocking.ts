// Whether a call blocks and its client-side deadline (BLPOP, XREAD BLOCK, WAIT, ...): the table's
// BLOCKING flag, except where the spec makes the timeout argument optional (XREAD, XREADGROUP
// block only with BLOCK); the deadline is that argument, converted by the unit spec/overrides
// gives, plus the client's margin. A call that may wait forever (timeout 0) gets no deadline.
import type { CommandInfo, RedisArgument } from '../../generated/executor.js';

function toNumber(value: RedisArgument | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = typeof value === 'number' ? value : Number(Buffer.isBuffer(value) ? value.toString() : value);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

/** The wire value of the blocking timeout argument, found by its token or its position. */
function timeoutArgument(info: CommandInfo, args: readonly RedisArgument[]): RedisArgument | undefined {
  const spec = info.blockingTimeout;
  if (!spec) return undefined;
  if (spec.token !== undefined) {
    const token = spec.token.toUpperCase();
    for (let i = 1; i < args.length - 1; i++) {
      const arg = args[i];
      if (typeof arg === 'string' && arg.toUpperCase() === token) return args[i + 1];
    }
    return undefined;
  }
  if (spec.index !== undefined) return args[spec.index < 0 ? args.length + spec.index : spec.index];
  return undefined;
}

/**
 * Whether this call may block the connection it runs on: a blocking command, unless its timeout
 * argument is optional and absent (then it answers at once, like any read).
 */
export function blocksNow(info: CommandInfo, args: readonly RedisArgument[]): boolean {
  if (!info.blocking) return false;
  if (info.blockingTimeout?.optional !== true) return true;
  return timeoutArgument(info, args) !== undefined;
}

/**
 * Ms the server may legitimately block this call, or undefined when it may block forever (or
 * the timeout cannot be read, when no client deadline is safer than a wrong one).
 */
export function blockingWaitMs(info: CommandInfo, args: readonly RedisArgument[]): number | undefined {
  const value = toNumber(timeoutArgument(info, args));
  if (value === undefined || value === 0) return undefined;
  return info.blockingTimeout?.unit === 'seconds' ? value * 1000 : value;
}

/**
 * The deadline to give a blocking command: the client's command timeout added to how long the
 * server may block; 0 (none) when it may block forever and the command has no budget of its own.
 */
export function blockingDeadline(
  info: CommandInfo,
  args: readonly RedisArgument[],
  commandTimeout: number,
): number {
  const wait = blockingWaitMs(info, args);
  if (wait === undefined) return 0;
  return wait + (commandTimeout > 0 ? commandTimeout : 1_000);
}
