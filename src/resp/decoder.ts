// Incremental RESP2/RESP3 decoder after hiredis: feed(chunk) / next(), an explicit stack of open
// aggregates (no recursion), dispatch on the type byte. A leaf: next() says each reply's string form
// and command, the caller's factory makes the errors of error replies. Chunks are queued, never merged;
// a value whose bytes lie in one chunk is read in place (a Buffer value is a slice of the chunk, never a
// copy), one that straddles chunks is copied once all of it has arrived (a string is decoded piece by
// piece, never copied first; a large Buffer is copied into its destination as it arrives), and no
// declared length allocates up front. Limit breaches and malformed
// bytes: sticky ProtocolError + offset.
import { isAscii } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { ProtocolError, ReplyError } from '../errors.js';
import { withoutFrames } from '../frameless.js';
import { viewIn, viewOf } from './buffer-view.js';
import { parseBigNumber, parseDouble, parseInteger, parseLength } from './scalars.js';
import { RespPush, type RespMap, type RespObject, type RespValue } from './types.js';

/** Returned by `next()` when the buffered bytes do not hold a complete reply yet. */
export const NEED_MORE: unique symbol = Symbol('NEED_MORE');

export interface DecoderOptions {
  /** Largest bulk string / verbatim / blob error / streamed string, in bytes. Default 512 MiB. */
  maxBulkLength?: number;
  /** Largest element count of an array, set or push, or pair count of a map. Default 2^32-1. */
  maxAggregateLength?: number;
  /** Deepest nesting of aggregates (attributes included). Default 128. */
  maxDepth?: number;
  /** Longest simple string, error or big number line, in bytes. Default 64 MiB. */
  maxLineLength?: number;
  /**
   * Makes the error of an error reply (`-...`, `!...`). `command` is the one given to `next()` for
   * a top-level error reply, undefined for one nested in an aggregate. Default: a plain ReplyError.
   */
  errorReply?: (message: string, command: string | undefined) => ReplyError;
  /** Initial value of the `onAttribute` property. */
  onAttribute?: (attrs: RespMap) => void;
}

export const DEFAULT_MAX_BULK_LENGTH = 512 * 1024 * 1024;
export const DEFAULT_MAX_AGGREGATE_LENGTH = 2 ** 32 - 1;
export const DEFAULT_MAX_DEPTH = 128;
export const DEFAULT_MAX_LINE_LENGTH = 64 * 1024 * 1024;
/**
 * A Buffer-mode bulk string of at least this many bytes that straddles chunks is copied into its
 * destination as it arrives (see fillPartial); a smaller one waits for all its bytes, then is copied
 * once. The destination is allocated once a PARTIAL_RATIO-th of the payload has been fed, so a header
 * alone never allocates its declared length: the decoder holds at most PARTIAL_RATIO times what the
 * server sent.
 */
const PARTIAL_MIN = 64 * 1024;
const PARTIAL_RATIO = 32;
/** Lines of length/number types are short; a longer one is rejected before its CRLF arrives. */
const SHORT_LINE_MAX = 64;

const CR = 13;
const LF = 10;
const EMPTY = Buffer.alloc(0);
const CONTINUE: unique symbol = Symbol('CONTINUE');
/** quick() found nothing it handles in place: the general path reads the next line. */
const SLOW: unique symbol = Symbol('SLOW');
type Step = RespValue | RespPush | typeof CONTINUE;

// Type bytes.
const T_SIMPLE = 0x2b; // +
const T_ERROR = 0x2d; // -
const T_INTEGER = 0x3a; // :
const T_BULK = 0x24; // $
const T_ARRAY = 0x2a; // *
const T_NULL = 0x5f; // _
const T_MAP = 0x25; // %
const T_SET = 0x7e; // ~
const T_DOUBLE = 0x2c; // ,
const T_BOOLEAN = 0x23; // #
const T_BIG = 0x28; // (
const T_VERBATIM = 0x3d; // =
const T_PUSH = 0x3e; // >
const T_ATTRIBUTE = 0x7c; // |
const T_BLOB_ERROR = 0x21; // !
const T_CHUNK = 0x3b; // ;
const T_END = 0x2e; // .
const QUESTION = 0x3f; // ?

/** 0 = not a type byte, 1 = type with a short line, 2 = type with a long line. */
const TYPE_CLASS = new Uint8Array(256);
for (const t of [T_INTEGER, T_BULK, T_ARRAY, T_NULL, T_MAP, T_SET, T_DOUBLE, T_BOOLEAN]) TYPE_CLASS[t] = 1;
for (const t of [T_VERBATIM, T_PUSH, T_ATTRIBUTE, T_BLOB_ERROR, T_CHUNK, T_END]) TYPE_CLASS[t] = 1;
for (const t of [T_SIMPLE, T_ERROR, T_BIG]) TYPE_CLASS[t] = 2;

const NAMES: Record<number, string> = {
  [T_ARRAY]: 'array',
  [T_MAP]: 'map',
  [T_SET]: 'set',
  [T_PUSH]: 'push',
  [T_ATTRIBUTE]: 'attribute',
  [T_BULK]: 'bulk string',
  [T_VERBATIM]: 'verbatim string',
  [T_BLOB_ERROR]: 'blob error',
  [T_CHUNK]: 'streamed string chunk',
};

/** `Frame.length` of a streamed aggregate, which ends at `.` instead of a count. */
const STREAMED = -1;

/**
 * An open aggregate. `length` counts elements (2 per map pair), or is STREAMED. One shape for all:
 * exactly one of `items`, `map` and `object` (a map reply decoded as a plain object) is set.
 */
class Frame {
  /**
   * One frame alive for the life of the process, never on a stack. V8 reaches the shapes (maps) of
   * frames only through the instances that have them: between replies no frame is alive, and a
   * full GC would drop those shapes, and with them the optimised code of decode, fillFrame and
   * openAggregate, so that the first replies after every idle spell would be decoded without it.
   */
  static readonly keepsShapes = new Frame(0, 0, null, null, null);

  count = 0;
  key: RespValue = null;
  constructor(
    readonly type: number,
    readonly length: number,
    readonly items: RespValue[] | null,
    readonly map: RespMap | null,
    readonly object: RespObject | null,
  ) {}
}

/** Text of a map key for a plain object, as the reply normaliser makes it. */
function keyText(key: RespValue): string {
  if (typeof key === 'string') return key;
  if (Buffer.isBuffer(key)) return key.toString('utf8');
  return String(key);
}

/**
 * Sets an own data property; a `__proto__` key from a server becomes a plain property instead of
 * changing the object's prototype.
 */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}

/** Buffer's own slice decoders, skipping toString's argument handling (a measurable cost per reply). */
interface NativeSlices {
  utf8Slice(start: number, end: number): string;
  latin1Slice(start: number, end: number): string;
}
const nativeSlices =
  typeof (Buffer.prototype as Partial<NativeSlices>).utf8Slice === 'function' &&
  typeof (Buffer.prototype as Partial<NativeSlices>).latin1Slice === 'function';
/**
 * From this many bytes on, a string is checked for ASCII first (isAscii, vectorised): ASCII text is
 * then copied as Latin-1, about twice as fast as UTF-8 decoding; below it the extra call costs more.
 */
const ASCII_CHECK_MIN = 1024;

function utf8(b: Buffer, start: number, end: number): string {
  // Short ASCII strings (keys, fields, small values) are built in JS: cheaper than a native call.
  if (end - start <= 16) {
    let out = '';
    for (let i = start; i < end; i++) {
      const c = b[i] as number;
      if (c > 0x7f) return slice(b, start, end);
      out += String.fromCharCode(c);
    }
    return out;
  }
  if (end - start >= ASCII_CHECK_MIN && isAscii(viewOf(b, start, end))) return latin1(b, start, end);
  return slice(b, start, end);
}
/**
 * Text of b[start, end) in a chunk whose ASCII check said `ascii`: copied as Latin-1 when it is, and
 * the string is longer than utf8()'s short strings built in JS.
 */
function chunkText(b: Buffer, start: number, end: number, ascii: boolean): string {
  return ascii && end - start > 16 ? latin1(b, start, end) : utf8(b, start, end);
}
function slice(b: Buffer, start: number, end: number): string {
  return nativeSlices ? (b as Buffer & NativeSlices).utf8Slice(start, end) : b.toString('utf8', start, end);
}
/** Text of bytes known to be ASCII (the same as UTF-8 for them). */
function latin1(b: Buffer, start: number, end: number): string {
  return nativeSlices
    ? (b as Buffer & NativeSlices).latin1Slice(start, end)
    : b.toString('latin1', start, end);
}

/** Where the CR of the last count read by counted() lies (a second return value, without allocating). */
let countEnd = 0;

/**
 * The count written from `i` on, when it is 1 to 15 digits followed by CRLF within `len` (its CR's
 * index left in countEnd); -1 otherwise (a sign, `?`, a longer number, a line going on past the chunk).
 */
function counted(b: Buffer, i: number, len: number): number {
  const stop = Math.min(len - 1, i + 16);
  let n = 0;
  for (let j = i; j < stop; j++) {
    const c = b[j] as number;
    if (c >= 0x30 && c <= 0x39) {
      n = n * 10 + (c - 0x30);
      continue;
    }
    if (c !== CR || j === i || b[j + 1] !== LF) return -1;
    countEnd = j;
    return n;
  }
  return -1;
}

function plainReplyError(message: string, command: string | undefined): ReplyError {
  return withoutFrames(() => new ReplyError(message, command === undefined ? undefined : { command }));
}

function hex(byte: number | undefined): string {
  return byte === undefined ? 'end of input' : `0x${byte.toString(16).padStart(2, '0')}`;
}

export class RespDecoder {
  /** Receives RESP3 attribute maps; the value they annotate is returned by `next()` as usual. */
  onAttribute: ((attrs: RespMap) => void) | undefined;

  private readonly maxBulkLength: number;
  private readonly maxAggregateLength: number;
  private readonly maxDepth: number;
  private readonly maxLineLength: number;
  /** Below this many bytes no line can break a limit, so the per-type check is skipped. */
  private readonly shortestLineLimit: number;
  private readonly errorReply: (message: string, command: string | undefined) => ReplyError;

  // Input: `buf` from `pos` on, then queue[qHead..]. `base` is the stream offset of buf[0].
  private buf: Buffer = EMPTY;
  // buf's memory (read on first use: see memory()) and where buf starts in it, for the views of
  // Buffer-mode values (see viewIn).
  private bufMemory: ArrayBuffer | null = null;
  private bufOffset = 0;
  // Whether buf is all ASCII: 0 not known yet, 1 yes, -1 no (see asciiChunk).
  private bufAscii = 0;
  private pos = 0;
  private base = 0;
  private queue: Buffer[] = [];
  private qHead = 0;
  private queued = 0;
  // Progress of a CRLF search that spans queued chunks: next queue index, bytes already scanned.
  private scanIndex = -1;
  private scanned = 0;

  // The current line: line[ls] is the type byte, line[le] the CR; lineAt is its stream offset.
  private line: Buffer = EMPTY;
  private ls = 0;
  private le = 0;
  private lineAt = 0;

  // A bulk-like payload being awaited (0 when none), its length and its header's offset.
  private payloadType = 0;
  private payloadLength = 0;
  private payloadAt = 0;
  // A large Buffer-mode bulk string being copied into its destination as its bytes arrive (null when
  // none), and how many of its bytes are in it so far.
  private partial: Buffer | null = null;
  private filled = 0;
  // Chunks of a streamed string ($?), null when none is open.
  private streamParts: Buffer[] | null = null;
  private streamLength = 0;

  private readonly stack: Frame[] = [];
  private stringDecoder: StringDecoder | undefined;
  private inReply = false;
  // The choices of the reply being decoded, from the next() call that read its first line; only read
  // while inReply (stale between replies, never cleared: that would cost a store per reply).
  private replyBuffers = false;
  private replyCommand: string | undefined = undefined;
  // The asObject of the current next() call: only read when a top-level aggregate opens, which
  // happens in the call that reads the reply's first line.
  private asObject = false;
  private failure: ProtocolError | null = null;
  // The last chunk a returned Buffer value (or a streamed string part) was sliced from: see holds().
  private sliced: Buffer = EMPTY;

  constructor(options: DecoderOptions = {}) {
    this.maxBulkLength = limit(options.maxBulkLength, DEFAULT_MAX_BULK_LENGTH, 'maxBulkLength');
    this.maxAggregateLength = limit(
      options.maxAggregateLength,
      DEFAULT_MAX_AGGREGATE_LENGTH,
      'maxAggregateLength',
    );
    this.maxDepth = limit(options.maxDepth, DEFAULT_MAX_DEPTH, 'maxDepth');
    this.maxLineLength = limit(options.maxLineLength, DEFAULT_MAX_LINE_LENGTH, 'maxLineLength');
    this.shortestLineLimit = Math.min(SHORT_LINE_MAX, this.maxLineLength + 1);
    this.errorReply = options.errorReply ?? plainReplyError;
    this.onAttribute = options.onAttribute;
  }

  /**
   * Bytes fed but not yet consumed by a returned reply or an open frame; the part of a large bulk
   * string already copied into its destination counts (it is held for an unfinished reply).
   */
  get bufferedBytes(): number {
    return this.buf.length - this.pos + this.queued + this.filled;
  }

  /**
   * Queues `chunk`, kept by reference: the caller must not modify it afterwards, since Buffer values
   * returned by next() may be slices of it.
   */
  feed(chunk: Buffer): void {
    if (this.failure !== null) throw this.failure;
    if (chunk.length === 0) return;
    if (this.pos >= this.buf.length && this.qHead === this.queue.length) {
      this.base += this.buf.length;
      this.setBuf(chunk);
      this.pos = 0;
      // Emptied only when it held something: storing an array's length is a call into the runtime.
      if (this.qHead !== 0) {
        this.queue.length = 0;
        this.qHead = 0;
      }
    } else {
      this.queue.push(chunk);
      this.queued += chunk.length;
    }
  }

  /**
   * Whether the decoder still refers to `chunk` (its bytes not consumed yet), or has sliced a
   * value from it since the last call: only when neither, may the caller overwrite the chunk
   * (a reused read buffer). Forgets the slices it reported.
   */
  holds(chunk: Buffer): boolean {
    const sliced = this.sliced === chunk;
    this.sliced = EMPTY;
    if (sliced || (this.buf === chunk && this.pos < chunk.length)) return true;
    for (let i = this.qHead; i < this.queue.length; i++) if (this.queue[i] === chunk) return true;
    return false;
  }

  /**
   * The next complete reply (a push frame as RespPush), or NEED_MORE. Throws a sticky ProtocolError.
   * The call that reads a reply's first line decides for all of it, even when a later call completes it:
   * `returnBuffers` gives its strings as Buffers instead of UTF-8 text, and `command` is the name
   * its error is made with if the reply is an error (errors nested in it get none). With `asObject`,
   * a map reply (a RESP3 map, or a RESP2 array read as flat key/value pairs) is built straight into
   * a plain object (RespObject, string keys) instead of a Map or an array: what the reply normaliser
   * would make of it, without building the Map or the array first. A RESP2 array whose first element
   * is an aggregate (a list of pairs) stays an array.
   */
  next(returnBuffers = false, command?: string, asObject = false): RespValue | RespPush | typeof NEED_MORE {
    if (this.failure !== null) throw this.failure;
    this.asObject = asObject;
    try {
      // Between replies, a reply that lies whole in the current chunk is read here and returned.
      if (!this.inReply && this.scanIndex < 0) {
        const value = this.quick(returnBuffers);
        if (value !== SLOW) {
          if (value !== CONTINUE) return value;
          this.inReply = true;
          this.replyBuffers = returnBuffers;
          this.replyCommand = command;
        }
      }
      return this.decode(returnBuffers, command);
    } catch (error) {
      if (error instanceof ProtocolError) this.failure = error;
      throw error;
    }
  }

  private decode(
    returnBuffers: boolean,
    command: string | undefined,
  ): RespValue | RespPush | typeof NEED_MORE {
    for (;;) {
      let step: Step | typeof NEED_MORE | typeof SLOW;
      if (this.payloadType !== 0) {
        step = this.readPayload();
      } else {
        const top = this.stack[this.stack.length - 1];
        if (top !== undefined && this.scanIndex < 0) {
          if (top.object === null) this.fillFrame(top);
          else this.fillObject(top, top.object);
        }
        step =
          this.scanIndex < 0 && this.streamParts === null
            ? this.quick(this.inReply ? this.replyBuffers : returnBuffers)
            : SLOW;
        if (step === SLOW) {
          if (!this.readLine()) return NEED_MORE;
          if (!this.inReply) {
            this.inReply = true;
            this.replyBuffers = returnBuffers;
            this.replyCommand = command;
          }
          step = this.parseLine();
        } else if (!this.inReply) {
          this.inReply = true;
          this.replyBuffers = returnBuffers;
          this.replyCommand = command;
        }
      }
      if (step === NEED_MORE) return NEED_MORE;
      if (step === CONTINUE) continue;
      step = this.attach(step);
      if (step !== CONTINUE) {
        this.inReply = false;
        return step;
      }
    }
  }

  /**
   * The common values read in place when all their bytes are in the current chunk: bulk and simple
   * strings, integers, and the headers of counted aggregates. Anything else (another type, a null,
   * a line or payload that goes on in the next chunk, anything malformed or over a limit) is SLOW
   * and consumes nothing: the general path then reads it, and raises the error when there is one.
   */
  private quick(buffers: boolean): Step | typeof SLOW {
    if (this.pos >= this.buf.length) this.refill();
    const buf = this.buf;
    const p = this.pos;
    const len = buf.length;
    const type = buf[p];
    if (type === T_BULK) {
      const n = counted(buf, p + 1, len);
      if (n < 0) return SLOW;
      const s = countEnd + 2;
      const e = s + n;
      if (n > this.maxBulkLength || e + 2 > len || buf[e] !== CR || buf[e + 1] !== LF) return SLOW;
      this.pos = e + 2;
      if (!buffers) return chunkText(buf, s, e, n > 16 && this.asciiChunk());
      this.sliced = buf;
      return viewIn(this.memory(), this.bufOffset + s, n);
    }
    if (type === T_SIMPLE) {
      const stop = Math.min(len - 1, p + 1 + this.shortestLineLimit);
      for (let i = p + 1; i < stop; i++) {
        if (buf[i] !== CR) continue;
        if (buf[i + 1] !== LF) return SLOW;
        this.pos = i + 2;
        if (buffers) {
          this.sliced = buf;
          return viewIn(this.memory(), this.bufOffset + p + 1, i - p - 1);
        }
        // +OK, the commonest reply of all, needs no decoding.
        return i === p + 3 && buf[p + 1] === 0x4f && buf[p + 2] === 0x4b ? 'OK' : utf8(buf, p + 1, i);
      }
      return SLOW;
    }
    if (type === T_INTEGER) {
      const stop = Math.min(len - 1, p + 24);
      for (let i = p + 1; i < stop; i++) {
        if (buf[i] !== CR) continue;
        if (buf[i + 1] !== LF) return SLOW;
        const value = parseInteger(buf, p + 1, i);
        if (value === undefined) return SLOW;
        this.pos = i + 2;
        return value;
      }
      return SLOW;
    }
    if (type === T_ARRAY || type === T_MAP || type === T_SET) {
      if (counted(buf, p + 1, len) < 0) return SLOW;
      const cr = countEnd;
      this.line = buf;
      this.ls = p;
      this.le = cr;
      this.lineAt = this.base + p;
      this.pos = cr + 2;
      return this.openAggregate(type, p + 1, cr);
    }
    return SLOW;
  }

  /**
   * Bulk string elements of the innermost open frame, read in one tight loop while they lie in the
   * current chunk (the bulk of LRANGE, HGETALL, MGET replies). Stops one element short of the
   * frame's end, at anything else, or at a limit, leaving those to the general path.
   */
  private fillFrame(top: Frame): void {
    const buf = this.buf;
    const len = buf.length;
    const buffers = this.replyBuffers;
    const max = this.maxBulkLength;
    const memory = buffers ? this.memory() : null;
    const offset = this.bufOffset;
    const ascii = !buffers && this.asciiChunk();
    const items = top.items;
    const map = top.map;
    const last = top.length - 1;
    let p = this.pos;
    let count = top.count;
    let key = top.key;
    while (count < last && buf[p] === T_BULK) {
      const n = counted(buf, p + 1, len);
      if (n < 0) break;
      const s = countEnd + 2;
      const e = s + n;
      if (n > max || e + 2 > len || buf[e] !== CR || buf[e + 1] !== LF) break;
      const value = buffers ? viewIn(memory as ArrayBuffer, offset + s, n) : chunkText(buf, s, e, ascii);
      if (items !== null) items.push(value);
      else if (count % 2 === 0) key = value;
      else (map as RespMap).set(key, value);
      count++;
      p = e + 2;
    }
    if (buffers && p !== this.pos) this.sliced = buf;
    this.pos = p;
    top.count = count;
    top.key = key;
  }

  /** fillFrame for a map reply built as a plain object: keys always text, values as the mode says. */
  private fillObject(top: Frame, object: RespObject): void {
    const buf = this.buf;
    const buffers = this.replyBuffers;
    const memory = buffers ? this.memory() : null;
    const offset = this.bufOffset;
    const ascii = this.asciiChunk();
    const len = buf.length;
    const max = this.maxBulkLength;
    const last = top.length - 1;
    let p = this.pos;
    let count = top.count;
    let key = top.key as string;
    while (count < last && buf[p] === T_BULK) {
      const n = counted(buf, p + 1, len);
      if (n < 0) break;
      const s = countEnd + 2;
      const e = s + n;
      if (n > max || e + 2 > len || buf[e] !== CR || buf[e + 1] !== LF) break;
      if (count % 2 === 0) key = chunkText(buf, s, e, ascii);
      else
        setOwn(
          object,
          key,
          buffers ? viewIn(memory as ArrayBuffer, offset + s, n) : chunkText(buf, s, e, ascii),
        );
      count++;
      p = e + 2;
    }
    if (buffers && p !== this.pos) this.sliced = buf;
    this.pos = p;
    top.count = count;
    top.key = key;
  }

  private fail(what: string, offset: number): never {
    throw new ProtocolError(`Protocol error: ${what} at byte offset ${offset}`);
  }

  private setBuf(chunk: Buffer): void {
    this.buf = chunk;
    this.bufMemory = null;
    this.bufOffset = chunk.byteOffset;
    this.bufAscii = 0;
  }

  /**
   * buf's ArrayBuffer, read once per chunk and only when a view is built from it: the read is a
   * call into V8's runtime (TypedArray#buffer), wasted on a chunk whose bytes are only copied (a
   * large Buffer bulk) or decoded as text.
   */
  private memory(): ArrayBuffer {
    return (this.bufMemory ??= this.buf.buffer as ArrayBuffer);
  }

  /**
   * Whether the current chunk is all ASCII, checked once per chunk (vectorised, a few µs for 64 KiB)
   * the first time a string is read in place from it (an aggregate's strings, or a top-level bulk
   * string of more than 16 bytes): its strings are then copied as Latin-1, cheaper than UTF-8
   * decoding each one. One byte of UTF-8 anywhere in the chunk keeps all of it on UTF-8 decoding.
   */
  private asciiChunk(): boolean {
    if (this.bufAscii === 0) this.bufAscii = isAscii(this.buf) ? 1 : -1;
    return this.bufAscii === 1;
  }

  /** Moves to the next queued chunk once the current one is consumed. */
  private refill(): void {
    while (this.pos >= this.buf.length && this.qHead < this.queue.length) {
      const next = this.queue[this.qHead] as Buffer;
      this.queue[this.qHead++] = EMPTY;
      this.base += this.buf.length;
      this.setBuf(next);
      this.pos = 0;
      this.queued -= next.length;
    }
    // A CRLF search in progress never spans a refill (its line start is still unconsumed), so
    // compacting the queue cannot invalidate scanIndex.
    if (this.qHead === this.queue.length && this.qHead > 0) {
      this.queue.length = 0;
      this.qHead = 0;
    }
  }

  /** Copies the next `n` bytes (all available) into one new Buffer and consumes them. */
  private take(n: number): Buffer {
    const out = Buffer.allocUnsafe(n);
    let o = 0;
    while (o < n) {
      this.refill();
      const c = Math.min(this.buf.length - this.pos, n - o);
      this.buf.copy(out, o, this.pos, this.pos + c);
      o += c;
      this.pos += c;
    }
    return out;
  }

  /**
   * A bulk string of `n` bytes and its CRLF (all buffered) that straddles chunks, as text: each
   * chunk's part is decoded where it lies (a character cut between chunks is carried over), so the
   * payload is neither copied nor decoded twice.
   */
  private takeString(n: number): string {
    // ASCII parts are copied as Latin-1 (see ASCII_CHECK_MIN); from the first part that is not, the
    // rest goes through the StringDecoder, which carries a character cut between parts over. The
    // parts before it were whole ASCII, so it starts with nothing pending.
    let sd: StringDecoder | undefined;
    let out = '';
    for (let left = n; left > 0;) {
      this.refill();
      const buf = this.buf;
      const c = Math.min(buf.length - this.pos, left);
      const part = viewOf(buf, this.pos, this.pos + c);
      if (sd === undefined && isAscii(part)) {
        out += latin1(buf, this.pos, this.pos + c);
      } else {
        sd ??= this.stringDecoder ??= new StringDecoder('utf8');
        out += sd.write(part);
      }
      this.pos += c;
      left -= c;
    }
    if (sd !== undefined) out += sd.end();
    const crlf = this.take(2);
    if (crlf[0] !== CR || crlf[1] !== LF) {
      this.fail('missing CRLF after bulk string payload', this.base + this.pos - 2);
    }
    this.payloadType = 0;
    return out;
  }

  /** Locates the next CRLF-terminated line; false when it has not fully arrived. */
  private readLine(): boolean {
    if (this.pos >= this.buf.length) this.refill();
    const buf = this.buf;
    const pos = this.pos;
    const len = buf.length;
    if (pos >= len) return false;
    if (this.scanIndex < 0) {
      // Most lines are a few bytes: a JS scan beats a native indexOf call; long ones use indexOf.
      let lf = -1;
      const stop = Math.min(len, pos + 24);
      for (let i = pos + 1; i < stop; i++) {
        if (buf[i] === LF) {
          lf = i;
          break;
        }
      }
      if (lf === -1 && stop < len) lf = buf.indexOf(LF, stop);
      if (lf !== -1) {
        this.line = buf;
        this.ls = pos;
        this.lineAt = this.base + pos;
        this.pos = lf + 1;
        this.endLine(lf - 1);
        return true;
      }
      const type = buf[pos] as number;
      if (TYPE_CLASS[type] === 0) this.fail(`invalid type byte ${hex(type)}`, this.base + pos);
      this.scanIndex = this.qHead;
      this.scanned = buf.length - pos;
    }
    // The line spans chunks: search the queued ones not searched yet.
    const max = TYPE_CLASS[buf[pos] as number] === 1 ? SHORT_LINE_MAX : this.maxLineLength + 1;
    for (; this.scanIndex < this.queue.length; this.scanIndex++) {
      const chunk = this.queue[this.scanIndex] as Buffer;
      const lf = chunk.indexOf(LF);
      if (lf !== -1) {
        const at = this.base + pos;
        const n = this.scanned + lf + 1;
        this.scanIndex = -1;
        this.scanned = 0;
        this.line = this.take(n);
        this.ls = 0;
        this.lineAt = at;
        this.endLine(n - 2);
        return true;
      }
      this.scanned += chunk.length;
      if (this.scanned > max) this.fail('line too long (no CRLF)', this.base + pos);
    }
    if (this.scanned > max) this.fail('line too long (no CRLF)', this.base + pos);
    return false;
  }

  /** Checks the CR before the LF found and the line's length; `cr` is where the CR must be. */
  private endLine(cr: number): void {
    const line = this.line;
    const ls = this.ls;
    if (cr <= ls) this.fail(`invalid type byte ${hex(line[ls])}`, this.lineAt);
    if (line[cr] !== CR) this.fail('LF without CR', this.lineAt + (cr - ls) + 1);
    if (cr - ls > this.shortestLineLimit) {
      const max = TYPE_CLASS[line[ls] as number] === 1 ? SHORT_LINE_MAX : this.maxLineLength + 1;
      if (cr - ls > max) this.fail('line too long', this.lineAt);
    }
    this.le = cr;
  }

  private parseLine(): Step | typeof NEED_MORE {
    const { line, ls, le } = this;
    const type = line[ls] as number;
    const s = ls + 1;
    if (this.streamParts !== null && type !== T_CHUNK) {
      this.fail(`expected a streamed string chunk (;) but got type byte ${hex(type)}`, this.lineAt);
    }
    switch (type) {
      case T_BULK:
      case T_VERBATIM:
      case T_BLOB_ERROR:
        return this.openPayload(type, s, le);
      case T_SIMPLE:
        if (!this.replyBuffers) return utf8(line, s, le);
        this.sliced = line;
        return viewOf(line, s, le);
      case T_INTEGER: {
        const value = parseInteger(line, s, le);
        if (value === undefined) this.fail('malformed integer', this.lineAt);
        return value;
      }
      case T_ARRAY:
      case T_MAP:
      case T_SET:
      case T_PUSH:
      case T_ATTRIBUTE:
        return this.openAggregate(type, s, le);
      case T_ERROR:
        return this.errorReply(utf8(line, s, le), this.stack.length === 0 ? this.replyCommand : undefined);
      case T_NULL:
        if (le !== s) this.fail('malformed null', this.lineAt);
        return null;
      case T_DOUBLE: {
        const value = parseDouble(line, s, le);
        if (value === undefined) this.fail('malformed double', this.lineAt);
        return value;
      }
      case T_BOOLEAN: {
        const c = line[s];
        if (le !== s + 1 || (c !== 0x74 && c !== 0x66)) this.fail('malformed boolean', this.lineAt);
        return c === 0x74;
      }
      case T_BIG: {
        const value = parseBigNumber(line, s, le);
        if (value === undefined) this.fail('malformed big number', this.lineAt);
        return value;
      }
      case T_CHUNK:
        if (this.streamParts === null)
          this.fail('streamed string chunk outside a streamed string', this.lineAt);
        return this.openPayload(type, s, le);
      case T_END:
        return this.closeStreamed(s, le);
      default:
        return this.fail(`invalid type byte ${hex(type)}`, this.lineAt);
    }
  }

  /** After a `$ = ! ;` header: a null, the start of a streamed string, or the payload itself. */
  private openPayload(type: number, s: number, le: number): Step | typeof NEED_MORE {
    const line = this.line;
    if (type === T_BULK && le === s + 1 && line[s] === QUESTION) {
      this.streamParts = [];
      this.streamLength = 0;
      return CONTINUE;
    }
    const length = parseLength(line, s, le);
    if (Number.isNaN(length)) this.fail(`malformed ${NAMES[type]} length`, this.lineAt);
    if (length === -1) {
      if (type !== T_BULK) this.fail(`null ${NAMES[type]}`, this.lineAt);
      return null;
    }
    if (type === T_CHUNK) {
      if (length === 0) {
        const parts = this.streamParts as Buffer[];
        this.streamParts = null;
        const data = Buffer.concat(parts, this.streamLength);
        return this.replyBuffers ? data : data.toString('utf8');
      }
      if (this.streamLength + length > this.maxBulkLength) {
        this.fail(`streamed string longer than maxBulkLength ${this.maxBulkLength}`, this.lineAt);
      }
    } else if (length > this.maxBulkLength) {
      this.fail(`${NAMES[type]} length ${length} exceeds maxBulkLength ${this.maxBulkLength}`, this.lineAt);
    }
    if (type === T_VERBATIM && length < 4) this.fail('verbatim string without format prefix', this.lineAt);
    this.payloadType = type;
    this.payloadLength = length;
    this.payloadAt = this.lineAt;
    return this.readPayload();
  }

  /** The awaited payload and its CRLF, once all its bytes are buffered. */
  private readPayload(): Step | typeof NEED_MORE {
    if (this.partial !== null) return this.fillPartial(this.partial);
    this.refill();
    const n = this.payloadLength;
    let data: Buffer;
    let start: number;
    const here = this.buf.length - this.pos;
    if (here >= n + 2) {
      data = this.buf;
      start = this.pos;
      this.pos += n + 2;
    } else {
      if (
        n >= PARTIAL_MIN &&
        this.payloadType === T_BULK &&
        this.replyBuffers &&
        (here + this.queued) * PARTIAL_RATIO >= n
      ) {
        this.partial = Buffer.allocUnsafe(n);
        this.filled = 0;
        return this.fillPartial(this.partial);
      }
      if (here + this.queued < n + 2) return NEED_MORE;
      if (this.payloadType === T_BULK && !this.replyBuffers) return this.takeString(n);
      data = this.take(n + 2);
      start = 0;
    }
    const end = start + n;
    if (data[end] !== CR || data[end + 1] !== LF) {
      this.fail(`missing CRLF after ${NAMES[this.payloadType]} payload`, this.base + this.pos - 2);
    }
    const type = this.payloadType;
    this.payloadType = 0;
    if (this.replyBuffers || type === T_CHUNK) this.sliced = data;
    switch (type) {
      case T_BULK:
        return this.replyBuffers ? viewOf(data, start, end) : utf8(data, start, end);
      case T_VERBATIM:
        if (data[start + 3] !== 0x3a) this.fail('verbatim string without format prefix', this.payloadAt);
        return this.replyBuffers ? viewOf(data, start + 4, end) : utf8(data, start + 4, end);
      case T_BLOB_ERROR:
        return this.errorReply(
          utf8(data, start, end),
          this.stack.length === 0 ? this.replyCommand : undefined,
        );
      default:
        (this.streamParts as Buffer[]).push(data.subarray(start, end));
        this.streamLength += n;
        return CONTINUE;
    }
  }

  /**
   * Where the next bytes of the stream may be read straight into, skipping a copy: the rest of a
   * large Buffer bulk string being filled, once everything fed before it has been consumed and at
   * least `min` of its bytes are still to come; else undefined. Report what was read with
   * filledDirectly().
   */
  directTarget(min: number): Buffer | undefined {
    const out = this.partial;
    if (out === null || this.pos < this.buf.length || this.qHead < this.queue.length) return undefined;
    return out.length - this.filled >= min ? out.subarray(this.filled) : undefined;
  }

  /** `n` bytes of the stream were read into the buffer directTarget() gave. */
  filledDirectly(n: number): void {
    this.filled += n;
    // They never pass through buf: the stream offset of the next chunk counts them here.
    this.base += n;
  }

  /**
   * Copies what has arrived of the large bulk string `out` into it, consuming it (each chunk is then
   * garbage at once, instead of being held until the last one arrives and copied then); the string
   * once it and its CRLF are complete.
   */
  private fillPartial(out: Buffer): Step | typeof NEED_MORE {
    const n = out.length;
    let o = this.filled;
    while (o < n) {
      if (this.pos >= this.buf.length) {
        this.refill();
        if (this.pos >= this.buf.length) break;
      }
      const c = Math.min(this.buf.length - this.pos, n - o);
      this.buf.copy(out, o, this.pos, this.pos + c);
      o += c;
      this.pos += c;
    }
    this.filled = o;
    if (o < n || this.buf.length - this.pos + this.queued < 2) return NEED_MORE;
    const crlf = this.take(2);
    if (crlf[0] !== CR || crlf[1] !== LF) {
      this.fail('missing CRLF after bulk string payload', this.base + this.pos - 2);
    }
    this.partial = null;
    this.filled = 0;
    this.payloadType = 0;
    return out;
  }

  private openAggregate(type: number, s: number, le: number): Step {
    const line = this.line;
    let length: number;
    if (le === s + 1 && line[s] === QUESTION) {
      if (type !== T_ARRAY && type !== T_MAP && type !== T_SET) {
        this.fail(`streamed ${NAMES[type]} is not allowed`, this.lineAt);
      }
      length = STREAMED;
    } else {
      length = parseLength(line, s, le);
      if (Number.isNaN(length)) this.fail(`malformed ${NAMES[type]} length`, this.lineAt);
      if (length === -1) {
        if (type !== T_ARRAY) this.fail(`null ${NAMES[type]}`, this.lineAt);
        return null;
      }
      if (length > this.maxAggregateLength) {
        this.fail(
          `${NAMES[type]} length ${length} exceeds maxAggregateLength ${this.maxAggregateLength}`,
          this.lineAt,
        );
      }
    }
    if (type === T_PUSH && this.stack.length > 0) this.fail('push frame inside an aggregate', this.lineAt);
    const isMap = type === T_MAP || type === T_ATTRIBUTE;
    const depth = this.stack.length;
    const asObject = depth === 0 && this.asObject && (type === T_MAP || type === T_ARRAY);
    if (length === 0) {
      if (type === T_ATTRIBUTE) {
        this.onAttribute?.(new Map());
        return CONTINUE;
      }
      if (asObject) return {};
      return isMap ? new Map() : type === T_PUSH ? new RespPush([]) : [];
    }
    if (depth >= this.maxDepth) {
      this.fail(`aggregates nested deeper than maxDepth ${this.maxDepth}`, this.lineAt);
    }
    if (depth === 1) {
      // A RESP2 reply read as flat pairs whose first element is an aggregate is a list of pairs
      // ([[k, v], ...]): it stays an array, for the normaliser to read.
      const top = this.stack[0] as Frame;
      if (top.object !== null && top.type === T_ARRAY && top.count === 0) {
        this.stack[0] = new Frame(T_ARRAY, top.length, [], null, null);
      }
    }
    const span = isMap && length !== STREAMED ? length * 2 : length;
    this.stack.push(
      asObject
        ? new Frame(type, span, null, null, {})
        : isMap
          ? new Frame(type, span, null, new Map(), null)
          : new Frame(type, length, [], null, null),
    );
    return CONTINUE;
  }

  /** `.`: the end of the innermost streamed aggregate. */
  private closeStreamed(s: number, le: number): Step {
    const top = this.stack[this.stack.length - 1];
    if (le !== s) this.fail('malformed end marker', this.lineAt);
    if (top === undefined || top.length !== STREAMED)
      this.fail('end marker outside a streamed aggregate', this.lineAt);
    if (top.type === T_MAP && top.count % 2 === 1) this.fail('end marker after a map key', this.lineAt);
    this.stack.pop();
    return this.complete(top);
  }

  /** Adds a finished value to the open aggregates, closing each one it completes. */
  private attach(value: RespValue | RespPush): Step {
    for (;;) {
      const top = this.stack[this.stack.length - 1];
      if (top === undefined) return value;
      // Only a top-level frame may be a push, so nothing nested is ever a RespPush.
      const v = value as RespValue;
      if (top.items !== null) {
        top.items.push(v);
      } else if (top.count % 2 === 0) {
        top.key = top.object === null ? v : keyText(v);
      } else if (top.map !== null) {
        top.map.set(top.key, v);
      } else {
        setOwn(top.object as RespObject, top.key as string, v);
      }
      top.count++;
      if (top.count !== top.length) {
        const pairs = top.type === T_MAP || top.type === T_ATTRIBUTE;
        if (top.length === STREAMED && top.count > this.maxAggregateLength * (pairs ? 2 : 1)) {
          this.fail(
            `streamed ${NAMES[top.type]} longer than maxAggregateLength ${this.maxAggregateLength}`,
            this.base + this.pos,
          );
        }
        return CONTINUE;
      }
      this.stack.pop();
      const done = this.complete(top);
      if (done === CONTINUE) return CONTINUE;
      value = done;
    }
  }

  /** The value of a closed frame; an attribute goes to onAttribute and yields no value. */
  private complete(frame: Frame): Step {
    if (frame.object !== null) return frame.object;
    switch (frame.type) {
      case T_ATTRIBUTE:
        this.onAttribute?.(frame.map as RespMap);
        return CONTINUE;
      case T_MAP:
        return frame.map as RespMap;
      case T_PUSH:
        return new RespPush(frame.items as RespValue[]);
      default:
        return frame.items as RespValue[];
    }
  }
}

function limit(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!(value >= 0) || !Number.isSafeInteger(value)) {
    throw new RangeError(`RespDecoder option ${name} must be a non-negative safe integer`);
  }
  return value;
}
