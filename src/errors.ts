// The one error hierarchy of redspec. Server error replies become ReplyError subclasses chosen by
// the reply's first word through one table (code tests classes or `.code`, never message text).
// Every message names the command, never its argument values or credentials.

export class RedisError extends Error {
  override name = 'RedisError';
  /** The command's name (e.g. "SET", "CLIENT KILL"), never its arguments. */
  command: string | undefined;
  constructor(message: string, options?: { cause?: unknown; command?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.command = options?.command;
  }
}

/** An error reply from the server (`-ERR ...`, `!...`). `.code` is its first word. */
export class ReplyError extends RedisError {
  override name = 'ReplyError';
  readonly code: string;
  constructor(message: string, options?: { command?: string }) {
    super(message, options);
    const space = message.indexOf(' ');
    this.code = space === -1 ? message : message.slice(0, space);
  }
}

export class WrongTypeError extends ReplyError {
  override name = 'WrongTypeError';
}
export class NoScriptError extends ReplyError {
  override name = 'NoScriptError';
}
export class BusyError extends ReplyError {
  override name = 'BusyError';
}
export class LoadingError extends ReplyError {
  override name = 'LoadingError';
}
export class ReadOnlyError extends ReplyError {
  override name = 'ReadOnlyError';
}
export class ExecAbortError extends ReplyError {
  override name = 'ExecAbortError';
}
export class NoPermissionError extends ReplyError {
  override name = 'NoPermissionError';
}
export class OutOfMemoryError extends ReplyError {
  override name = 'OutOfMemoryError';
}
export class CrossSlotError extends ReplyError {
  override name = 'CrossSlotError';
}
export class ClusterDownError extends ReplyError {
  override name = 'ClusterDownError';
}
export class TryAgainError extends ReplyError {
  override name = 'TryAgainError';
}
/** `MOVED <slot> <host:port>` and `ASK <slot> <host:port>`: a redirect, parsed. */
export class RedirectError extends ReplyError {
  override name = 'RedirectError';
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
export class MovedError extends RedirectError {
  override name = 'MovedError';
}
export class AskError extends RedirectError {
  override name = 'AskError';
}
/** WRONGPASS, NOAUTH, and a rejected AUTH/HELLO during the handshake. */
export class AuthenticationError extends ReplyError {
  override name = 'AuthenticationError';
}

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

/** Builds the ReplyError subclass for an error reply's text. */
export function replyErrorFrom(message: string, command?: string): ReplyError {
  const space = message.indexOf(' ');
  const code = space === -1 ? message : message.slice(0, space);
  const Class = replyErrorClasses.get(code) ?? ReplyError;
  return new Class(message, command === undefined ? undefined : { command });
}

/** The socket failed or closed; `.mayHaveExecuted` tells whether the command may have run. */
export class ConnectionError extends RedisError {
  override name = 'ConnectionError';
  /** True when the command was written and its reply never came: it may have executed. */
  mayHaveExecuted: boolean;
  constructor(message: string, options?: { cause?: unknown; command?: string; mayHaveExecuted?: boolean }) {
    super(message, options);
    this.mayHaveExecuted = options?.mayHaveExecuted ?? false;
  }
}

/** The command's deadline passed. If it had been written, its connection was closed. */
export class TimeoutError extends ConnectionError {
  override name = 'TimeoutError';
}

/** The caller's AbortSignal fired. If the command had been written, its connection was closed. */
export class AbortError extends ConnectionError {
  override name = 'AbortError';
}

/** The peer sent bytes that are not valid RESP, or beyond the configured limits. Sticky. */
export class ProtocolError extends RedisError {
  override name = 'ProtocolError';
}

/** The pool could not hand out a connection in time, or its lock could not be taken. */
export class PoolTimeoutError extends RedisError {
  override name = 'PoolTimeoutError';
}
export class LockTimeoutError extends RedisError {
  override name = 'LockTimeoutError';
}

/** The offline queue is full or a queued command waited longer than allowed. */
export class QueueFullError extends RedisError {
  override name = 'QueueFullError';
}

/** The client was closed; no more commands are accepted. */
export class ClientClosedError extends RedisError {
  override name = 'ClientClosedError';
}

/** A MULTI ... EXEC whose WATCHed keys changed: EXEC returned null. */
export class WatchError extends RedisError {
  override name = 'WatchError';
}

export class ClusterError extends RedisError {
  override name = 'ClusterError';
}
