// The Buffer views the decoder returns in Buffer mode: a Buffer to every check, method and
// serialiser a caller may use, sharing the chunk's memory; and still fast when the module is loaded
// through a build step that renames classes (esbuild's keepNames, as tsx applies it), which once
// left every compilation of the code building views aborted.
import { inspect } from 'node:util';
import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { viewIn, viewOf } from '../../src/resp/buffer-view.js';
import { NEED_MORE, RespDecoder } from '../../src/resp/decoder.js';
import { runProbe } from '../helpers/probe.js';

describe('viewOf', () => {
  const chunk = Buffer.from('xxhello worldyy');
  const view = viewOf(chunk, 2, 13);

  it('is a Buffer to Buffer.isBuffer, instanceof and its constructor', () => {
    expect(Buffer.isBuffer(view)).toBe(true);
    expect(view).toBeInstanceOf(Buffer);
    expect(view).toBeInstanceOf(Uint8Array);
    expect(view.constructor).toBe(Buffer);
    expect(Object.prototype.toString.call(view)).toBe('[object Uint8Array]');
  });

  it('has the bytes of the range and shares the chunk memory', () => {
    expect(view.length).toBe(11);
    expect(view.toString()).toBe('hello world');
    expect(view.toString('hex')).toBe(Buffer.from('hello world').toString('hex'));
    expect(view.equals(Buffer.from('hello world'))).toBe(true);
    const copy = Buffer.from(chunk);
    const shared = viewOf(copy, 2, 7);
    copy[2] = 0x48;
    expect(shared.toString()).toBe('Hello');
  });

  it('works with a pooled chunk, whose memory starts at a byteOffset', () => {
    const pooled = Buffer.from('pooled value');
    expect(pooled.byteOffset).toBeGreaterThanOrEqual(0);
    expect(viewOf(pooled, 7, 12).toString()).toBe('value');
    expect(viewIn(pooled.buffer as ArrayBuffer, pooled.byteOffset + 7, 5).toString()).toBe('value');
    expect(viewOf(pooled, 3, 3).length).toBe(0);
  });

  it('passes vitest equality, strict included, as the same bytes in a plain Buffer', () => {
    expect(view).toEqual(Buffer.from('hello world'));
    expect(view).toStrictEqual(Buffer.from('hello world'));
    expect({ v: view }).toStrictEqual({ v: Buffer.from('hello world') });
  });

  it('inspects, serialises and clones as a Buffer', () => {
    expect(inspect(view)).toBe(inspect(Buffer.from('hello world')));
    expect(JSON.stringify(view)).toBe(JSON.stringify(Buffer.from('hello world')));
    const back = deserialize(serialize(view)) as Buffer;
    expect(Buffer.isBuffer(back)).toBe(true);
    expect(back.toString()).toBe('hello world');
    expect(Buffer.from(structuredClone(view)).toString()).toBe('hello world');
  });

  it('makes Buffers of its own slices, subarrays and concatenations', () => {
    for (const part of [view.slice(0, 5), view.subarray(6), Buffer.concat([view, view])]) {
      expect(Buffer.isBuffer(part)).toBe(true);
      expect(part.constructor).toBe(Buffer);
    }
    expect(view.subarray(6).toString()).toBe('world');
    expect(Buffer.compare(view, Buffer.from('hello world'))).toBe(0);
  });

  it('is what the decoder returns for Buffer-mode bulk and simple strings', () => {
    const d = new RespDecoder();
    d.feed(Buffer.from('$5\r\nhello\r\n+OK\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n'));
    const values = [d.next(true), d.next(true), d.next(true)];
    expect(values).toStrictEqual([
      Buffer.from('hello'),
      Buffer.from('OK'),
      [Buffer.from('a'), Buffer.from('b')],
    ]);
    expect(d.next(true)).toBe(NEED_MORE);
  });
});

describe('views under a build step that renames classes', () => {
  it('keep the decoder optimised when loaded through tsx', async () => {
    // With --allow-natives-syntax, V8 reports whether a function runs optimised code. Before the
    // fix, Buffer-mode decoding under tsx never did: every compilation was aborted.
    const decoderUrl = new URL('../../src/resp/decoder.ts', import.meta.url).href;
    const stdout = await runProbe(
      [
        `const { NEED_MORE, RespDecoder } = await import(${JSON.stringify(decoderUrl)});`,
        `const chunk = Buffer.from('+OK\\r\\n$3\\r\\nabc\\r\\n'.repeat(6000));`,
        'for (let round = 0; round < 200; round++) {',
        '  const d = new RespDecoder();',
        '  d.feed(Buffer.from(chunk));',
        '  while (d.next(true) !== NEED_MORE);',
        '}',
        // quick() reads values in place and builds the views. Bit 4 (16) of the status: the
        // function runs TurboFan-optimised code.
        'const status = %GetOptimizationStatus(RespDecoder.prototype.quick);',
        'process.stdout.write(String((status & 16) !== 0));',
      ],
      ['--allow-natives-syntax'],
    );
    expect(stdout).toBe('true');
  }, 60_000);
});
