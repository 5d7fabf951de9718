// Encoder: exact bytes, UTF-8 byte lengths, CR/LF that cannot inject a second command, Buffer
// pass-through without copy, and TypeErrors that name the command and position but not the value.
import { describe, expect, it } from 'vitest';
import { NEED_MORE, RespDecoder } from '../../src/resp/decoder.js';
import {
  encodeCommand,
  encodeCommandText,
  PASSTHROUGH_MIN,
  TEXT_ARGUMENT_MAX,
} from '../../src/resp/encoder.js';
import type { RespArgument } from '../../src/resp/types.js';

const bytes = (args: readonly RespArgument[]) => Buffer.concat(encodeCommand(args)).toString('utf8');

function decodeCommands(chunks: Buffer[]) {
  const decoder = new RespDecoder();
  decoder.feed(Buffer.concat(chunks));
  const out = [];
  for (let v = decoder.next(); v !== NEED_MORE; v = decoder.next()) out.push(v);
  return out;
}

describe('encodeCommand', () => {
  it('encodes a command as an array of bulk strings', () => {
    expect(bytes(['SET', 'key', 'value'])).toBe('*3\r\n$3\r\nSET\r\n$3\r\nkey\r\n$5\r\nvalue\r\n');
    expect(encodeCommand(['PING'])).toHaveLength(1);
  });

  it('encodes a long ASCII string once, into a chunk of its own, and a long non-ASCII one exactly', () => {
    const ascii = 'x'.repeat(70_000);
    const chunks = encodeCommand(['SET', 'k', ascii]);
    expect(chunks).toHaveLength(3);
    expect(chunks[1]?.toString('latin1')).toBe(ascii);
    expect(Buffer.concat(chunks).toString()).toBe(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$70000\r\n${ascii}\r\n`);
    // Non-ASCII at the start, in the middle or as the very last character: byte length and bytes
    // must be UTF-8's, never a truncated one-byte encoding.
    for (const text of [`é${ascii}`, `${ascii}€${ascii}`, `${ascii}😀`, `${ascii}ÿ`]) {
      const encoded = Buffer.concat(encodeCommand(['SET', 'k', text]));
      const length = Buffer.byteLength(text);
      expect(encoded.toString()).toBe(`*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$${length}\r\n${text}\r\n`);
    }
    // ASCII held in a two-byte string (sliced from one with a wide character).
    const wide = `€${'y'.repeat(70_000)}`.slice(1);
    expect(decodeCommands(encodeCommand(['SET', 'k', wide, ascii]))).toEqual([['SET', 'k', wide, ascii]]);
  });

  it('encodes numbers and bigints as decimal text', () => {
    expect(bytes(['X', 0, -12, 1.5, -0, 2 ** 53 + 2, 12345678901234567890n])).toBe(
      '*7\r\n$1\r\nX\r\n$1\r\n0\r\n$3\r\n-12\r\n$3\r\n1.5\r\n$1\r\n0\r\n' +
        '$16\r\n9007199254740994\r\n$20\r\n12345678901234567890\r\n',
    );
  });

  it('prefixes strings by their UTF-8 byte length', () => {
    expect(bytes(['ECHO', 'é€😀'])).toBe('*2\r\n$4\r\nECHO\r\n$9\r\né€😀\r\n');
    const long = 'ü'.repeat(1000);
    expect(bytes(['ECHO', long])).toBe(`*2\r\n$4\r\nECHO\r\n$2000\r\n${long}\r\n`);
  });

  it('encodes empty strings and Buffers', () => {
    expect(bytes(['SET', '', Buffer.alloc(0)])).toBe('*3\r\n$3\r\nSET\r\n$0\r\n\r\n$0\r\n\r\n');
  });

  it('keeps CR/LF inside an argument: it cannot start a second command', () => {
    const value = 'v\r\n*1\r\n$8\r\nFLUSHALL\r\n';
    const commands = decodeCommands(encodeCommand(['SET', 'k', value]));
    expect(commands).toEqual([['SET', 'k', value]]);
  });

  it('passes large Buffers through without copying and copies small ones', () => {
    const big = Buffer.alloc(PASSTHROUGH_MIN, 'b');
    const small = Buffer.from('small');
    const chunks = encodeCommand(['SET', big, small, 'tail', big]);
    expect(chunks.filter((c) => c === big)).toHaveLength(2);
    expect(chunks.some((c) => c === small)).toBe(false);
    expect(decodeCommands(chunks)).toEqual([['SET', big.toString(), 'small', 'tail', big.toString()]]);
    small.write('XXXXX');
    expect(decodeCommands(chunks)).toEqual([['SET', big.toString(), 'small', 'tail', big.toString()]]);
  });

  it('coalesces header and small arguments into one chunk', () => {
    const chunks = encodeCommand(['MSET', 'a', Buffer.from('1'), 'b', 2, 'c', 3n]);
    expect(chunks).toHaveLength(1);
  });

  const invalid: Array<[string, unknown, RegExp]> = [
    ['undefined', undefined, /got a value of type undefined/],
    ['null', null, /got null/],
    ['an object', { password: 'hunter2' }, /got a value of type object/],
    ['an array', ['hunter2'], /got a value of type object/],
    ['NaN', NaN, /got NaN/],
    ['Infinity', Infinity, /got a non-finite number/],
    ['-Infinity', -Infinity, /got a non-finite number/],
    ['a boolean', true, /got a value of type boolean/],
    ['a symbol', Symbol('hunter2'), /got a value of type symbol/],
    ['a function', () => 'hunter2', /got a value of type function/],
  ];

  it.each(invalid)(
    'rejects %s with a TypeError naming command and position, not the value',
    (_n, value, what) => {
      const args = ['SET', 'secret-key', value] as RespArgument[];
      expect(() => encodeCommand(args, 'SET')).toThrow(TypeError);
      expect(() => encodeCommand(args, 'SET')).toThrow(/index 2 of command SET/);
      expect(() => encodeCommand(args, 'SET')).toThrow(what);
      try {
        encodeCommand(args, 'SET');
      } catch (error) {
        expect((error as Error).message).not.toMatch(/hunter2|secret-key/);
      }
    },
  );

  it('names args[0] when no command name is given', () => {
    expect(() => encodeCommand(['GET', undefined as unknown as string])).toThrow(/index 1 of command GET/);
  });

  it('rejects a bad argument even after a large Buffer, before producing anything', () => {
    const big = Buffer.alloc(PASSTHROUGH_MIN * 2);
    expect(() => encodeCommand(['SET', big, NaN as number], 'SET')).toThrow(/index 2 of command SET/);
    // The module's scratch state is clean afterwards.
    expect(bytes(['GET', 'k'])).toBe('*2\r\n$3\r\nGET\r\n$1\r\nk\r\n');
  });

  it('rejects an empty command', () => {
    expect(() => encodeCommand([], 'GET')).toThrow(/GET: it has no arguments/);
  });
});

describe('encodeCommandText', () => {
  it('gives the bytes encodeCommand gives, as text', () => {
    const commands: RespArgument[][] = [
      ['PING'],
      ['SET', 'key', 'value'],
      ['SET', '', 'v\r\n*1\r\n$8\r\nFLUSHALL\r\n'],
      ['ECHO', 'é€😀'],
      ['ECHO', 'ü'.repeat(TEXT_ARGUMENT_MAX)],
      ['X', 0, -12, 1.5, -0, 2 ** 53 + 2, 12345678901234567890n],
    ];
    for (const args of commands) {
      const text = encodeCommandText(args);
      expect(text, args.join(' ')).toBeDefined();
      expect(Buffer.from(text as string, 'utf8').equals(Buffer.concat(encodeCommand(args)))).toBe(true);
    }
  });

  it('leaves Buffers, long strings and invalid arguments to encodeCommand', () => {
    expect(encodeCommandText(['SET', 'k', Buffer.from('v')])).toBeUndefined();
    expect(encodeCommandText(['SET', 'k', 'x'.repeat(TEXT_ARGUMENT_MAX + 1)])).toBeUndefined();
    expect(encodeCommandText(['SET', 'k', NaN])).toBeUndefined();
    expect(encodeCommandText(['SET', 'k', null as unknown as string])).toBeUndefined();
    expect(encodeCommandText([])).toBeUndefined();
  });
});
