// `npm run bench:parser`: the RESP decoder alone against redis-parser 3.0.0 and the decoders inside
// node-redis 6 and ioredis 6, fed the same reply streams (the bytes a server sends for each payload)
// in 64 KiB chunks, string and Buffer modes, rounds interleaved with the order rotated. Each decoder is
// made once per payload and mode and warmed up for WARM_MS before it is timed. Reports MB/s
// of RESP input (median, min..max) and each decoder's ratio to the best peer; BENCH_ROUNDS rounds,
// BENCH_ONLY=<part of a payload name> to run one payload.
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { NEED_MORE, RespDecoder } from '../src/resp/decoder.js';
import { median, ratioCell } from './stats.js';

const require = createRequire(import.meta.url);

const CHUNK = 64 * 1024;
/**
 * Each decoder first runs its stream over and over for this long, so that every one is measured in
 * its optimised code: one pass of a 1 MiB payload is ten replies, too few calls to get a decoder's
 * functions optimised, and a pass count fixed from a cold pass would time a fast decoder for a few
 * milliseconds only.
 */
const WARM_MS = 250;
/**
 * Shortest measurement: a stream is fed as many times over as one decoder needs to take this long
 * (the fastest of three passes after its warm-up), so that fast decoders on short streams (10 MiB of 1 MiB bulks
 * decode in about 1 ms) are not measured over a span the timer and one GC can swing by half.
 */
const MEASURE_MS = 100;

interface Payload {
  readonly name: string;
  readonly resp3: boolean;
  readonly replies: number;
  readonly stream: Buffer;
  /**
   * For a stream of equal bulk strings: the header and value sizes of each. Its Buffer mode is then
   * also timed with the copies alone (copyOnly), the work no decoder can skip.
   */
  readonly bulks?: { readonly header: number; readonly value: number };
}

/** Printable ASCII of `n` bytes, varied so no decoder meets a degenerate input. */
function text(n: number, seed: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += String.fromCharCode(33 + ((i * 7 + seed) % 90));
  return out;
}

function bulk(s: string): string {
  return `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
}

function payloads(): Payload[] {
  const parts: string[] = [];
  const value = text(100, 1);
  const status = Buffer.from('+OK\r\n'.repeat(100_000));
  for (let i = 0; i < 100_000; i++) parts.push(bulk(text(100, i)));
  const bulks = Buffer.from(parts.join(''));
  parts.length = 0;
  for (let a = 0; a < 10; a++) {
    parts.push('*10000\r\n');
    for (let i = 0; i < 10_000; i++) parts.push(bulk(text(100, a + i)));
  }
  const arrays = Buffer.from(parts.join(''));
  parts.length = 0;
  for (let m = 0; m < 10; m++) {
    parts.push('%10000\r\n');
    for (let i = 0; i < 10_000; i++) parts.push(bulk(`field:${i}`), bulk(value));
  }
  const maps = Buffer.from(parts.join(''));
  const big = bulk(text(1024 * 1024, 3));
  const bigs = Buffer.from(big.repeat(10));
  return [
    { name: '100k +OK', resp3: false, replies: 100_000, stream: status },
    { name: '100k bulk 100 B', resp3: false, replies: 100_000, stream: bulks },
    { name: '10 x array of 10k bulk', resp3: false, replies: 10, stream: arrays },
    { name: '10 x RESP3 map of 10k fields', resp3: true, replies: 10, stream: maps },
    {
      name: '10 x bulk 1 MiB',
      resp3: false,
      replies: 10,
      stream: bigs,
      bulks: { header: big.indexOf('\r\n') + 2, value: 1024 * 1024 },
    },
  ];
}

/** Separate Buffers of at most 64 KiB, as socket reads hand them over. */
function chunks(stream: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < stream.length; i += CHUNK) out.push(Buffer.from(stream.subarray(i, i + CHUNK)));
  return out;
}

/**
 * One decoder set up for a mode, made once and fed stream after stream, as a connection keeps its
 * decoder for its life (a decoder made per pass would also be garbage at each measurement's GC,
 * and V8 drops optimised code that depends on the shapes of objects no longer alive). `run` feeds
 * every chunk and returns the replies it produced.
 */
interface Contender {
  readonly name: string;
  readonly resp2Only: boolean;
  make(buffers: boolean): (chunks: readonly Buffer[]) => number;
}

const redspec: Contender = {
  name: 'redspec',
  resp2Only: false,
  make: (buffers) => {
    const d = new RespDecoder();
    return (input) => {
      let n = 0;
      for (const chunk of input) {
        d.feed(chunk);
        while (d.next(buffers) !== NEED_MORE) n++;
      }
      return n;
    };
  },
};

interface RedisParserCtor {
  new (options: {
    returnReply(reply: unknown): void;
    returnError(error: unknown): void;
    returnFatalError(error: unknown): void;
    returnBuffers: boolean;
  }): { execute(chunk: Buffer): void };
}
const RedisParser = require('redis-parser') as RedisParserCtor;
const redisParser: Contender = {
  name: 'redis-parser 3.0.0',
  resp2Only: true,
  make: (buffers) => {
    let n = 0;
    const fail = (error: unknown) => {
      throw error;
    };
    const p = new RedisParser({
      returnReply: () => n++,
      returnError: fail,
      returnFatalError: fail,
      returnBuffers: buffers,
    });
    return (input) => {
      n = 0;
      for (const chunk of input) p.execute(chunk);
      return n;
    };
  },
};

/** node-redis's decoder and ioredis 6's port of it share one interface. */
interface DecoderModule {
  RESP_TYPES: Record<'BLOB_STRING' | 'SIMPLE_STRING' | 'VERBATIM_STRING' | 'MAP', number>;
  Decoder: new (options: {
    onReply(reply: unknown): void;
    onErrorReply(error: unknown): void;
    onPush(push: unknown): void;
    getTypeMapping(): Record<number, unknown>;
  }) => { write(chunk: Buffer): void };
}
function typedDecoder(name: string, mod: DecoderModule): Contender {
  const T = mod.RESP_TYPES;
  return {
    name,
    resp2Only: false,
    make: (buffers) => {
      // Maps as Map, like ours (both default to plain objects otherwise); strings as the mode says.
      const mapping: Record<number, unknown> = { [T.MAP]: Map };
      if (buffers) {
        mapping[T.BLOB_STRING] = Buffer;
        mapping[T.SIMPLE_STRING] = Buffer;
        mapping[T.VERBATIM_STRING] = Buffer;
      }
      let n = 0;
      const fail = (error: unknown) => {
        throw error;
      };
      const d = new mod.Decoder({
        onReply: () => n++,
        onErrorReply: fail,
        onPush: fail,
        getTypeMapping: () => mapping,
      });
      return (input) => {
        n = 0;
        for (const chunk of input) d.write(chunk);
        return n;
      };
    },
  };
}
const nodeRedis = typedDecoder(
  'node-redis 6.3.1',
  require('@redis/client/dist/lib/RESP/decoder.js') as DecoderModule,
);
const ioredis = typedDecoder('ioredis 6.0.0', require('ioredis/built/resp/decoder.js') as DecoderModule);

const contenders = [redspec, redisParser, nodeRedis, ioredis];

/**
 * Not a decoder: it knows the stream's layout and only copies each value's bytes, chunk by chunk,
 * into a Buffer of its own (allocated when its header has passed), skipping headers and CRLFs
 * unread. A Buffer-mode decoder must make those same copies when a value spans chunks, so this
 * is the most any of them can reach on such a stream.
 */
function copyOnly(layout: {
  readonly header: number;
  readonly value: number;
}): (input: readonly Buffer[]) => number {
  const { header, value } = layout;
  return (input) => {
    let n = 0;
    let skip = header;
    let out: Buffer | null = null;
    let filled = 0;
    for (const chunk of input) {
      let p = 0;
      while (p < chunk.length) {
        if (out === null) {
          const k = Math.min(skip, chunk.length - p);
          p += k;
          skip -= k;
          if (skip > 0) break;
          out = Buffer.allocUnsafe(value);
          filled = 0;
          continue;
        }
        const k = Math.min(value - filled, chunk.length - p);
        chunk.copy(out, filled, p, p + k);
        filled += k;
        p += k;
        if (filled === value) {
          out = null;
          n++;
          // The value's CRLF, then the next header.
          skip = 2 + header;
        }
      }
    }
    return n;
  };
}
const COPY_ONLY = 'copy only';
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const gc = (globalThis as { gc?: () => void }).gc;

export interface ParserRow {
  payload: string;
  mode: 'string' | 'Buffer';
  /** MB/s of RESP input per round, per decoder (and COPY_ONLY, where it ran: not a peer). */
  mbps: Record<string, number[]>;
}

export function runParserBench(): ParserRow[] {
  const rows: ParserRow[] = [];
  const only = process.env.BENCH_ONLY;
  for (const payload of payloads()) {
    if (only !== undefined && !payload.name.includes(only)) continue;
    const input = chunks(payload.stream);
    for (const mode of ['string', 'Buffer'] as const) {
      const entrants = contenders.filter((c) => !(c.resp2Only && payload.resp3));
      const runs = entrants.map((c) => ({ c: c.name, run: c.make(mode === 'Buffer'), passes: 1 }));
      if (mode === 'Buffer' && payload.bulks !== undefined) {
        runs.push({ c: COPY_ONLY, run: copyOnly(payload.bulks), passes: 1 });
      }
      const mbps: Record<string, number[]> = {};
      for (const entry of runs) {
        const { c, run } = entry;
        mbps[c] = [];
        // Warm-up, checking on every pass that the decoder sees every reply.
        const warmStart = performance.now();
        do {
          const n = run(input);
          if (n !== payload.replies) throw new Error(`${c} decoded ${n} of ${payload.replies} replies`);
        } while (performance.now() - warmStart < WARM_MS);
        // The pass count from the fastest of three timed passes, once warm.
        let fastest = Infinity;
        for (let i = 0; i < 3; i++) {
          const start = performance.now();
          run(input);
          fastest = Math.min(fastest, performance.now() - start);
        }
        entry.passes = Math.max(1, Math.ceil(MEASURE_MS / Math.max(fastest, 0.01)));
      }
      for (let round = 0; round < ROUNDS; round++) {
        for (let i = 0; i < runs.length; i++) {
          const { c, run, passes } = runs[(i + round) % runs.length]!;
          gc?.();
          const start = performance.now();
          for (let p = 0; p < passes; p++) run(input);
          const seconds = (performance.now() - start) / 1000;
          mbps[c]!.push((payload.stream.length * passes) / 1e6 / seconds);
        }
      }
      rows.push({ payload: payload.name, mode, mbps });
    }
  }
  return rows;
}

export function parserTable(rows: ParserRow[]): string {
  const names = contenders.map((c) => c.name);
  const lines = [
    `decoder alone, 64 KiB chunks, ${ROUNDS} interleaved rounds: MB/s of RESP input, median (min..max),`,
    'ratio = decoder / best peer (redis-parser has no RESP3)',
    '',
    `| payload | mode | ${names.join(' | ')} |`,
    `| --- | --- | ${names.map(() => '---:').join(' | ')} |`,
  ];
  const copies: string[] = [];
  for (const row of rows) {
    const { [COPY_ONLY]: copied, ...decoders } = row.mbps;
    const cells = names.map((n) => ratioCell(decoders, n, 'redspec', 0));
    lines.push(`| ${row.payload} | ${row.mode} | ${cells.join(' | ')} |`);
    if (copied !== undefined) {
      const ratios = names
        .filter((n) => decoders[n] !== undefined)
        .map((n) => `${n} ${(median(decoders[n]!) / median(copied)).toFixed(2)}×`);
      copies.push(
        `${row.payload}, ${row.mode}: the copies alone (no parsing) ${Math.round(median(copied))} MB/s ` +
          `(${Math.round(Math.min(...copied))}..${Math.round(Math.max(...copied))}); each decoder / that: ` +
          ratios.join(', '),
      );
    }
  }
  if (copies.length > 0) lines.push('', ...copies);
  return lines.join('\n') + '\n';
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(parserTable(runParserBench()));
}
