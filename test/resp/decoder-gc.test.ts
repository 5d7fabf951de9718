// The decoder's optimised code must outlive a full GC that finds no reply being decoded. Its open
// aggregates are Frame instances, whose shapes V8 reaches only through live instances: without
// one kept alive, such a GC dropped them and the optimised decode, fillFrame and openAggregate
// with them, so the first replies after every idle spell were decoded without it.
import { describe, expect, it } from 'vitest';
import { optimisedAcrossFullGc, runProbe } from '../helpers/probe.js';

describe('the decoder across a full GC between replies', () => {
  it('keeps decode, fillFrame and openAggregate optimised', async () => {
    const decoderUrl = new URL('../../src/resp/decoder.ts', import.meta.url).href;
    const stdout = await runProbe(
      [
        `const { NEED_MORE, RespDecoder } = await import(${JSON.stringify(decoderUrl)});`,
        'const d = new RespDecoder();',
        "const replies = Buffer.from('*3\\r\\n$3\\r\\nabc\\r\\n$2\\r\\nde\\r\\n*2\\r\\n:1\\r\\n$1\\r\\nx\\r\\n'.repeat(200));",
        // Whole replies only: no frame is open when a burst ends.
        'const decodeAll = () => {',
        '  d.feed(Buffer.from(replies));',
        '  while (d.next() !== NEED_MORE);',
        '};',
        ...optimisedAcrossFullGc(
          ['decode', 'fillFrame', 'openAggregate'].map((name) => `RespDecoder.prototype.${name}`),
          'decodeAll()',
          20_000,
        ),
      ],
      ['--allow-natives-syntax', '--expose-gc'],
    );
    expect(stdout).toBe('yyy yyy');
  }, 60_000);
});
