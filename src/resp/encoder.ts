// Encodes a command as a RESP array of bulk strings. Every argument is length-prefixed by its byte
// length, so CR/LF inside an argument can never start a second command. All arguments are checked
// before any byte is produced; the header and small arguments share one allocation, user Buffers of
// PASSTHROUGH_MIN bytes or more are returned as their own chunk, never copied, and a long ASCII
// string is encoded once, into its own chunk.
import type { RespArgument } from './types.js';

/** User Buffers at least this long are passed through as separate chunks instead of copied. */
export const PASSTHROUGH_MIN = 4096;

// Scratch space for the validation pass, reused across calls (encodeCommand never re-enters:
// it calls no user code). Strings are kept as given, numbers/bigints as their decimal text; `own`
// holds the chunk a long ASCII string was encoded into.
const texts: string[] = [];
const lengths: number[] = [];
const own: (Buffer | undefined)[] = [];

/**
 * Strings at least this long are tried as ASCII first (see asciiBytes): Buffer.byteLength scans a
 * string at about a third of the speed of encoding it, so for a long one the scan costs more than
 * the copy.
 */
const LONG_STRING_MIN = 64 * 1024;
const utf8Encoder = new TextEncoder();

/**
 * The bytes of `s` when it is all ASCII, encoded in one pass; undefined otherwise. A buffer of
 * `s.length` bytes holds all of `s` only when every character takes one byte, which is what
 * encodeInto's `read` tells.
 */
function asciiBytes(s: string): Buffer | undefined {
  const out = Buffer.allocUnsafe(s.length);
  return utf8Encoder.encodeInto(s, out).read === s.length ? out : undefined;
}

function clearScratch(): void {
  texts.length = 0;
  own.length = 0;
}

function digits(n: number): number {
  if (n < 10) return 1;
  if (n < 100) return 2;
  if (n < 1000) return 3;
  if (n < 10000) return 4;
  let d = 5;
  for (let x = Math.floor(n / 100000); x > 0; x = Math.floor(x / 10)) d++;
  return d;
}

function writeUint(buf: Buffer, pos: number, n: number): number {
  if (n < 10) {
    buf[pos] = 48 + n;
    return pos + 1;
  }
  const end = pos + digits(n);
  for (let p = end - 1; p >= pos; p--) {
    buf[p] = 48 + (n % 10);
    n = Math.floor(n / 10);
  }
  return end;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : 'a non-finite number';
  return `a value of type ${typeof value}`;
}

function invalid(args: readonly unknown[], command: string | undefined, index: number): TypeError {
  clearScratch();
  const first = args[0];
  const name = command ?? (typeof first === 'string' && first.length <= 64 ? first : 'unknown');
  // The message names the command and the position, never the argument's value.
  return new TypeError(
    `Invalid argument at index ${index} of command ${name}: got ${describe(args[index])}; ` +
      'expected a string, Buffer, finite number or bigint',
  );
}

/**
 * Encodes `args` (command words first) as one RESP array of bulk strings.
 * Returns the chunks to write in order. Large Buffers in `args` are returned as-is (not copied),
 * so they must not be modified until the chunks have been written; a long ASCII string comes back
 * as a chunk of its own.
 * @throws TypeError naming `command` (or `args[0]`) and the argument index, before producing anything.
 */
export function encodeCommand(args: readonly RespArgument[], command?: string): Buffer[] {
  const n = args.length;
  if (n === 0) throw new TypeError(`Cannot encode command ${command ?? 'unknown'}: it has no arguments`);
  let size = 3 + digits(n);
  let passthrough = 0;
  for (let i = 0; i < n; i++) {
    const arg: unknown = args[i];
    let len: number;
    own[i] = undefined;
    if (typeof arg === 'string') {
      const bytes = arg.length >= LONG_STRING_MIN ? asciiBytes(arg) : undefined;
      if (bytes !== undefined) {
        len = bytes.length;
        own[i] = bytes;
        passthrough++;
        size -= len;
      } else {
        len = arg.length < 32 ? asciiLength(arg) : Buffer.byteLength(arg, 'utf8');
      }
      texts[i] = arg;
    } else if (arg instanceof Uint8Array) {
      len = arg.length;
      if (len >= PASSTHROUGH_MIN) {
        passthrough++;
        size -= len;
      }
      texts[i] = '';
    } else if (typeof arg === 'number') {
      if (!Number.isFinite(arg)) throw invalid(args, command, i);
      const text = String(arg);
      texts[i] = text;
      len = text.length;
    } else if (typeof arg === 'bigint') {
      const text = arg.toString();
      texts[i] = text;
      len = text.length;
    } else {
      throw invalid(args, command, i);
    }
    lengths[i] = len;
    size += 5 + digits(len) + len;
  }

  const out = Buffer.allocUnsafe(size);
  const chunks: Buffer[] = [];
  let start = 0;
  out[0] = 42; // '*'
  let pos = writeUint(out, 1, n);
  out[pos++] = 13;
  out[pos++] = 10;
  for (let i = 0; i < n; i++) {
    const len = lengths[i] as number;
    out[pos++] = 36; // '$'
    pos = writeUint(out, pos, len);
    out[pos++] = 13;
    out[pos++] = 10;
    const arg = args[i] as RespArgument;
    if (typeof arg === 'object') {
      if (len >= PASSTHROUGH_MIN) {
        chunks.push(out.subarray(start, pos), arg);
        start = pos;
      } else {
        out.set(arg, pos);
        pos += len;
      }
    } else if (own[i] !== undefined) {
      chunks.push(out.subarray(start, pos), own[i] as Buffer);
      start = pos;
    } else {
      const text = texts[i] as string;
      if (len === text.length && len < 32) {
        for (let j = 0; j < len; j++) out[pos + j] = text.charCodeAt(j);
        pos += len;
      } else {
        pos += out.write(text, pos, len, 'utf8');
      }
    }
    out[pos++] = 13;
    out[pos++] = 10;
  }
  clearScratch();
  if (passthrough === 0) return [out];
  chunks.push(out.subarray(start, pos));
  return chunks;
}

/** Longest string argument encodeCommandText takes; longer ones are encoded once, into a Buffer. */
export const TEXT_ARGUMENT_MAX = 1024;

/**
 * The RESP text of a command whose arguments are all strings of at most TEXT_ARGUMENT_MAX characters,
 * finite numbers or bigints; undefined for anything else (a Buffer, a long string, an invalid
 * argument: encodeCommand takes those, and raises the TypeError). Small commands are cheaper as text:
 * a batch of them is concatenated into one string and written as one (no Buffer per command, no
 * Buffer.concat of the batch).
 */
export function encodeCommandText(args: readonly RespArgument[]): string | undefined {
  const n = args.length;
  if (n === 0) return undefined;
  let out = `*${n}\r\n`;
  for (let i = 0; i < n; i++) {
    const arg: unknown = args[i];
    if (typeof arg === 'string') {
      if (arg.length > TEXT_ARGUMENT_MAX) return undefined;
      const len = arg.length < 32 ? asciiLength(arg) : Buffer.byteLength(arg, 'utf8');
      out += `$${len}\r\n${arg}\r\n`;
    } else if (typeof arg === 'number') {
      if (!Number.isFinite(arg)) return undefined;
      const text = String(arg);
      out += `$${text.length}\r\n${text}\r\n`;
    } else if (typeof arg === 'bigint') {
      const text = arg.toString();
      out += `$${text.length}\r\n${text}\r\n`;
    } else {
      return undefined;
    }
  }
  return out;
}

/** UTF-8 byte length of a short string: its length when all ASCII, else Buffer.byteLength. */
function asciiLength(s: string): number {
  for (let i = 0; i < s.length; i++) {
    if (s.charCodeAt(i) > 0x7f) return Buffer.byteLength(s, 'utf8');
  }
  return s.length;
}
