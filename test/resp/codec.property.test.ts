// Property tests: encode→decode of arbitrary commands, random RESP3 value trees (serialized by the
// independent test serializer) decoded from random splits, and random or RESP-shaped garbage that
// must never throw anything but ProtocolError and never loop.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ProtocolError, ReplyError } from '../../src/errors.js';
import { NEED_MORE, RespDecoder } from '../../src/resp/decoder.js';
import { encodeCommand, PASSTHROUGH_MIN } from '../../src/resp/encoder.js';
import { RespPush, type RespArgument, type RespValue } from '../../src/resp/types.js';
import { decodeSplit, plain, serialize } from './serialize.js';

const wellFormed = (s: string) => Buffer.from(s, 'utf8').toString('utf8') === s;
const text = fc.string({ unit: 'binary', maxLength: 40 }).filter(wellFormed);
const line = fc.string({ maxLength: 30 }).filter((s) => !/[\r\n]/.test(s));

/** Sorted cut offsets inside a buffer of `length` bytes. */
const cutsFor = (length: number, seeds: number[]) =>
  [...new Set(seeds.map((s) => (length === 0 ? 0 : s % length)))].sort((a, b) => a - b);

const argument: fc.Arbitrary<RespArgument> = fc.oneof(
  text,
  fc.string({ unit: 'binary', maxLength: 10 }), // lone surrogates encode as U+FFFD on both sides
  fc.uint8Array({ maxLength: 64 }).map((a) => Buffer.from(a)),
  fc.integer({ min: PASSTHROUGH_MIN, max: PASSTHROUGH_MIN + 100 }).map((n) => Buffer.alloc(n, n % 251)),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.bigInt(),
  fc.constantFrom('\r\n', '*1\r\n$4\r\nPING\r\n', '$-1\r\n'),
);

const asBytes = (arg: RespArgument) => (typeof arg === 'object' ? arg : Buffer.from(String(arg), 'utf8'));

describe('codec properties', () => {
  it('decodes every encoded command back to its arguments, however it is split', () => {
    fc.assert(
      fc.property(
        fc.array(argument, { minLength: 1, maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 6 }),
        (args, seeds) => {
          const encoded = Buffer.concat(encodeCommand(args));
          const out = decodeSplit(encoded, cutsFor(encoded.length, seeds), { returnBuffers: true });
          expect(out).toEqual([args.map(asBytes)]);
        },
      ),
      { numRuns: 500 },
    );
  });

  const tree = fc.letrec<{ value: RespValue }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      text,
      fc.constant(null),
      fc.boolean(),
      fc.maxSafeInteger(),
      fc.double(),
      fc.bigInt(),
      line.map((m) => new ReplyError(m)),
      fc.array(tie('value'), { maxLength: 5 }),
      fc.array(fc.tuple(tie('value'), tie('value')), { maxLength: 4 }).map((entries) => new Map(entries)),
    ),
  })).value;

  it('decodes random value trees equal to the original, from random splits', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            tree,
            fc.array(tree, { maxLength: 4 }).map((d) => new RespPush(d)),
          ),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        fc.array(fc.nat(), { maxLength: 10 }),
        (values, seeds) => {
          const input = Buffer.concat(values.map(serialize));
          const out = decodeSplit(input, cutsFor(input.length, seeds));
          expect(out.map(plain)).toEqual(values.map(plain));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('decodes integers as numbers when safe and bigints otherwise', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), (n) => {
        const [value] = decodeSplit(Buffer.from(`:${n}\r\n`), []);
        const safe = n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER);
        expect(value).toBe(safe ? Number(n) : n);
      }),
      { numRuns: 300 },
    );
  });

  /** Feeds `input` in pieces; returns the error thrown, if any. Fails the test on a loop. */
  function survive(input: Uint8Array, seeds: number[]): unknown {
    const decoder = new RespDecoder({ maxDepth: 16, maxBulkLength: 1 << 16, maxAggregateLength: 1 << 16 });
    const cuts = [...cutsFor(input.length, seeds), input.length];
    let from = 0;
    let calls = 0;
    try {
      for (const cut of cuts) {
        decoder.feed(Buffer.from(input.subarray(from, cut)));
        from = cut;
        // Each reply consumes at least one byte, so more calls than bytes would mean a loop.
        while (decoder.next() !== NEED_MORE) {
          if (++calls > input.length + 1) throw new Error('decoder loops');
        }
      }
    } catch (error) {
      return error;
    }
    return undefined;
  }

  it('never throws anything but ProtocolError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat(), { maxLength: 5 }), (bytes, seeds) => {
        const error = survive(bytes, seeds);
        if (error !== undefined) expect(error).toBeInstanceOf(ProtocolError);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws anything but ProtocolError on RESP-shaped garbage', () => {
    const token = fc.oneof(
      fc.constantFrom(
        '+',
        '-',
        ':',
        '$',
        '*',
        '%',
        '~',
        ',',
        '#',
        '(',
        '=',
        '>',
        '|',
        '!',
        ';',
        '.',
        '_',
        '?',
      ),
      fc.constantFrom('\r\n', '\r', '\n', '-1', '0', '1', '2', '3', 'inf', 'nan', 't', 'f', 'txt:', 'e5'),
      fc.integer({ min: -3, max: 99999 }).map(String),
      fc.string({ maxLength: 4 }),
    );
    fc.assert(
      fc.property(
        fc.array(token, { maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 5 }),
        (tokens, seeds) => {
          const error = survive(Buffer.from(tokens.join(''), 'utf8'), seeds);
          if (error !== undefined) expect(error).toBeInstanceOf(ProtocolError);
        },
      ),
      { numRuns: 3000 },
    );
  });
});
