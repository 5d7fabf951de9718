// Backoff policies for Retry, in milliseconds, after redis-py's backoff module. Invariant: every
// compute() result is a finite number in [0, MAX_DELAY_MS], whatever the failure count or the
// random source returns (huge exponents, NaN or out-of-range randoms are clamped, never passed on
// to setTimeout where Infinity or NaN would turn into a hot loop).

/** The largest delay any backoff returns: setTimeout's own limit (about 24.8 days). */
export const MAX_DELAY_MS = 2 ** 31 - 1;

export interface Backoff {
  /** The delay before the next attempt, after `failures` consecutive failures (1 = first failure). */
  compute(failures: number): number;
  /** Forget state kept between computes (decorrelated jitter); called when a retry loop starts. */
  reset(): void;
}

/** A source of numbers in [0, 1); Math.random by default, injectable for tests. */
export type RandomSource = () => number;

function clampDelay(ms: number): number {
  if (!Number.isFinite(ms)) return Number.isNaN(ms) ? 0 : ms > 0 ? MAX_DELAY_MS : 0;
  return Math.min(Math.max(ms, 0), MAX_DELAY_MS);
}

function clampRandom(value: number): number {
  if (!Number.isFinite(value) || value < 0) return 0;
  return value >= 1 ? 1 : value;
}

function checkParameter(name: string, value: number): number {
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new RangeError(`backoff ${name} must be a non-negative number of milliseconds`);
  }
  return Math.min(value, MAX_DELAY_MS);
}

/** min(cap, base * 2^failures), computed without overflowing to Infinity (or NaN when base is 0). */
function exponential(cap: number, base: number, failures: number): number {
  const n = Number.isFinite(failures) && failures > 0 ? Math.floor(failures) : 0;
  if (base === 0) return 0;
  // 2^62 * base exceeds MAX_DELAY_MS for any base >= 1e-9, so larger exponents are just the cap.
  if (n >= 62) return cap;
  return Math.min(cap, base * 2 ** n);
}

/** The same delay every time. */
export class ConstantBackoff implements Backoff {
  readonly backoff: number;
  constructor(backoff: number) {
    this.backoff = checkParameter('delay', backoff);
  }
  compute(_failures: number): number {
    return this.backoff;
  }
  reset(): void {}
}

/** No delay at all: retry at once. */
export class NoBackoff extends ConstantBackoff {
  constructor() {
    super(0);
  }
}

/** min(cap, base * 2^failures). */
export class ExponentialBackoff implements Backoff {
  readonly cap: number;
  readonly base: number;
  constructor(cap = 512, base = 8) {
    this.cap = checkParameter('cap', cap);
    this.base = checkParameter('base', base);
  }
  compute(failures: number): number {
    return clampDelay(exponential(this.cap, this.base, failures));
  }
  reset(): void {}
}

/** A uniform random delay in [0, min(cap, base * 2^failures)). */
export class FullJitterBackoff implements Backoff {
  readonly cap: number;
  readonly base: number;
  private readonly random: RandomSource;
  constructor(cap = 512, base = 8, random: RandomSource = Math.random) {
    this.cap = checkParameter('cap', cap);
    this.base = checkParameter('base', base);
    this.random = random;
  }
  compute(failures: number): number {
    return clampDelay(clampRandom(this.random()) * exponential(this.cap, this.base, failures));
  }
  reset(): void {}
}

/** Half the exponential delay plus a uniform random part of the other half. */
export class EqualJitterBackoff implements Backoff {
  readonly cap: number;
  readonly base: number;
  private readonly random: RandomSource;
  constructor(cap = 512, base = 8, random: RandomSource = Math.random) {
    this.cap = checkParameter('cap', cap);
    this.base = checkParameter('base', base);
    this.random = random;
  }
  compute(failures: number): number {
    const half = exponential(this.cap, this.base, failures) / 2;
    return clampDelay(half + clampRandom(this.random()) * half);
  }
  reset(): void {}
}

/**
 * A uniform random delay between base and three times the previous delay, capped
 * (AWS "decorrelated jitter"); the previous delay is forgotten by reset().
 */
export class DecorrelatedJitterBackoff implements Backoff {
  readonly cap: number;
  readonly base: number;
  private readonly random: RandomSource;
  private previous = 0;
  constructor(cap = 512, base = 8, random: RandomSource = Math.random) {
    this.cap = checkParameter('cap', cap);
    this.base = checkParameter('base', base);
    this.random = random;
  }
  compute(_failures: number): number {
    const upper = Math.max(this.base, this.previous * 3);
    const delay = this.base + clampRandom(this.random()) * (upper - this.base);
    this.previous = clampDelay(Math.min(this.cap, delay));
    return this.previous;
  }
  reset(): void {
    this.previous = 0;
  }
}
