// The callers waiting for a node's connection while it (re)connects: bounded in length, and each
// caller in time (its own deadline, or how long it may wait offline, whichever comes first).
// Every waiter settles exactly once: connected, failed, timed out, aborted, or rejected by close.
import { AbortError, ConnectionError, QueueFullError } from '../errors.js';

export interface WaitOptions {
  readonly signal?: AbortSignal | undefined;
  /** The caller's own deadline (epoch ms; Infinity = none). */
  readonly deadlineAt: number;
  /** How long the caller may wait offline (epoch ms). */
  readonly waitUntil: number;
  /** The command waiting, named by every error. */
  readonly command: string | undefined;
  /** The error for a deadline that came first. */
  readonly deadlineError: () => Error;
  /** The error for an offline wait that ran out first. */
  readonly offlineError: () => Error;
}

interface Waiter {
  reject(error: Error): void;
}

export class OfflineQueue {
  private readonly max: number;
  private readonly waiters = new Set<Waiter>();

  constructor(maxLength: number) {
    this.max = maxLength;
  }

  get size(): number {
    return this.waiters.size;
  }

  /** Waits for `pending` (the connect cycle) within the caller's bounds. */
  wait<T>(pending: () => Promise<T>, options: WaitOptions): Promise<T> {
    const { signal, command } = options;
    const what = command === undefined ? 'waiting for a connection' : `${command} waiting for a connection`;
    if (signal?.aborted) {
      return Promise.reject(new AbortError(`${what}: aborted`, { cause: signal.reason, command }));
    }
    if (this.waiters.size >= this.max) {
      return Promise.reject(
        new QueueFullError(`offline queue is full (${this.max} commands wait for a connection)`, {
          command,
        }),
      );
    }
    const cycle = pending();
    return new Promise<T>((resolve, reject) => {
      const byDeadline = options.deadlineAt <= options.waitUntil;
      const ms = Math.max(0, Math.min(options.deadlineAt, options.waitUntil) - Date.now());
      const timer = Number.isFinite(ms)
        ? setTimeout(() => {
            leave();
            reject(byDeadline ? options.deadlineError() : options.offlineError());
          }, ms)
        : undefined;
      const onAbort = () => {
        leave();
        reject(new AbortError(`${what}: aborted`, { cause: signal?.reason, command }));
      };
      const waiter: Waiter = {
        reject: (error) => {
          leave();
          reject(error);
        },
      };
      const leave = () => {
        this.waiters.delete(waiter);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      this.waiters.add(waiter);
      signal?.addEventListener('abort', onAbort, { once: true });
      cycle.then(
        (value) => {
          if (!this.waiters.has(waiter)) return;
          leave();
          resolve(value);
        },
        (error: unknown) => {
          if (!this.waiters.has(waiter)) return;
          waiter.reject(error instanceof Error ? error : new ConnectionError(String(error)));
        },
      );
    });
  }

  /** Rejects every waiter with `error`. */
  rejectAll(error: Error): void {
    for (const waiter of [...this.waiters]) waiter.reject(error);
  }
}
