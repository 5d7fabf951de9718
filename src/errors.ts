// The one error hierarchy of redspec. Server error replies become ReplyError subclasses chosen by
// the reply's first word through one table (code tests classes or `.code`, never message text).
// Every message names the command, never its argument values or credentials.

import { withoutFrames } from './frameless.js';

export class RedisError extends Error {
  /** The command's name (e.g. "SET", "CLIENT KILL"), never its arguments. */
  readonly command: string | undefined;
  constructor(message: string, options?: { cause?: unknown; command?: string | undefined }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.command = options?.command;
    // Format the stack now: until it is read, V8 keeps the captured frames, and with them the
    // objects they ran on (a decoder with its socket chunks, a connection). An error kept by the
    // application must not pin those.
    void this.stack;
  }
}

/** An error reply from the server (`-ERR ...`, `!...`). `.code` is its first word. */
export class ReplyError extends RedisError {
  readonly code: string;
  constructor(message: string, options?: { command?: string | undefined; cause?: unknown }) {
    super(message, options);
    const space = message.indexOf(' ');
    this.code = space === -1 ? message : message.slice(0, space);
  }
}

export class WrongTypeError extends ReplyError {}
export class NoScriptError extends ReplyError {}
export class BusyError extends ReplyError {}
export class LoadingError extends ReplyError {}
export class ReadOnlyError extends ReplyError {}
export class ExecAbortError extends ReplyError {}
export class NoPermissionError extends ReplyError {}
export class OutOfMemoryError extends ReplyError {}
export class CrossSlotError extends ReplyError {}
export class ClusterDownError extends ReplyError {}
export class TryAgainError extends ReplyError {}
/** `MOVED <slot> <host:port>` and `ASK <slot> <host:port>`: a redirect, parsed. */
export class RedirectError extends ReplyError {
  readonly slot: number;
  readonly host: string;
  readonly port: number;
  constructor(message: string, options?: { command?: string }) {
    super(message, options);
    const [, slot = '', address = ''] = message.split(' ');
    const colon = address.lastIndexOf(':');
    this.slot = Number(slot);
    this.host = address.slice(0, colon);
    this.port = Number(address.slice(colon + 1));
  }
}
export class MovedError extends RedirectError {}
export class AskError extends RedirectError {}
/** WRONGPASS, NOAUTH, and a rejected AUTH/HELLO during the handshake. */
export class AuthenticationError extends ReplyError {}

type ReplyErrorClass = new (message: string, options?: { command?: string }) => ReplyError;

/** The one table from reply prefix to class. */
const replyErrorClasses: ReadonlyMap<string, ReplyErrorClass> = new Map<string, ReplyErrorClass>([
  ['WRONGTYPE', WrongTypeError],
  ['NOSCRIPT', NoScriptError],
  ['BUSY', BusyError],
  ['LOADING', LoadingError],
  ['READONLY', ReadOnlyError],
  ['EXECABORT', ExecAbortError],
  ['NOPERM', NoPermissionError],
  ['OOM', OutOfMemoryError],
  ['CROSSSLOT', CrossSlotError],
  ['CLUSTERDOWN', ClusterDownError],
  ['TRYAGAIN', TryAgainError],
  ['MOVED', MovedError],
  ['ASK', AskError],
  ['WRONGPASS', AuthenticationError],
  ['NOAUTH', AuthenticationError],
]);

/**
 * Builds the error of an error reply, complete: its class from the table, the command it answers
 * (undefined for an error nested in another reply). Every connection's decoder makes errors with
 * it; they carry no stack frames (see frameless.ts).
 */
export function replyErrorFrom(message: string, command?: string): ReplyError {
  const space = message.indexOf(' ');
  const code = space === -1 ? message : message.slice(0, space);
  const Class = replyErrorClasses.get(code) ?? ReplyError;
  return withoutFrames(() => new Class(message, command === undefined ? undefined : { command }));
}

/** The socket failed or closed; `.mayHaveExecuted` tells whether the command may have run. */
export class ConnectionError extends RedisError {
  /** True when the command was written and its reply never came: it may have executed. */
  readonly mayHaveExecuted: boolean;
  constructor(
    message: string,
    options?: { cause?: unknown; command?: string | undefined; mayHaveExecuted?: boolean },
  ) {
    super(message, options);
    this.mayHaveExecuted = options?.mayHaveExecuted ?? false;
  }
}

/** The command's deadline passed. If it had been written, its connection was closed. */
export class TimeoutError extends ConnectionError {}

/** The caller's AbortSignal fired. If the command had been written, its connection was closed. */
export class AbortError extends ConnectionError {}

/** The peer sent bytes that are not valid RESP, or beyond the configured limits. Sticky. */
export class ProtocolError extends RedisError {}

/** The pool could not hand out a connection in time, or its lock could not be taken. */
export class PoolTimeoutError extends RedisError {}
export class LockTimeoutError extends RedisError {}

/** The offline queue (or a message stream's buffer) is full: the command was not queued. */
export class QueueFullError extends RedisError {}

/**
 * A command waited `offlineQueueTimeout` ms for a connection that never came (the server is down
 * or unreachable); it was not sent. `.cause` is the last connect failure.
 */
export class OfflineTimeoutError extends ConnectionError {}

/** The client was closed; no more commands are accepted. */
export class ClientClosedError extends RedisError {}

/** A MULTI ... EXEC whose WATCHed keys changed: EXEC returned null. */
export class WatchError extends RedisError {}

export class ClusterError extends RedisError {}

// Names live on the prototypes (not as instance fields) so they are already in place when the
// base constructor formats the stack: the stack's first line names the right class.
for (const [Class, name] of [
  [RedisError, 'RedisError'],
  [ReplyError, 'ReplyError'],
  [WrongTypeError, 'WrongTypeError'],
  [NoScriptError, 'NoScriptError'],
  [BusyError, 'BusyError'],
  [LoadingError, 'LoadingError'],
  [ReadOnlyError, 'ReadOnlyError'],
  [ExecAbortError, 'ExecAbortError'],
  [NoPermissionError, 'NoPermissionError'],
  [OutOfMemoryError, 'OutOfMemoryError'],
  [CrossSlotError, 'CrossSlotError'],
  [ClusterDownError, 'ClusterDownError'],
  [TryAgainError, 'TryAgainError'],
  [RedirectError, 'RedirectError'],
  [MovedError, 'MovedError'],
  [AskError, 'AskError'],
  [AuthenticationError, 'AuthenticationError'],
  [ConnectionError, 'ConnectionError'],
  [TimeoutError, 'TimeoutError'],
  [AbortError, 'AbortError'],
  [ProtocolError, 'ProtocolError'],
  [PoolTimeoutError, 'PoolTimeoutError'],
  [LockTimeoutError, 'LockTimeoutError'],
  [QueueFullError, 'QueueFullError'],
  [OfflineTimeoutError, 'OfflineTimeoutError'],
  [ClientClosedError, 'ClientClosedError'],
  [WatchError, 'WatchError'],
  [ClusterError, 'ClusterError'],
] as const) {
  Object.defineProperty(Class.prototype, 'name', { value: name, writable: true, configurable: true });
}
