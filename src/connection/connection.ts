// One connection to one server: a FIFO of commands waiting for replies, auto-pipelined writes
// (every command issued in one tick leaves in one socket write), RESP3 push frames routed to
// 'push' events. Invariants: replies are matched to commands strictly in order; a command whose
// reply may still arrive (timed out or aborted after writing) destroys the connection, so no reply
// is ever read by the wrong caller; every pending promise settles when the connection ends.
import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import { inspect } from 'node:util';
import {
  AbortError,
  ConnectionError,
  ProtocolError,
  ReplyError,
  replyErrorFrom,
  TimeoutError,
} from '../errors.js';
import { NEED_MORE, RespDecoder } from '../resp/decoder.js';
import { encodeCommand, encodeCommandText } from '../resp/encoder.js';
import { RespPush, type RespArgument, type RespValue } from '../resp/types.js';
import { handshake, type ServerInfo } from './handshake.js';
import { resolveOptions, type ConnectionOptions, type ResolvedOptions } from './options.js';
import { Fifo } from './pending.js';
import { openSocket, socketReads } from './socket.js';
import { parseRedisUrl } from './url.js';

export interface SendOptions {
  /** Deadline in ms from the call (default: the connection's commandTimeout; 0 = none). */
  timeout?: number;
  /** Cancels the command; once written, cancelling closes the connection. */
  signal?: AbortSignal;
  /** Bulk/simple/verbatim strings of this reply as Buffers instead of UTF-8 strings. */
  returnBuffers?: boolean;
  /**
   * A map reply (RESP3 map, RESP2 flat key/value array) is decoded straight into a plain object
   * with string keys (RespDecoder#next's asObject).
   */
  asObject?: boolean;
  /**
   * Resolve with an error reply as a ReplyError value instead of rejecting (pipelines, EXEC and
   * handshakes want the value). Errors of the connection itself still reject.
   */
  raw?: boolean;
  /**
   * The command takes no reply slot: the promise resolves with null once it is written. For
   * commands whose answers arrive as push frames (SUBSCRIBE family under RESP3, or claimed by the
   * pushClassifier under RESP2) or that have none (CLIENT REPLY OFF).
   */
  noReply?: boolean;
}

/** What Connection#sendEach resolves with: slot i holds command i's reply or, in errors, its failure. */
export interface BatchOutcomes {
  readonly values: RespValue[];
  /** undefined where the command got a reply. */
  readonly errors: unknown[];
}

/**
 * Takes over a command that failed (any rejection: a connection failure, a timeout, an abort, an
 * error reply unless `raw`): the command's promise follows what onFailure returns instead of
 * rejecting. Lets a caller that would chain `.catch(retry)` on every call skip that extra promise
 * and its microtask; `token` is handed back as given (no closure per call).
 */
export interface FailureHandler {
  onFailure(error: unknown, token: unknown): Promise<RespValue>;
}

export type ConnectionState = 'connecting' | 'open' | 'closing' | 'closed';

export interface ConnectionEvents {
  /** The connection ended; the error says why when it was not a close() by the caller. */
  close: [error: Error | undefined];
  /** A socket or protocol failure (only emitted when someone listens). */
  error: [error: Error];
  /** A RESP3 push frame, or a reply the pushClassifier claims (RESP2 pub/sub). */
  push: [data: RespValue[]];
}

export interface ConnectionStats {
  /** Socket writes issued (one per tick's batch). */
  writes: number;
  /** Commands written to the socket. */
  commands: number;
  /** Replies matched to commands. */
  replies: number;
  /** Push frames received. */
  pushes: number;
}

function noop(): void {}

/**
 * A command from send() until its reply settles it. A class, not an object literal, on purpose: V8
 * gives each literal an allocation site, and once enough entries outlive a young-generation GC (a
 * thousand in flight, say) it may decide that the site's objects are long-lived and allocate every
 * later entry in the old generation. An old entry keeps its promise, and so the reply it resolved,
 * alive until the next full GC: every reply then survives the young GCs, and large replies (1 MiB
 * strings, 10k-element arrays) get copied by the GC and slowed by several times. Instances of a
 * class have no allocation site and always start young.
 */
class Entry {
  /**
   * One entry alive for the life of the process, never queued. V8 reaches the shapes (maps) of
   * entries only through the instances that have them: with no command in flight, a full GC would
   * drop those shapes, and with them the optimised code of send, flush and onData, so that the
   * first burst of commands after every idle spell would run without it.
   */
  static readonly keepsShapes = new Entry(
    '',
    undefined,
    undefined,
    {},
    undefined,
    undefined,
    undefined,
    0,
    -1,
  );

  state: 'queued' | 'written' | 'done' = 'queued';
  readonly raw: boolean;
  readonly noReply: boolean;
  readonly returnBuffers: boolean;
  readonly asObject: boolean;
  timer: NodeJS.Timeout | undefined = undefined;
  /**
   * Settle the command; handed the entry too (sendEach's shared settlers read its slot). Set by
   * send() or sendEach() once the entry is made, before it is queued.
   */
  resolve: (value: RespValue | PromiseLike<RespValue>, entry: Entry) => void = noop;
  reject: (error: Error, entry: Entry) => void = noop;

  constructor(
    readonly command: string,
    /** The encoded command until written: RESP text for small commands, else Buffer chunks. */
    public text: string | undefined,
    public chunks: Buffer[] | undefined,
    options: SendOptions,
    readonly failure: FailureHandler | undefined,
    readonly token: unknown,
    public signal: AbortSignal | undefined,
    readonly timeout: number,
    /** Its index in a sendEach() batch; -1 for send(). */
    readonly slot: number,
  ) {
    this.raw = options.raw === true;
    this.noReply = options.noReply === true;
    this.returnBuffers = options.returnBuffers === true;
    this.asObject = options.asObject === true;
  }
}

/**
 * Default element limit of one reply aggregate, unless the decoder options say otherwise. Far above
 * any real reply, but below the 2^32 - 1 a hostile `*4294967295` declares: such a header is a
 * ProtocolError at once, not a connection waiting for four billion elements.
 */
export const MAX_REPLY_AGGREGATE_LENGTH = 2 ** 31 - 1;

/**
 * A large Buffer value still missing at least this many bytes takes the next socket read directly
 * (RespDecoder#directTarget): the bytes land where they belong, without a copy from the read buffer.
 */
const DIRECT_READ_MIN = 16 * 1024;

/** Chunks smaller than this are copied into one buffer; larger ones (user Buffers) are not copied. */
const COALESCE_LIMIT = 16 * 1024;
const EMPTY = Buffer.alloc(0);

/** send()'s default, shared: no object per call. */
const NO_OPTIONS: SendOptions = {};

/**
 * A send refused before queueing: rejected, or handed to the failure handler (a microtask later,
 * as a rejection handler would see it).
 */
function refuse(failure: FailureHandler | undefined, token: unknown, error: unknown): Promise<RespValue> {
  const rejected = Promise.reject(error);
  return failure === undefined ? rejected : rejected.catch((e: unknown) => failure.onFailure(e, token));
}

/**
 * Rejects a queued command, or settles it with what its failure handler makes of the error. The
 * handler runs a microtask later, as a rejection handler would, never inside the loop that fails
 * the connection's commands.
 */
function rejectEntry(entry: Entry, error: Error): void {
  const { failure } = entry;
  if (failure === undefined) {
    entry.reject(error, entry);
    return;
  }
  // Resolving with the handler's promise makes the command's promise follow it.
  entry.resolve(
    Promise.reject(error).catch((e: unknown) => failure.onFailure(e, entry.token)),
    entry,
  );
}

/** Small Buffers as one (copied together once). */
function coalesce(small: Buffer[], bytes: number): Buffer {
  return small.length === 1 ? (small[0] as Buffer) : Buffer.concat(small, bytes);
}

export class Connection extends EventEmitter<ConnectionEvents> {
  /** Opens a socket, runs the handshake and resolves with a ready connection. */
  static async connect(input: ConnectionOptions | string = {}): Promise<Connection> {
    const options = resolveOptions(typeof input === 'string' ? parseRedisUrl(input) : input);
    const deadlineAt = options.connectTimeout > 0 ? Date.now() + options.connectTimeout : undefined;
    const socket = await openSocket(options, deadlineAt, true);
    const connection = new Connection(socket, options, 'connecting');
    try {
      const remaining = () => (deadlineAt === undefined ? 0 : Math.max(1, deadlineAt - Date.now()));
      const result = await handshake(
        (command, args, timeout) => connection.send(command, args, { raw: true, timeout }),
        options,
        remaining,
      );
      connection.protocol = result.protocol;
      connection.server = result.server;
    } catch (error) {
      connection.destroy();
      if (error instanceof TimeoutError) {
        throw new TimeoutError('connect timed out during the handshake', {
          command: error.command,
          cause: error,
        });
      }
      throw error;
    }
    if (connection.state === 'connecting') connection.state = 'open';
    else throw new ConnectionError('connection closed during the handshake');
    return connection;
  }

  readonly options: ResolvedOptions;
  /** The protocol the server speaks to this connection. */
  protocol: 2 | 3 = 2;
  /** HELLO's answer; undefined when the server has no HELLO or the connection was attached raw. */
  server: ServerInfo | undefined;
  /**
   * Claims replies that are not answers to commands (RESP2 pub/sub messages) as push data. Consulted
   * for every non-push reply; return true to emit it as 'push' instead of matching it to a command.
   */
  pushClassifier: ((value: RespValue) => boolean) | undefined;
  /**
   * Decode push frames that arrive with no command waiting as Buffers. (The decoder picks the
   * string form at the start of each frame, before it knows the frame is a push: one arriving while
   * a command waits is decoded with that command's returnBuffers.)
   */
  pushReturnBuffers = false;
  readonly stats: ConnectionStats = { writes: 0, commands: 0, replies: 0, pushes: 0 };

  private state: ConnectionState;
  private readonly socket: Socket;
  private decoder: RespDecoder;
  private readonly queued = new Fifo<Entry>();
  private readonly inflight = new Fifo<Entry>();
  private flushScheduled = false;
  private readonly signals = new Map<AbortSignal, { entries: Set<Entry>; listener: () => void }>();
  private closeEmitted = false;
  private closeError: Error | undefined;
  private readonly closed$: Promise<void>;
  private resolveClosed!: () => void;

  /**
   * Attaches to an already connected socket without a handshake (Connection.connect() is the usual
   * way in). The connection is usable at once, as RESP2 until told otherwise.
   */
  constructor(socket: Socket, options: ConnectionOptions = {}, state: 'connecting' | 'open' = 'open') {
    super();
    this.options = resolveOptions(options);
    this.socket = socket;
    this.state = state;
    this.decoder = new RespDecoder({
      maxAggregateLength: MAX_REPLY_AGGREGATE_LENGTH,
      ...this.options.decoder,
      errorReply: replyErrorFrom,
    });
    this.closed$ = new Promise((resolve) => (this.resolveClosed = resolve));
    const reads = socketReads.get(socket);
    if (reads === undefined) {
      socket.on('data', (chunk: Buffer) => this.onData(chunk));
    } else {
      // A reused read buffer: the chunk may be overwritten by the next read unless the decoder
      // (or a value it returned) still refers to it. A decoder replaced meanwhile (fail()) may
      // have returned slices of it: then the buffer is never reused.
      reads.onRead = (chunk) => {
        const decoder = this.decoder;
        this.onData(chunk);
        return decoder !== this.decoder || decoder.holds(chunk);
      };
      // The decoder that gave the target takes the bytes, even if it was replaced meanwhile.
      let directInto: RespDecoder | undefined;
      reads.directTarget = () => {
        const target = this.closed ? undefined : this.decoder.directTarget(DIRECT_READ_MIN);
        directInto = target === undefined ? undefined : this.decoder;
        return target;
      };
      reads.onDirectRead = (n) => directInto?.filledDirectly(n);
      if (reads.early.length > 0) {
        const early = reads.early.splice(0);
        queueMicrotask(() => {
          for (const chunk of early) this.onData(chunk);
        });
      }
    }
    socket.on('error', (error) => this.fail(new ConnectionError('socket error', { cause: error }), true));
    socket.on('close', () => this.onSocketClose());
    if (socket.destroyed) queueMicrotask(() => this.onSocketClose());
  }

  /** 'connecting' during the handshake, 'open', 'closing' after close(), 'closed'. */
  get status(): ConnectionState {
    return this.state;
  }

  get closed(): boolean {
    return this.state === 'closed';
  }

  /** Commands sent and not yet answered (queued for writing or written). */
  get pendingCount(): number {
    return this.queued.length + this.inflight.length;
  }

  /**
   * Open, idle and clean: nothing pending, nothing unread on the socket. A pool hands out only
   * healthy connections.
   */
  isHealthy(): boolean {
    return (
      this.state === 'open' &&
      !this.socket.destroyed &&
      this.socket.writable &&
      this.socket.readableLength === 0 &&
      this.decoder.bufferedBytes === 0 &&
      this.pendingCount === 0
    );
  }

  /**
   * Sends one command. `args` is the full wire argument list, command name words included
   * (['CLIENT', 'KILL', ...]); `command` is the name errors show. An error reply rejects with the
   * ReplyError (`.command` set) unless `raw` is true, in which case it resolves with it.
   */
  send(
    command: string,
    args: readonly RespArgument[],
    options: SendOptions = NO_OPTIONS,
    failure?: FailureHandler,
    token?: unknown,
  ): Promise<RespValue> {
    const entry = this.entryFor(command, args, options, failure, token, -1);
    if (!(entry instanceof Entry)) return refuse(failure, token, entry);
    return new Promise<RespValue>((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
      this.enqueue(entry);
    });
  }

  /**
   * Sends `commands[i]` with `argsList[i]` and `optionsOf(i)` for every i, in order, as send() would
   * one by one, and resolves once all of them have settled: `values[i]` holds command i's reply,
   * or `errors[i]` (then not undefined) what it failed with, refusals before queueing included.
   * One promise for the whole batch instead of one per command (a pipeline of thousands).
   */
  sendEach(
    commands: readonly string[],
    argsList: readonly (readonly RespArgument[])[],
    optionsOf: (i: number) => SendOptions,
  ): Promise<BatchOutcomes> {
    const n = commands.length;
    const values = new Array<RespValue>(n);
    const errors = new Array<unknown>(n);
    if (n === 0) return Promise.resolve({ values, errors });
    return new Promise<BatchOutcomes>((done) => {
      let left = n;
      const settled = () => {
        if (--left === 0) done({ values, errors });
      };
      // Shared by the batch's entries, which carry their slot. No failure handler is set on them,
      // so what resolve() gets is a reply, never a promise.
      const resolve = (value: RespValue | PromiseLike<RespValue>, entry: Entry) => {
        values[entry.slot] = value as RespValue;
        settled();
      };
      const reject = (error: Error, entry: Entry) => {
        errors[entry.slot] = error;
        settled();
      };
      for (let i = 0; i < n; i++) {
        const entry = this.entryFor(
          commands[i] as string,
          argsList[i] as readonly RespArgument[],
          optionsOf(i),
          undefined,
          undefined,
          i,
        );
        if (!(entry instanceof Entry)) {
          errors[i] = entry;
          settled();
          continue;
        }
        entry.resolve = resolve;
        entry.reject = reject;
        this.enqueue(entry);
      }
    });
  }

  /**
   * The entry of a command about to be queued, encoded; or, when it cannot be sent, why: a closed
   * connection, an aborted signal, a bad argument (encodeCommand's TypeError) or a bad timeout.
   */
  private entryFor(
    command: string,
    args: readonly RespArgument[],
    options: SendOptions,
    failure: FailureHandler | undefined,
    token: unknown,
    slot: number,
  ): Entry | unknown {
    const refused = this.refusal(command, options);
    if (refused !== undefined) return refused;
    const text = encodeCommandText(args);
    let chunks: Buffer[] | undefined;
    if (text === undefined) {
      try {
        chunks = encodeCommand(args, command);
      } catch (error) {
        return error;
      }
    }
    const timeout = this.timeoutOf(command, options);
    if (typeof timeout !== 'number') return timeout;
    return new Entry(command, text, chunks, options, failure, token, options.signal, timeout, slot);
  }

  /** Why `command` cannot be queued now (a closed connection, an aborted signal); else undefined. */
  private refusal(command: string, options: SendOptions): Error | undefined {
    if (this.state === 'closed' || this.state === 'closing') {
      return new ConnectionError(`${command}: the connection is ${this.state}`, {
        command,
        mayHaveExecuted: false,
      });
    }
    const { signal } = options;
    if (signal?.aborted) {
      return new AbortError(`${command} aborted before it was sent`, {
        command,
        cause: signal.reason,
        mayHaveExecuted: false,
      });
    }
    return undefined;
  }

  /** The command's timeout in ms (0: none), or the RangeError of an invalid one. */
  private timeoutOf(command: string, options: SendOptions): number | RangeError {
    const timeout = options.timeout ?? this.options.commandTimeout;
    if (typeof timeout !== 'number' || Number.isNaN(timeout) || timeout < 0) {
      return new RangeError(`${command}: timeout must be a non-negative number of milliseconds`);
    }
    return timeout;
  }

  /** Queues an entry for this tick's write: its timer and signal watch armed first. */
  private enqueue(entry: Entry): void {
    const { timeout, signal } = entry;
    if (timeout > 0) entry.timer = setTimeout(() => this.expire(entry, 'timeout', timeout), timeout);
    if (signal) this.watchSignal(signal, entry);
    this.queued.push(entry);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      process.nextTick(() => this.flush());
    }
  }

  /**
   * Graceful close: no new commands; waits for the pending replies, then ends the socket.
   * Resolves when the socket has closed.
   */
  close(): Promise<void> {
    if (this.state === 'closed') return this.closed$;
    if (this.state !== 'closing') {
      this.state = 'closing';
      this.endIfIdle();
    }
    return this.closed$;
  }

  /** Immediate close: every pending command rejects (with `error` as cause), the socket is destroyed. */
  destroy(error?: Error): void {
    this.fail(error, false);
  }

  /** Resolves once the connection has closed, whichever way. */
  whenClosed(): Promise<void> {
    return this.closed$;
  }

  [inspect.custom](_depth: number, options: object): string {
    return `Connection ${inspect(this.toJSON(), options)}`;
  }

  toJSON(): Record<string, unknown> {
    const o = this.options;
    return {
      address: o.path ?? `${o.host}:${o.port}`,
      tls: o.tls !== undefined,
      db: o.db,
      protocol: this.protocol,
      state: this.state,
      pending: this.pendingCount,
      ...(o.username === undefined ? {} : { username: o.username }),
      ...(o.password === undefined ? {} : { password: '[redacted]' }),
    };
  }

  private settle(entry: Entry): void {
    entry.state = 'done';
    entry.text = undefined;
    entry.chunks = undefined;
    if (entry.timer !== undefined) clearTimeout(entry.timer);
    if (entry.signal) this.unwatchSignal(entry.signal, entry);
  }

  /**
   * One 'abort' listener per signal and connection, however many commands share the signal (a
   * pipeline of thousands would otherwise trip the listener-leak warning).
   */
  private watchSignal(signal: AbortSignal, entry: Entry): void {
    let watch = this.signals.get(signal);
    if (watch === undefined) {
      const entries = new Set<Entry>();
      const listener = () => {
        // Oldest first: a written one destroys the connection, rejecting the rest as closed.
        for (const e of [...entries]) this.expire(e, 'abort', e.timeout);
      };
      watch = { entries, listener };
      this.signals.set(signal, watch);
      signal.addEventListener('abort', listener, { once: true });
    }
    watch.entries.add(entry);
  }

  private unwatchSignal(signal: AbortSignal, entry: Entry): void {
    const watch = this.signals.get(signal);
    if (watch === undefined) return;
    watch.entries.delete(entry);
    if (watch.entries.size === 0) {
      signal.removeEventListener('abort', watch.listener);
      this.signals.delete(signal);
    }
  }

  private expire(entry: Entry, why: 'timeout' | 'abort', timeout: number): void {
    if (entry.state === 'done') return;
    const written = entry.state === 'written';
    const { command } = entry;
    const cause: unknown = why === 'abort' ? entry.signal?.reason : undefined;
    const suffix = written ? '; it may have executed, and its connection was closed' : ' before it was sent';
    const error =
      why === 'timeout'
        ? new TimeoutError(`${command} timed out after ${timeout} ms${suffix}`, {
            command,
            mayHaveExecuted: written,
          })
        : new AbortError(`${command} aborted${suffix}`, { command, cause, mayHaveExecuted: written });
    if (!written) this.queued.remove(entry);
    this.settle(entry);
    rejectEntry(entry, error);
    // Its reply may still come: nobody else may ever read from this connection again.
    if (written) this.fail(error, false);
    else this.endIfIdle();
  }

  private flush(): void {
    this.flushScheduled = false;
    if (this.state === 'closed' || this.queued.length === 0) return;
    // Consecutive small commands become one string (written as one), larger ones Buffers: small
    // Buffers copied together, large ones (user Buffers) as they are. (No closures here: tsx names
    // each one it creates, a cost per flush.)
    const out: (string | Buffer)[] = [];
    let text = '';
    let small: Buffer[] = [];
    let smallBytes = 0;
    for (const entry of this.queued.drain()) {
      if (entry.state !== 'queued') continue;
      if (entry.text !== undefined) {
        if (small.length > 0) {
          out.push(coalesce(small, smallBytes));
          small = [];
          smallBytes = 0;
        }
        text += entry.text;
        entry.text = undefined;
      } else if (entry.chunks !== undefined) {
        if (text.length > 0) {
          out.push(text);
          text = '';
        }
        for (const chunk of entry.chunks) {
          if (chunk.length >= COALESCE_LIMIT) {
            if (small.length > 0) {
              out.push(coalesce(small, smallBytes));
              small = [];
              smallBytes = 0;
            }
            out.push(chunk);
          } else {
            small.push(chunk);
            smallBytes += chunk.length;
          }
        }
        entry.chunks = undefined;
      } else {
        continue;
      }
      entry.state = 'written';
      this.stats.commands += 1;
      if (entry.noReply) {
        this.settle(entry);
        entry.resolve(null, entry);
      } else {
        this.inflight.push(entry);
      }
    }
    if (text.length > 0) out.push(text);
    else if (small.length > 0) out.push(coalesce(small, smallBytes));
    if (out.length === 0) return;
    this.stats.writes += 1;
    if (out.length === 1) {
      this.socket.write(out[0] as string | Buffer);
      return;
    }
    // cork/uncork hands the batch to the kernel as one writev.
    this.socket.cork();
    for (const part of out) this.socket.write(part);
    this.socket.uncork();
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    for (;;) {
      let value: RespValue | RespPush | typeof NEED_MORE;
      try {
        if (chunk.length > 0) {
          this.decoder.feed(chunk);
          chunk = EMPTY;
        }
        // A reply starting now answers the oldest command waiting, which names its error replies.
        const head = this.inflight.peek();
        value = head
          ? this.decoder.next(head.returnBuffers, head.command, head.asObject)
          : this.decoder.next(this.pushReturnBuffers);
      } catch (error) {
        const protocolError =
          error instanceof ProtocolError
            ? error
            : new ProtocolError('invalid reply from the server', { cause: error });
        this.fail(protocolError, true);
        return;
      }
      if (value === NEED_MORE) return;
      this.onValue(value);
      // onValue may have closed the connection (unsolicited reply); state is re-read, not narrowed.
      if (this.closed) return;
    }
  }

  private onValue(value: RespValue | RespPush): void {
    if (value instanceof RespPush) {
      this.emitPush(value.data);
      return;
    }
    if (this.pushClassifier?.(value)) {
      this.emitPush(Array.isArray(value) ? value : [value]);
      return;
    }
    const entry = this.inflight.shift();
    if (entry === undefined) {
      this.fail(
        new ProtocolError('unsolicited reply: the server sent a reply no command was waiting for'),
        true,
      );
      return;
    }
    this.stats.replies += 1;
    this.settle(entry);
    if (value instanceof ReplyError) {
      if (entry.raw) entry.resolve(value, entry);
      else rejectEntry(entry, value);
    } else {
      entry.resolve(value, entry);
    }
    this.endIfIdle();
  }

  private emitPush(data: RespValue[]): void {
    this.stats.pushes += 1;
    try {
      this.emit('push', data);
    } catch (error) {
      // A throwing listener must not stop the reply loop (that would strand later replies).
      process.nextTick(() => {
        throw error;
      });
    }
  }

  private endIfIdle(): void {
    if (this.state === 'closing' && this.pendingCount === 0 && !this.socket.destroyed) this.socket.end();
  }

  /** Ends the connection now, rejecting everything pending. `report` emits 'error' (if listened to). */
  private fail(error: Error | undefined, report: boolean): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    this.closeError = error;
    const reason = error ? `: ${error.message}` : '';
    for (const entry of this.inflight.drain()) {
      if (entry.state === 'done') continue;
      this.settle(entry);
      rejectEntry(
        entry,
        new ConnectionError(
          `${entry.command}: connection closed before its reply arrived (it may have executed)${reason}`,
          {
            command: entry.command,
            mayHaveExecuted: true,
            cause: error,
          },
        ),
      );
    }
    for (const entry of this.queued.drain()) {
      if (entry.state === 'done') continue;
      this.settle(entry);
      rejectEntry(
        entry,
        new ConnectionError(`${entry.command}: connection closed before it was sent${reason}`, {
          command: entry.command,
          mayHaveExecuted: false,
          cause: error,
        }),
      );
    }
    this.socket.destroy();
    // Drop buffered reply bytes (a hostile peer may have sent megabytes of an unfinished reply):
    // an error kept by the application can keep this connection alive through its stack frames.
    if (this.decoder.bufferedBytes > 0) this.decoder = new RespDecoder();
    if (report && error && this.listenerCount('error') > 0) this.emit('error', error);
  }

  private onSocketClose(): void {
    if (this.state !== 'closed') {
      const graceful = this.state === 'closing' && this.pendingCount === 0;
      this.fail(graceful ? undefined : new ConnectionError('connection closed by the server'), !graceful);
    }
    if (this.closeEmitted) return;
    this.closeEmitted = true;
    this.emit('close', this.closeError);
    this.resolveClosed();
  }
}
