// Decoder behaviour per RESP2/RESP3 type, each case fed whole, cut at every byte offset and byte by
// byte; the per-reply choices of next() (Buffers, the command of an error) and the error factory;
// attributes; limits; every malformed frame giving a sticky ProtocolError with its byte offset;
// bounded memory for huge declared lengths; deep nesting without recursion.
import { describe, expect, it } from 'vitest';
import {
  MovedError,
  NoScriptError,
  ProtocolError,
  ReplyError,
  replyErrorFrom,
  WrongTypeError,
  type RedisError,
} from '../../src/errors.js';
import { NEED_MORE, RespDecoder, type DecoderOptions } from '../../src/resp/decoder.js';
import { RespPush, type RespMap, type RespValue } from '../../src/resp/types.js';
import { decodeAll, decodeSplit, plain, serialize } from './serialize.js';

const err = (message: string) => new ReplyError(message);

const cases: Array<[name: string, input: string, want: Array<RespValue | RespPush>]> = [
  ['simple string', '+OK\r\n', ['OK']],
  ['empty simple string', '+\r\n', ['']],
  ['simple string with UTF-8', '+héllo €\r\n', ['héllo €']],
  ['error', '-ERR unknown command\r\n', [err('ERR unknown command')]],
  ['integer zero', ':0\r\n', [0]],
  ['negative integer', ':-42\r\n', [-42]],
  ['integer with plus sign', ':+7\r\n', [7]],
  ['largest safe integer', ':9007199254740991\r\n', [9007199254740991]],
  ['smallest safe integer', ':-9007199254740991\r\n', [-9007199254740991]],
  ['integer beyond 2^53', ':9007199254740992\r\n', [9007199254740992n]],
  ['int64 minimum', ':-9223372036854775808\r\n', [-9223372036854775808n]],
  ['16-digit safe integer', ':1000000000000000\r\n', [1000000000000000]],
  ['bulk string', '$5\r\nhello\r\n', ['hello']],
  ['empty bulk string', '$0\r\n\r\n', ['']],
  ['null bulk string', '$-1\r\n', [null]],
  ['bulk string holding CRLF', '$6\r\na\r\nb\r\n\r\n', ['a\r\nb\r\n']],
  ['bulk string with multi-byte UTF-8', '$4\r\n€x\r\n', ['€x']],
  ['empty array', '*0\r\n', [[]]],
  ['null array', '*-1\r\n', [null]],
  ['nested array', '*3\r\n:1\r\n$1\r\na\r\n*2\r\n+x\r\n*0\r\n', [[1, 'a', ['x', []]]]],
  ['null', '_\r\n', [null]],
  [
    'map',
    '%2\r\n+a\r\n:1\r\n$1\r\nb\r\n*1\r\n:2\r\n',
    [
      new Map<RespValue, RespValue>([
        ['a', 1],
        ['b', [2]],
      ]),
    ],
  ],
  ['empty map', '%0\r\n', [new Map()]],
  ['map with __proto__ key', '%1\r\n+__proto__\r\n+x\r\n', [new Map([['__proto__', 'x']])]],
  ['set', '~3\r\n+a\r\n:1\r\n#f\r\n', [['a', 1, false]]],
  ['double', ',1.5\r\n', [1.5]],
  ['double with exponent', ',-2.5e-3\r\n', [-0.0025]],
  ['double with capital exponent', ',1E+2\r\n', [100]],
  ['integral double', ',3\r\n', [3]],
  ['double inf', ',inf\r\n', [Infinity]],
  ['double -inf', ',-inf\r\n', [-Infinity]],
  ['double nan', ',nan\r\n', [NaN]],
  ['boolean true', '#t\r\n', [true]],
  ['boolean false', '#f\r\n', [false]],
  [
    'big number',
    '(3492890328409238509324850943850943825024385\r\n',
    [3492890328409238509324850943850943825024385n],
  ],
  ['negative big number', '(-12\r\n', [-12n]],
  ['verbatim string', '=15\r\ntxt:Some string\r\n', ['Some string']],
  ['empty verbatim string', '=4\r\nmkd:\r\n', ['']],
  ['push', '>3\r\n+message\r\n+ch\r\n$2\r\nhi\r\n', [new RespPush(['message', 'ch', 'hi'])]],
  ['empty push', '>0\r\n', [new RespPush([])]],
  ['blob error', '!21\r\nSYNTAX invalid syntax\r\n', [err('SYNTAX invalid syntax')]],
  ['streamed string', '$?\r\n;4\r\nHell\r\n;5\r\no wor\r\n;1\r\nd\r\n;0\r\n', ['Hello word']],
  ['empty streamed string', '$?\r\n;0\r\n', ['']],
  ['streamed array', '*?\r\n:1\r\n:2\r\n:3\r\n.\r\n', [[1, 2, 3]]],
  ['empty streamed array', '*?\r\n.\r\n', [[]]],
  [
    'streamed map',
    '%?\r\n+a\r\n:1\r\n+b\r\n:2\r\n.\r\n',
    [
      new Map<RespValue, RespValue>([
        ['a', 1],
        ['b', 2],
      ]),
    ],
  ],
  ['streamed set', '~?\r\n+a\r\n.\r\n', [['a']]],
  ['streamed values nested', '*2\r\n*?\r\n$?\r\n;1\r\nx\r\n;0\r\n.\r\n:9\r\n', [[['x'], 9]]],
  ['attribute then value', '|1\r\n+ttl\r\n:3\r\n+v\r\n', ['v']],
  ['attribute inside an array', '*2\r\n|1\r\n+a\r\n:1\r\n:5\r\n:6\r\n', [[5, 6]]],
  ['empty attribute', '|0\r\n:1\r\n', [1]],
  ['several replies', '+a\r\n:1\r\n$1\r\nb\r\n', ['a', 1, 'b']],
];

/** All ways this test cuts an input: whole, at every single offset, and byte by byte. */
function* splits(length: number): Generator<number[]> {
  yield [];
  for (let i = 1; i < length; i++) yield [i];
  yield Array.from({ length: Math.max(0, length - 1) }, (_, i) => i + 1);
}

describe('RespDecoder: every type, split at every offset', () => {
  it.each(cases)('%s', (_name, text, want) => {
    const input = Buffer.from(text, 'utf8');
    for (const cuts of splits(input.length)) {
      expect(decodeSplit(input, cuts).map(plain), `cuts ${cuts.join(',')}`).toEqual(want.map(plain));
    }
  });

  it('decodes all cases back to back, split at every offset', () => {
    const input = Buffer.concat(cases.map(([, text]) => Buffer.from(text, 'utf8')));
    const want = cases.flatMap(([, , w]) => w).map(plain);
    for (const cuts of splits(input.length)) expect(decodeSplit(input, cuts).map(plain)).toEqual(want);
  });

  it('maps error replies to their classes through the errorReply factory', () => {
    const [reply] = decodeAll('-WRONGTYPE Operation against a key holding the wrong kind of value\r\n', {
      errorReply: replyErrorFrom,
    });
    expect(reply).toBeInstanceOf(WrongTypeError);
    expect((reply as RedisError).message).toMatch(/^WRONGTYPE/);
  });

  it('returns numbers for safe integers and bigints beyond', () => {
    const [a, b] = decodeAll(':9007199254740991\r\n:-9007199254740993\r\n');
    expect(typeof a).toBe('number');
    expect(b).toBe(-9007199254740993n);
  });

  it('decodes a large bulk string arriving in many chunks', () => {
    const payload = Buffer.alloc(1 << 20, 'x');
    const input = Buffer.concat([Buffer.from(`$${payload.length}\r\n`), payload, Buffer.from('\r\n+OK\r\n')]);
    const cuts = Array.from({ length: Math.floor(input.length / 1000) }, (_, i) => (i + 1) * 1000);
    const out = decodeSplit(input, cuts);
    expect(out).toHaveLength(2);
    expect((out[0] as string).length).toBe(payload.length);
    expect(out[1]).toBe('OK');
  });

  it('decodes a bulk string of multi-byte characters cut at every offset', () => {
    const text = 'a€b😀c'.repeat(3);
    const input = Buffer.from(`*2\r\n$${Buffer.byteLength(text)}\r\n${text}\r\n+OK\r\n`);
    for (let cut = 1; cut < input.length; cut++) {
      for (let second = cut + 1; second < input.length; second++) {
        expect(decodeSplit(input, [cut, second]), `cuts ${cut}, ${second}`).toEqual([[text, 'OK']]);
      }
    }
  });

  it('decodes long strings, ASCII or not, whole or cut around their multi-byte characters', () => {
    // Long enough for the ASCII check (1 KiB): ASCII parts are copied, the rest decoded as UTF-8.
    const texts = [
      'a'.repeat(3000),
      `${'a'.repeat(1500)}€😀${'b'.repeat(1500)}`,
      `é${'c'.repeat(2000)}`,
      `${'d'.repeat(2000)}😀`,
    ];
    for (const text of texts) {
      const input = Buffer.from(`$${Buffer.byteLength(text)}\r\n${text}\r\n+OK\r\n`);
      expect(decodeSplit(input, [])).toEqual([text, 'OK']);
      const at = input.indexOf(Buffer.from('€😀'));
      const around =
        at === -1 ? [1, 500, 1500, input.length - 8] : [at - 1, at, at + 1, at + 2, at + 4, at + 5];
      for (const cut of [...around, 1024, 2048]) {
        expect(decodeSplit(input, [cut]), `cut ${cut}`).toEqual([text, 'OK']);
        if (cut > 700) {
          expect(decodeSplit(input, [cut - 700, cut]), `cuts ${cut - 700}, ${cut}`).toEqual([text, 'OK']);
        }
      }
    }
  });

  it('decodes strings whether their chunk is all ASCII or not', () => {
    // Strings of aggregates, and top-level ones over 16 bytes, in an all-ASCII chunk are copied as
    // Latin-1; one byte of UTF-8 anywhere in the chunk (before, inside or after the aggregate, or in
    // a later reply) must switch that chunk back to UTF-8 decoding, and the next chunk is checked
    // afresh.
    const ascii = ['a plain ASCII value of 30 chars', 'k', 'exactly sixteen!', 'seventeen chars!!'];
    const wide = ['naïve café, déjà vu, über', 'ü', '€uro sign and more text'];
    const arrays = [ascii, wide, [...ascii, ...wide]];
    const replies = arrays.flatMap((items, i) => [
      items,
      i === 1 ? 'a top-level bulk string, très bien' : 'a top-level bulk string between them',
    ]);
    const input = Buffer.concat(replies.map((r) => serialize(r)));
    const step = 7;
    const cuts = Array.from({ length: Math.floor(input.length / step) }, (_, i) => (i + 1) * step);
    for (const split of [[], ...Array.from({ length: input.length - 1 }, (_, i) => [i + 1]), cuts]) {
      expect(decodeSplit(input, split), `cuts ${split.slice(0, 3).join(',')}`).toEqual(replies);
      const objects = decodeSplit(input, split, { asObject: true });
      expect(objects[2]).toEqual({ 'naïve café, déjà vu, über': 'ü' });
    }
  });

  it('decodes a long simple string spread over many small chunks in linear time', () => {
    const input = Buffer.from(`+${'y'.repeat(200_000)}\r\n`);
    const cuts = Array.from({ length: Math.floor(input.length / 10) }, (_, i) => (i + 1) * 10);
    const started = performance.now();
    expect(decodeSplit(input, cuts)).toEqual(['y'.repeat(200_000)]);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

/** Decoded with asObject, as the reply normaliser would shape it (an object of strings). */
const objectCases: Array<[name: string, input: string, want: Array<RespValue | RespPush>]> = [
  ['RESP3 map', '%2\r\n$1\r\na\r\n$2\r\nxy\r\n+b\r\n:3\r\n', [{ a: 'xy', b: 3 }]],
  ['RESP2 flat pairs', '*4\r\n$1\r\na\r\n$2\r\nxy\r\n$1\r\nb\r\n$0\r\n\r\n', [{ a: 'xy', b: '' }]],
  ['odd RESP2 array (the last key has no value)', '*3\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nz\r\n', [{ a: '1' }]],
  ['empty map', '%0\r\n', [{}]],
  ['empty array', '*0\r\n', [{}]],
  ['null array', '*-1\r\n', [null]],
  ['null', '_\r\n', [null]],
  ['integer keys become text', '%1\r\n:7\r\n$1\r\nv\r\n', [{ '7': 'v' }]],
  [
    'nested values stay as decoded',
    '%1\r\n$1\r\nk\r\n*1\r\n%1\r\n+x\r\n+y\r\n',
    [{ k: [new Map([['x', 'y']])] }],
  ],
  [
    'a list of pairs stays an array',
    '*2\r\n*2\r\n+a\r\n+1\r\n*2\r\n+b\r\n+2\r\n',
    [
      [
        ['a', '1'],
        ['b', '2'],
      ],
    ],
  ],
  ['streamed map', '%?\r\n+a\r\n:1\r\n.\r\n', [{ a: 1 }]],
  ['a set is no map', '~1\r\n+a\r\n', [['a']]],
  ['push frames stay pushes', '>2\r\n+message\r\n+x\r\n', [new RespPush(['message', 'x'])]],
  ['scalars', '+OK\r\n$1\r\nv\r\n', ['OK', 'v']],
];

describe('RespDecoder: map replies straight to objects (asObject)', () => {
  it.each(objectCases)('%s, split at every offset', (_name, text, want) => {
    const input = Buffer.from(text, 'utf8');
    for (const cuts of splits(input.length)) {
      const got = decodeSplit(input, cuts, { asObject: true });
      expect(got.map(plain), `cuts ${cuts.join(',')}`).toEqual(want.map(plain));
      // Objects are plain ones, never Maps or null-prototype objects.
      for (const [i, value] of got.entries()) {
        if (value === null || typeof value !== 'object' || Array.isArray(value)) continue;
        if (value instanceof Map || value instanceof RespPush) continue;
        expect(Object.getPrototypeOf(value), `reply ${i}`).toBe(Object.prototype);
      }
    }
  });

  it('keeps a __proto__ key an own property', () => {
    const [out] = decodeAll('%2\r\n$9\r\n__proto__\r\n$1\r\nx\r\n+constructor\r\n+y\r\n', {
      asObject: true,
    });
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe('x');
    expect(Object.keys(out as object)).toEqual(['__proto__', 'constructor']);
  });

  it('gives text keys and Buffer values in Buffer mode', () => {
    const input = Buffer.from('*2\r\n$1\r\nk\r\n$2\r\n\xff\x01\r\n', 'latin1');
    for (const cuts of splits(input.length)) {
      expect(decodeSplit(input, cuts, { asObject: true, returnBuffers: true })).toEqual([
        { k: Buffer.from([0xff, 0x01]) },
      ]);
    }
  });

  it('applies only to the reply whose first line the asObject call read', () => {
    const decoder = new RespDecoder();
    decoder.feed(Buffer.from('%1\r\n+a\r\n'));
    expect(decoder.next(false, undefined, true)).toBe(NEED_MORE);
    decoder.feed(Buffer.from(':1\r\n%1\r\n+b\r\n:2\r\n'));
    expect(decoder.next(false, undefined, false)).toEqual({ a: 1 });
    expect(decoder.next(false, undefined, false)).toEqual(new Map([['b', 2]]));
  });
});

describe('RespDecoder: per-reply choices and attributes', () => {
  it('returns bulk, simple and verbatim strings as Buffers on request', () => {
    const out = decodeAll('$4\r\nab\xff\r\n+OK\r\n=7\r\ntxt:abc\r\n-ERR x\r\n%1\r\n+k\r\n:1\r\n', {
      returnBuffers: true,
    });
    expect(out.map(plain)).toEqual([
      { buffer: Buffer.from('ab\xff', 'utf8').toString('hex') },
      { buffer: '4f4b' },
      { buffer: '616263' },
      plain(err('ERR x')),
      { map: [[{ buffer: '6b' }, 1]] },
    ]);
  });

  it('chooses Buffers or strings per next() call', () => {
    const decoder = new RespDecoder();
    decoder.feed(Buffer.from('$1\r\na\r\n$1\r\nb\r\n+c\r\n'));
    expect(decoder.next(true)).toEqual(Buffer.from('a'));
    expect(decoder.next(false)).toBe('b');
    expect(decoder.next()).toBe('c');
    expect(decoder.next(true)).toBe(NEED_MORE);
  });

  it("the call that reads a reply's first line decides its strings, whatever later calls pass", () => {
    const input = Buffer.from('*2\r\n$1\r\na\r\n$1\r\nb\r\n');
    const firstLine = '*2\r\n'.length;
    for (const first of [true, false]) {
      for (let cut = 1; cut < input.length; cut++) {
        const decoder = new RespDecoder();
        decoder.feed(input.subarray(0, cut));
        expect(decoder.next(first)).toBe(NEED_MORE);
        decoder.feed(input.subarray(cut));
        const buffers = cut >= firstLine ? first : !first;
        const want = buffers ? [Buffer.from('a'), Buffer.from('b')] : ['a', 'b'];
        expect(decoder.next(!first), `first ${first}, cut ${cut}`).toEqual(want);
        expect(decoder.next(first)).toBe(NEED_MORE);
      }
    }
  });

  it('returns a Buffer that lies in one fed chunk as a slice of it, not a copy', () => {
    const chunk = Buffer.from('$3\r\nabc\r\n+OK\r\n');
    const decoder = new RespDecoder();
    decoder.feed(chunk);
    const bulk = decoder.next(true) as Buffer;
    const simple = decoder.next(true) as Buffer;
    expect(bulk.buffer).toBe(chunk.buffer);
    expect(bulk.byteOffset).toBe(chunk.byteOffset + 4);
    expect(simple.buffer).toBe(chunk.buffer);
    expect([bulk.toString(), simple.toString()]).toEqual(['abc', 'OK']);
  });

  it('copies a Buffer that straddles chunks once, into a Buffer of its own', () => {
    const decoder = new RespDecoder();
    const first = Buffer.from('$6\r\nabc');
    decoder.feed(first);
    expect(decoder.next(true)).toBe(NEED_MORE);
    decoder.feed(Buffer.from('def\r\n'));
    const value = decoder.next(true) as Buffer;
    first.fill(0);
    expect(value.toString()).toBe('abcdef');
  });

  it('copies a large Buffer into its destination as its chunks arrive, whatever the cuts', () => {
    // 100 KiB: over the size from which a Buffer-mode bulk is filled chunk by chunk.
    const payload = Buffer.alloc(100 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7) & 0xff;
    const head = `*2\r\n$${payload.length}\r\n`;
    const input = Buffer.concat([Buffer.from(head), payload, Buffer.from('\r\n+OK\r\n')]);
    const end = head.length + payload.length;
    // Cuts in the header, early (before enough has arrived to allocate), in the payload, around
    // its end and inside its CRLF.
    const cutSets = [
      [1000, 2000, 3000, 4000, 60_000, end - 1, end, end + 1, end + 2],
      Array.from({ length: 102 }, (_, i) => 8 + i * 1003),
      [head.length, end],
      [end + 1],
    ];
    for (const cuts of cutSets) {
      const decoder = new RespDecoder();
      const chunks: Buffer[] = [];
      let from = 0;
      const out: unknown[] = [];
      for (const cut of [...cuts, input.length]) {
        const chunk = Buffer.from(input.subarray(from, cut));
        chunks.push(chunk);
        decoder.feed(chunk);
        from = cut;
        for (let v = decoder.next(true); v !== NEED_MORE; v = decoder.next(true)) out.push(v);
      }
      expect(out, `cuts ${cuts.join(',')}`).toHaveLength(1);
      const [bulk, ok] = out[0] as Buffer[];
      expect(ok!.toString()).toBe('OK');
      // The bulk is a copy of its own (it straddles chunks), so clearing them leaves it whole.
      for (const chunk of chunks) chunk.fill(0);
      expect(bulk!.equals(payload), `cuts ${cuts.join(',')}`).toBe(true);
      expect(decoder.bufferedBytes).toBe(0);
    }
  });

  it('counts the copied part of an unfinished large Buffer as buffered', () => {
    const decoder = new RespDecoder();
    decoder.feed(Buffer.from(`$${200 * 1024}\r\n`));
    decoder.feed(Buffer.alloc(100 * 1024, 1));
    expect(decoder.next(true)).toBe(NEED_MORE);
    expect(decoder.bufferedBytes).toBe(100 * 1024);
    decoder.feed(Buffer.alloc(100 * 1024, 2));
    expect(decoder.next(true)).toBe(NEED_MORE);
    expect(decoder.bufferedBytes).toBe(200 * 1024);
    decoder.feed(Buffer.from('\r'));
    expect(decoder.next(true)).toBe(NEED_MORE);
    decoder.feed(Buffer.from('\n'));
    const value = decoder.next(true) as Buffer;
    expect(value.length).toBe(200 * 1024);
    expect([value[0], value[100 * 1024]]).toEqual([1, 2]);
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('rejects a large Buffer without its CRLF, at the offset where it should be', () => {
    const decoder = new RespDecoder();
    const head = `$${100 * 1024}\r\n`;
    decoder.feed(Buffer.from(head));
    decoder.feed(Buffer.alloc(100 * 1024, 1));
    expect(decoder.next(true)).toBe(NEED_MORE);
    decoder.feed(Buffer.from('xy'));
    expect(() => decoder.next(true)).toThrow(
      new RegExp(`missing CRLF after bulk string payload at byte offset ${head.length + 100 * 1024}$`),
    );
  });

  it('offers the rest of a large Buffer bulk as the target of the next read, and counts what lands there', () => {
    const n = 200 * 1024;
    const payload = Buffer.alloc(n);
    for (let i = 0; i < n; i++) payload[i] = (i * 7) % 251;
    const head = Buffer.from(`$${n}\r\n`);
    const decoder = new RespDecoder();
    // Nothing to fill yet: no target.
    expect(decoder.directTarget(1)).toBeUndefined();
    decoder.feed(Buffer.concat([head, payload.subarray(0, 10_000)]));
    expect(decoder.next(true)).toBe(NEED_MORE);
    const target = decoder.directTarget(16 * 1024) as Buffer;
    expect(target.length).toBe(n - 10_000);
    // Less left than asked for: no target.
    expect(decoder.directTarget(n)).toBeUndefined();
    // Two reads straight into it, as a socket would do them.
    payload.copy(target, 0, 10_000, 150_000);
    decoder.filledDirectly(140_000);
    const rest = decoder.directTarget(1) as Buffer;
    expect(rest.length).toBe(n - 150_000);
    payload.copy(rest, 0, 150_000);
    decoder.filledDirectly(n - 150_000);
    expect(decoder.directTarget(1)).toBeUndefined();
    expect(decoder.next(true)).toBe(NEED_MORE);
    decoder.feed(Buffer.from('\r\n+OK\r\n'));
    const value = decoder.next(true) as Buffer;
    expect(value.equals(payload)).toBe(true);
    expect(decoder.next()).toBe('OK');
    expect(decoder.bufferedBytes).toBe(0);
  });

  it('gives no read target while bytes fed before it wait, and keeps error offsets after direct reads', () => {
    const n = 100 * 1024;
    const head = `$${n}\r\n`;
    const decoder = new RespDecoder();
    decoder.feed(Buffer.concat([Buffer.from(head), Buffer.alloc(5000, 1)]));
    expect(decoder.next(true)).toBe(NEED_MORE);
    // A chunk fed but not yet consumed comes first: the next read may not overtake it.
    decoder.feed(Buffer.alloc(3000, 1));
    expect(decoder.directTarget(1)).toBeUndefined();
    expect(decoder.next(true)).toBe(NEED_MORE);
    const target = decoder.directTarget(1) as Buffer;
    target.fill(1);
    decoder.filledDirectly(target.length);
    decoder.feed(Buffer.from('xy'));
    expect(() => decoder.next(true)).toThrow(
      new RegExp(`missing CRLF after bulk string payload at byte offset ${head.length + n}$`),
    );
  });

  it('gives no read target in string mode or for a small bulk', () => {
    const decoder = new RespDecoder();
    decoder.feed(Buffer.concat([Buffer.from(`$${100 * 1024}\r\n`), Buffer.alloc(10_000, 97)]));
    expect(decoder.next(false)).toBe(NEED_MORE);
    expect(decoder.directTarget(1)).toBeUndefined();
    const small = new RespDecoder();
    small.feed(Buffer.from('$1000\r\nabc'));
    expect(small.next(true)).toBe(NEED_MORE);
    expect(small.directTarget(1)).toBeUndefined();
  });

  it('says whether it holds a chunk: bytes not consumed, or Buffer values sliced from it', () => {
    const decoder = new RespDecoder();
    const text = Buffer.from('$3\r\nabc\r\n+OK\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n');
    decoder.feed(text);
    while (decoder.next() !== NEED_MORE);
    expect(decoder.holds(text)).toBe(false);
    for (const [input, count] of [
      ['$3\r\nabc\r\n', 1],
      ['+OK\r\n', 1],
      ['*2\r\n$1\r\na\r\n$1\r\nb\r\n', 1],
      ['%1\r\n$1\r\na\r\n$1\r\nb\r\n', 1],
      ['=7\r\ntxt:abc\r\n', 1],
    ] as const) {
      const chunk = Buffer.from(input);
      decoder.feed(chunk);
      for (let i = 0; i < count; i++)
        expect(decoder.next(true, undefined, input[0] === '%')).not.toBe(NEED_MORE);
      expect(decoder.holds(chunk), input).toBe(true);
      // Reported once: the caller keeps the chunk from then on.
      expect(decoder.holds(chunk), input).toBe(false);
    }
    const partial = Buffer.from('+OK\r\n$5\r\nab');
    decoder.feed(partial);
    expect(decoder.next()).toBe('OK');
    expect(decoder.next()).toBe(NEED_MORE);
    expect(decoder.holds(partial)).toBe(true);
    const rest = Buffer.from('cde\r\n');
    decoder.feed(rest);
    expect(decoder.holds(rest)).toBe(true);
    expect(decoder.next()).toBe('abcde');
    expect(decoder.holds(rest)).toBe(false);
    // A large Buffer is copied out of each chunk as it arrives: none is held.
    const head = Buffer.concat([Buffer.from(`$${100 * 1024}\r\n`), Buffer.alloc(60 * 1024, 1)]);
    decoder.feed(head);
    expect(decoder.next(true)).toBe(NEED_MORE);
    expect(decoder.holds(head)).toBe(false);
    const tail = Buffer.concat([Buffer.alloc(40 * 1024, 2), Buffer.from('\r\n')]);
    decoder.feed(tail);
    expect((decoder.next(true) as Buffer).length).toBe(100 * 1024);
    expect(decoder.holds(tail)).toBe(false);
  });

  it('delivers attributes to onAttribute before the value they annotate', () => {
    const seen: Array<RespMap | RespValue> = [];
    const decoder = new RespDecoder({ onAttribute: (attrs) => seen.push(attrs) });
    decoder.feed(
      Buffer.from('|1\r\n+key-popularity\r\n%1\r\n$1\r\na\r\n,0.1923\r\n*2\r\n:2039123\r\n:9543892\r\n'),
    );
    const value = decoder.next();
    seen.push(value as RespValue);
    expect(seen.map((v) => plain(v as RespValue))).toEqual([
      plain(new Map([['key-popularity', new Map([['a', 0.1923]])]])),
      [2039123, 9543892],
    ]);
  });

  it('reports bufferedBytes and returns NEED_MORE when empty', () => {
    const decoder = new RespDecoder();
    expect(decoder.next()).toBe(NEED_MORE);
    decoder.feed(Buffer.from('+OK\r\n:1'));
    expect(decoder.next()).toBe('OK');
    expect(decoder.next()).toBe(NEED_MORE);
    expect(decoder.bufferedBytes).toBe(2);
    decoder.feed(Buffer.from('\r\n'));
    expect(decoder.next()).toBe(1);
    expect(decoder.bufferedBytes).toBe(0);
  });
});

describe('RespDecoder: error replies', () => {
  const topLevel: Array<[name: string, input: string, Class: typeof ReplyError, message: string]> = [
    [
      'simple error',
      '-WRONGTYPE Operation against a key\r\n',
      WrongTypeError,
      'WRONGTYPE Operation against a key',
    ],
    ['blob error', '!17\r\nMOVED 3999 h:6381\r\n', MovedError, 'MOVED 3999 h:6381'],
    ['error after an attribute', '|1\r\n+a\r\n:1\r\n-NOSCRIPT x\r\n', NoScriptError, 'NOSCRIPT x'],
    ['error of no known class', '-ERR unknown\r\n', ReplyError, 'ERR unknown'],
  ];

  it.each(topLevel)(
    'a top-level %s is made by the factory with the command of next()',
    (_n, text, Class, message) => {
      const input = Buffer.from(text);
      for (const cuts of splits(input.length)) {
        const calls: Array<[string, string | undefined]> = [];
        const errorReply = (m: string, command: string | undefined) => {
          calls.push([m, command]);
          return replyErrorFrom(m, command);
        };
        const [reply, ...rest] = decodeSplit(input, cuts, { errorReply, command: 'EVALSHA' });
        expect(rest, `cuts ${cuts.join(',')}`).toEqual([]);
        expect(reply).toBeInstanceOf(Class);
        expect((reply as ReplyError).constructor).toBe(Class);
        expect(reply).toMatchObject({ message, command: 'EVALSHA' });
        expect(calls).toEqual([[message, 'EVALSHA']]);
      }
    },
  );

  it('errors nested in aggregates are made with no command', () => {
    const input = Buffer.from(
      '*3\r\n+OK\r\n-WRONGTYPE x\r\n!9\r\nERR inner\r\n' + // an EXEC reply
        '*2\r\n*1\r\n-ERR deep\r\n:1\r\n' + // a Lua table
        '%1\r\n+k\r\n-ERR v\r\n' +
        '>2\r\n+x\r\n-ERR y\r\n' +
        '*1\r\n|1\r\n+a\r\n-ERR in attribute\r\n:5\r\n',
    );
    for (const cuts of splits(input.length)) {
      const calls: Array<[string, string | undefined]> = [];
      const errorReply = (m: string, command: string | undefined) => {
        calls.push([m, command]);
        return replyErrorFrom(m, command);
      };
      const [exec, lua, map, push, annotated] = decodeSplit(input, cuts, { errorReply, command: 'EXEC' });
      expect(calls.map(([, command]) => command)).toEqual(new Array(6).fill(undefined));
      const [ok, wrongType, inner] = exec as RespValue[];
      expect(ok).toBe('OK');
      expect(wrongType).toBeInstanceOf(WrongTypeError);
      expect(wrongType).toMatchObject({ message: 'WRONGTYPE x', command: undefined });
      expect(inner).toMatchObject({ message: 'ERR inner', command: undefined });
      expect(((lua as RespValue[])[0] as RespValue[])[0]).toMatchObject({
        message: 'ERR deep',
        command: undefined,
      });
      expect((map as RespMap).get('k')).toMatchObject({ message: 'ERR v', command: undefined });
      expect((push as RespPush).data[1]).toMatchObject({ message: 'ERR y', command: undefined });
      expect(annotated).toEqual([5]);
    }
  });

  it('by default makes a plain ReplyError, with the command', () => {
    const [reply] = decodeAll('-WRONGTYPE x\r\n', { command: 'LPUSH' });
    expect((reply as ReplyError).constructor).toBe(ReplyError);
    expect(reply).toMatchObject({ code: 'WRONGTYPE', message: 'WRONGTYPE x', command: 'LPUSH' });
    expect(decodeAll('-ERR x\r\n')[0]).toMatchObject({ command: undefined });
  });

  it("the call that reads a reply's first line names its error, whatever later calls pass", () => {
    for (const text of ['!9\r\nERR split\r\n', '|1\r\n+a\r\n:1\r\n-ERR split\r\n']) {
      const input = Buffer.from(text);
      const firstLine = text.indexOf('\n') + 1;
      for (let cut = 1; cut < input.length; cut++) {
        const decoder = new RespDecoder();
        decoder.feed(input.subarray(0, cut));
        expect(decoder.next(false, 'FIRST')).toBe(NEED_MORE);
        decoder.feed(input.subarray(cut));
        expect(decoder.next(false, 'LATER'), `${JSON.stringify(text)} cut ${cut}`).toMatchObject({
          message: 'ERR split',
          command: cut >= firstLine ? 'FIRST' : 'LATER',
        });
      }
    }
  });

  it('a reply after an error reply gets the command of its own next() call', () => {
    const decoder = new RespDecoder();
    decoder.feed(Buffer.from('-ERR a\r\n-ERR b\r\n-ERR c\r\n'));
    expect(decoder.next(false, 'A')).toMatchObject({ command: 'A' });
    expect(decoder.next(false)).toMatchObject({ command: undefined });
    expect(decoder.next(true, 'C')).toMatchObject({ message: 'ERR c', command: 'C' });
  });
});

const malformed: Array<[name: string, input: string, message: RegExp, options?: DecoderOptions]> = [
  ['unknown type byte', '?abc\r\n', /invalid type byte 0x3f at byte offset 0/],
  ['unknown type byte before any CRLF', 'Xyz', /invalid type byte 0x58 at byte offset 0/],
  ['offset of the bad reply', '+OK\r\n:1x\r\n', /malformed integer at byte offset 5/],
  ['empty integer', ':\r\n', /malformed integer/],
  ['integer with sign only', ':-\r\n', /malformed integer/],
  ['LF without CR', '+OK\n', /LF without CR at byte offset 3/],
  ['bare CRLF', '\r\n', /invalid type byte 0x0d/],
  ['bare LF', '\n', /invalid type byte 0x0a/],
  ['malformed bulk length', '$abc\r\n', /malformed bulk string length/],
  ['bulk length below -1', '$-2\r\n', /malformed bulk string length/],
  ['bulk payload without CRLF', '$5\r\nhelloXY', /missing CRLF after bulk string payload at byte offset 9/],
  ['bulk payload longer than declared', '$2\r\nabc\r\n', /missing CRLF/],
  ['malformed array length', '*1x\r\n', /malformed array length/],
  ['null map', '%-1\r\n', /null map/],
  ['null set', '~-1\r\n', /null set/],
  ['null verbatim', '=-1\r\n', /null verbatim/],
  ['null blob error', '!-1\r\n', /null blob error/],
  ['malformed null', '_x\r\n', /malformed null/],
  ['malformed boolean', '#x\r\n', /malformed boolean/],
  ['two-letter boolean', '#tt\r\n', /malformed boolean/],
  ['malformed double', ',abc\r\n', /malformed double/],
  ['double with two points', ',1.2.3\r\n', /malformed double/],
  ['hex double', ',0x10\r\n', /malformed double/],
  ['empty double', ',\r\n', /malformed double/],
  ['malformed big number', '(12a\r\n', /malformed big number/],
  ['verbatim shorter than its format', '=3\r\nabc\r\n', /verbatim string without format prefix/],
  ['verbatim without colon', '=6\r\ntxtXab\r\n', /verbatim string without format prefix/],
  ['push inside an array', '*1\r\n>1\r\n:1\r\n', /push frame inside an aggregate at byte offset 4/],
  ['streamed push', '>?\r\n', /streamed push is not allowed/],
  ['streamed attribute', '|?\r\n', /streamed attribute is not allowed/],
  ['chunk outside a streamed string', ';3\r\nabc\r\n', /chunk outside a streamed string/],
  ['other type inside a streamed string', '$?\r\n:1\r\n', /expected a streamed string chunk/],
  ['end marker outside a streamed aggregate', '.\r\n', /end marker outside a streamed aggregate/],
  ['end marker in a sized array', '*2\r\n:1\r\n.\r\n', /end marker outside a streamed aggregate/],
  ['end marker after a map key', '%?\r\n+a\r\n.\r\n', /end marker after a map key/],
  ['malformed end marker', '*?\r\n.x\r\n', /malformed end marker/],
  ['bulk header without CRLF', `$${'9'.repeat(100)}`, /line too long/],
  ['bulk header too long', `$${'1'.repeat(100)}\r\n`, /line too long/],
  [
    'bulk beyond maxBulkLength',
    '$2147483647\r\n',
    /bulk string length 2147483647 exceeds maxBulkLength 536870912/,
  ],
  ['bulk beyond a configured limit', '$11\r\n', /exceeds maxBulkLength 10/, { maxBulkLength: 10 }],
  ['verbatim beyond maxBulkLength', '=11\r\n', /exceeds maxBulkLength 10/, { maxBulkLength: 10 }],
  [
    'streamed string beyond maxBulkLength',
    '$?\r\n;6\r\nabcdef\r\n;6\r\n',
    /streamed string longer than maxBulkLength 10/,
    { maxBulkLength: 10 },
  ],
  [
    'array beyond maxAggregateLength',
    '*11\r\n',
    /array length 11 exceeds maxAggregateLength 10/,
    { maxAggregateLength: 10 },
  ],
  [
    'map beyond maxAggregateLength',
    '%6\r\n',
    /map length 6 exceeds maxAggregateLength 5/,
    { maxAggregateLength: 5 },
  ],
  [
    'streamed array beyond maxAggregateLength',
    `*?\r\n${':1\r\n'.repeat(3)}`,
    /streamed array longer than maxAggregateLength 2/,
    { maxAggregateLength: 2 },
  ],
  ['array beyond 2^32-1', '*4294967296\r\n', /exceeds maxAggregateLength 4294967295/],
  [
    'nesting beyond maxDepth',
    '*1\r\n*1\r\n*1\r\n*1\r\n:1\r\n',
    /nested deeper than maxDepth 3 at byte offset 12/,
    { maxDepth: 3 },
  ],
  ['attribute counts toward maxDepth', '*1\r\n|1\r\n', /nested deeper than maxDepth 1/, { maxDepth: 1 }],
  ['simple string beyond maxLineLength', `+${'a'.repeat(20)}\r\n`, /line too long/, { maxLineLength: 10 }],
  [
    'simple string beyond maxLineLength, no CRLF yet',
    `+${'a'.repeat(20)}`,
    /line too long/,
    { maxLineLength: 10 },
  ],
];

describe('RespDecoder: malformed input', () => {
  it.each(malformed)('%s', (_name, text, message, options) => {
    const input = Buffer.from(text, 'utf8');
    for (const cuts of splits(input.length)) {
      const decoder = new RespDecoder(options);
      let thrown: unknown;
      let from = 0;
      try {
        for (const cut of [...cuts, input.length]) {
          decoder.feed(input.subarray(from, cut));
          from = cut;
          while (decoder.next() !== NEED_MORE);
        }
      } catch (error) {
        thrown = error;
      }
      expect(thrown, `cuts ${cuts.join(',')}`).toBeInstanceOf(ProtocolError);
      expect((thrown as Error).message).toMatch(message);
      // Sticky: every later call throws the very same error, whatever arrives.
      expect(() => decoder.next()).toThrow(thrown as Error);
      expect(() => decoder.feed(Buffer.from('+OK\r\n'))).toThrow(thrown as Error);
      expect(() => decoder.next()).toThrow(thrown as Error);
    }
  });

  it('accepts nesting exactly at maxDepth', () => {
    expect(decodeAll('*1\r\n*1\r\n*1\r\n:1\r\n', { maxDepth: 3 })).toEqual([[[[1]]]]);
  });

  it('rejects 100,000-deep nesting by maxDepth, without stack overflow', () => {
    const decoder = new RespDecoder();
    decoder.feed(Buffer.from('*1\r\n'.repeat(100_000)));
    expect(() => decoder.next()).toThrow(/nested deeper than maxDepth 128/);
  });

  it('decodes 100,000-deep nesting when allowed, without recursion', () => {
    const depth = 100_000;
    const decoder = new RespDecoder({ maxDepth: depth });
    decoder.feed(Buffer.from('*1\r\n'.repeat(depth) + ':7\r\n'));
    let value = decoder.next();
    for (let i = 0; i < depth; i++) value = (value as RespValue[])[0] as RespValue;
    expect(value).toBe(7);
  });

  it('rejects invalid limits', () => {
    expect(() => new RespDecoder({ maxDepth: -1 })).toThrow(RangeError);
    expect(() => new RespDecoder({ maxBulkLength: 1.5 })).toThrow(RangeError);
  });
});

describe('RespDecoder: memory under huge declared lengths', () => {
  // Growth of Buffer memory plus the JS heap (where a pre-sized array would live).
  function growth(run: () => void): number {
    const before = process.memoryUsage();
    run();
    const after = process.memoryUsage();
    return after.arrayBuffers - before.arrayBuffers + Math.max(0, after.heapUsed - before.heapUsed);
  }

  it('does not allocate a bulk string of the declared length up front', () => {
    const decoder = new RespDecoder({ maxBulkLength: 2 ** 31 });
    const grew = growth(() => {
      decoder.feed(Buffer.from('$2147483647\r\nsome bytes'));
      expect(decoder.next()).toBe(NEED_MORE);
      decoder.feed(Buffer.alloc(4096, 1));
      expect(decoder.next()).toBe(NEED_MORE);
    });
    expect(grew).toBeLessThan(1 << 20);
    expect(decoder.bufferedBytes).toBe(4096 + 10);
  });

  it('does not allocate a Buffer-mode bulk string of the declared length up front', () => {
    const decoder = new RespDecoder({ maxBulkLength: 2 ** 31 });
    const grew = growth(() => {
      decoder.feed(Buffer.from('$2147483647\r\nsome bytes'));
      expect(decoder.next(true)).toBe(NEED_MORE);
      decoder.feed(Buffer.alloc(4096, 1));
      expect(decoder.next(true)).toBe(NEED_MORE);
    });
    expect(grew).toBeLessThan(1 << 20);
    expect(decoder.bufferedBytes).toBe(4096 + 10);
  });

  it('does not pre-size aggregates from the declared length', () => {
    for (const header of ['*4294967295\r\n', '%4294967295\r\n', '~4294967295\r\n']) {
      const decoder = new RespDecoder();
      const grew = growth(() => {
        decoder.feed(Buffer.from(header + ':1\r\n'.repeat(100)));
        expect(decoder.next()).toBe(NEED_MORE);
      });
      expect(grew).toBeLessThan(16 << 20);
    }
  });
});
