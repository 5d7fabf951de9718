// Test-side RESP3 serializer, written independently of the decoder (recursive and naive on
// purpose) so that round trips check the decoder against a second reading of the protocol, plus
// helpers that feed a decoder in pieces and collect every reply.
import { NEED_MORE, RespDecoder, type DecoderOptions } from '../../src/resp/decoder.js';
import { ReplyError } from '../../src/errors.js';
import { RespPush, type RespValue } from '../../src/resp/types.js';

export function serialize(value: RespValue | RespPush): Buffer {
  const parts: Buffer[] = [];
  write(value, parts);
  return Buffer.concat(parts);
}

function write(value: RespValue | RespPush, out: Buffer[]): void {
  const text = (s: string) => out.push(Buffer.from(s, 'utf8'));
  if (value instanceof RespPush) {
    text(`>${value.data.length}\r\n`);
    for (const v of value.data) write(v, out);
  } else if (value === null) text('_\r\n');
  else if (typeof value === 'string') text(`$${Buffer.byteLength(value)}\r\n${value}\r\n`);
  else if (typeof value === 'boolean') text(`#${value ? 't' : 'f'}\r\n`);
  else if (typeof value === 'bigint') text(`(${value}\r\n`);
  else if (typeof value === 'number') {
    if (Number.isSafeInteger(value) && !Object.is(value, -0)) text(`:${value}\r\n`);
    else if (Number.isNaN(value)) text(',nan\r\n');
    else if (value === Infinity) text(',inf\r\n');
    else if (value === -Infinity) text(',-inf\r\n');
    else text(`,${Object.is(value, -0) ? '-0.0' : String(value)}\r\n`);
  } else if (value instanceof ReplyError) text(`-${value.message}\r\n`);
  else if (Buffer.isBuffer(value)) {
    text(`$${value.length}\r\n`);
    out.push(value);
    text('\r\n');
  } else if (Array.isArray(value)) {
    text(`*${value.length}\r\n`);
    for (const v of value) write(v, out);
  } else if (value instanceof Map) {
    text(`%${value.size}\r\n`);
    for (const [k, v] of value) {
      write(k, out);
      write(v, out);
    }
  } else {
    const entries = Object.entries(value);
    text(`%${entries.length}\r\n`);
    for (const [k, v] of entries) {
      write(k, out);
      write(v, out);
    }
  }
}

/** Decoder options, plus what every next() call passes. */
export interface FeedOptions extends DecoderOptions {
  returnBuffers?: boolean;
  command?: string;
  asObject?: boolean;
}

/** Feeds `input` cut at `cuts` (sorted offsets) and returns every reply, in order. */
export function decodeSplit(
  input: Buffer,
  cuts: readonly number[],
  options: FeedOptions = {},
): Array<RespValue | RespPush> {
  const { returnBuffers = false, command, asObject = false, ...decoderOptions } = options;
  const decoder = new RespDecoder(decoderOptions);
  const out: Array<RespValue | RespPush> = [];
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    decoder.feed(input.subarray(from, cut));
    from = cut;
    for (;;) {
      const v = decoder.next(returnBuffers, command, asObject);
      if (v === NEED_MORE) break;
      out.push(v);
    }
  }
  return out;
}

/** Every reply of `input`, decoded from one chunk. */
export function decodeAll(input: Buffer | string, options?: FeedOptions): Array<RespValue | RespPush> {
  return decodeSplit(typeof input === 'string' ? Buffer.from(input, 'utf8') : input, [], options);
}

/** A structural form for comparisons: classes of errors, maps and pushes made explicit. */
export function plain(value: RespValue | RespPush): unknown {
  if (value instanceof RespPush) return { push: value.data.map(plain) };
  if (value instanceof ReplyError) return { error: value.name, code: value.code, message: value.message };
  if (Buffer.isBuffer(value)) return { buffer: value.toString('hex') };
  if (Array.isArray(value)) return value.map(plain);
  if (value instanceof Map) return { map: [...value].map(([k, v]) => [plain(k), plain(v)]) };
  return value;
}
