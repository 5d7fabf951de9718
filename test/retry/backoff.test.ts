// Backoff sequences with an injected random source, and the clamping invariants (never NaN,
// Infinity or negative, whatever the failure count or random value).
import { describe, expect, it } from 'vitest';
import {
  ConstantBackoff,
  DecorrelatedJitterBackoff,
  EqualJitterBackoff,
  ExponentialBackoff,
  FullJitterBackoff,
  MAX_DELAY_MS,
  NoBackoff,
  type Backoff,
} from '../../src/retry/index.js';

function sequence(backoff: Backoff, n: number): number[] {
  return Array.from({ length: n }, (_, i) => backoff.compute(i + 1));
}

function randoms(...values: number[]): () => number {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
}

describe('backoffs', () => {
  it('NoBackoff and ConstantBackoff', () => {
    expect(sequence(new NoBackoff(), 3)).toEqual([0, 0, 0]);
    expect(sequence(new ConstantBackoff(25), 3)).toEqual([25, 25, 25]);
  });

  it('ExponentialBackoff doubles up to the cap', () => {
    expect(sequence(new ExponentialBackoff(100, 5), 6)).toEqual([10, 20, 40, 80, 100, 100]);
    expect(new ExponentialBackoff(100, 5).compute(0)).toBe(5);
  });

  it('FullJitterBackoff scales the exponential delay by random()', () => {
    const b = new FullJitterBackoff(100, 5, randoms(0.5, 0, 0.25));
    expect(sequence(b, 5)).toEqual([5, 0, 10, 40, 0]);
  });

  it('EqualJitterBackoff keeps half and jitters the other half', () => {
    const b = new EqualJitterBackoff(100, 5, randoms(0, 1, 0.5));
    // exponential: 10, 20, 40, 80 → halves 5, 10, 20, 40
    expect(sequence(b, 4)).toEqual([5, 20, 30, 40]);
  });

  it('DecorrelatedJitterBackoff grows from the previous delay and resets', () => {
    const b = new DecorrelatedJitterBackoff(100, 10, randoms(1, 1, 1, 1));
    // upper = max(base, prev*3): 10 → 30 → 90 → min(270, cap 100)
    expect(sequence(b, 4)).toEqual([10, 30, 90, 100]);
    b.reset();
    expect(b.compute(1)).toBe(10);
    const half = new DecorrelatedJitterBackoff(1000, 10, randoms(0.5));
    // prev 0 → upper 10 → 10; upper 30 → 20; upper 60 → 35
    expect(sequence(half, 3)).toEqual([10, 20, 35]);
  });

  it('never returns NaN, Infinity or a negative delay', () => {
    const hostile = [NaN, Infinity, -Infinity, -1, 2, 1e308];
    const backoffs: Backoff[] = [
      new ExponentialBackoff(MAX_DELAY_MS * 10, 1),
      new ExponentialBackoff(Infinity, 0),
      new FullJitterBackoff(Infinity, 1e300, randoms(...hostile)),
      new EqualJitterBackoff(1e9, 1e9, randoms(...hostile)),
      new DecorrelatedJitterBackoff(Infinity, 1e9, randoms(...hostile)),
    ];
    for (const backoff of backoffs) {
      for (const failures of [0, 1, 31, 62, 1023, 1024, 1e6, Infinity, NaN, -5]) {
        const delay = backoff.compute(failures);
        expect(Number.isFinite(delay), `${backoff.constructor.name}(${failures})`).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(MAX_DELAY_MS);
      }
    }
    expect(new ExponentialBackoff(500, 8).compute(1e6)).toBe(500);
  });

  it('rejects negative or NaN parameters', () => {
    expect(() => new ConstantBackoff(-1)).toThrow(RangeError);
    expect(() => new ExponentialBackoff(NaN, 1)).toThrow(RangeError);
    expect(() => new FullJitterBackoff(10, -3)).toThrow(RangeError);
  });
});
