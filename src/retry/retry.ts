// Retry: run an async operation again after failures of the supported kinds, with a backoff
// between attempts, after redis-py's Retry. Invariants: an AbortError (the caller cancelled) is
// never retried; an error the isRetryable hook refuses (at-most-once: a write that may have
// executed) is rethrown at once; the number of attempts is bounded unless retries is Infinity.
import { AbortError, ConnectionError, TimeoutError } from '../errors.js';
import type { Backoff } from './backoff.js';

/** A class of errors Retry recognises (instanceof). */
export type ErrorClass = abstract new (...args: never[]) => Error;

export interface RetryOptions {
  /** Called for a supported error; false rethrows it at once (e.g. a write that may have run). */
  isRetryable?: (error: unknown) => boolean;
  /** Waits `ms` before the next attempt; rejects if the signal fires. Injectable for tests. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface RetryCallOptions {
  /** Overrides the Retry's own isRetryable for this call. */
  isRetryable?: (error: unknown) => boolean;
  /** Stops waiting between attempts; the wait then rejects with an AbortError. */
  signal?: AbortSignal;
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new AbortError('retry wait aborted'));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(new AbortError('retry wait aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export class Retry {
  readonly backoff: Backoff;
  /** Retries after the first attempt: 0 = try once; Infinity (or any negative) = no limit. */
  readonly retries: number;
  readonly supportedErrors: readonly ErrorClass[];
  private readonly isRetryable: ((error: unknown) => boolean) | undefined;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(
    backoff: Backoff,
    retries: number,
    supportedErrors: readonly ErrorClass[] = [ConnectionError, TimeoutError],
    options: RetryOptions = {},
  ) {
    if (typeof retries !== 'number' || Number.isNaN(retries)) {
      throw new RangeError('retries must be a number (negative or Infinity for no limit)');
    }
    this.backoff = backoff;
    this.retries = retries < 0 ? Infinity : Math.floor(retries);
    this.supportedErrors = [...supportedErrors];
    this.isRetryable = options.isRetryable;
    this.sleep = options.sleep ?? defaultSleep;
  }

  /** Whether `error` is one of the supported kinds (an AbortError never is). */
  supports(error: unknown): boolean {
    if (error instanceof AbortError) return false;
    return this.supportedErrors.some((Class) => error instanceof Class);
  }

  /**
   * Runs doFn until it resolves, an unsupported or refused error occurs, or the retries are used up
   * (the last error is thrown). `fail` runs after every supported failure, before the decision to
   * retry (e.g. to drop a broken connection); an error thrown by `fail` ends the loop.
   */
  async callWithRetry<T>(
    doFn: (attempt: number) => Promise<T>,
    fail?: (error: unknown) => void | Promise<void>,
    options: RetryCallOptions = {},
  ): Promise<T> {
    this.backoff.reset();
    const isRetryable = options.isRetryable ?? this.isRetryable;
    let failures = 0;
    for (;;) {
      try {
        return await doFn(failures);
      } catch (error) {
        if (!this.supports(error)) throw error;
        failures += 1;
        if (fail) await fail(error);
        if (isRetryable && !isRetryable(error)) throw error;
        if (failures > this.retries) throw error;
        const delay = this.backoff.compute(failures);
        if (delay > 0) await this.sleep(delay, options.signal);
        else if (options.signal?.aborted) throw new AbortError('retry aborted');
      }
    }
  }
}
