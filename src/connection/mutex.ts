// A tiny async mutex with an acquire timeout, for the pool's bookkeeping. Invariants: waiters get
// the lock in FIFO order; a waiter that times out leaves the queue and never holds the lock; a
// release function works once (a second call is a no-op, so a finally{} cannot release twice).
import { LockTimeoutError } from '../errors.js';

export type Release = () => void;

export class Mutex {
  private locked = false;
  private readonly waiters: Array<(release: Release) => void> = [];

  get isLocked(): boolean {
    return this.locked;
  }

  /** Resolves with a release function; rejects with LockTimeoutError after `timeout` ms. */
  acquire(timeout = Infinity, what = 'lock'): Promise<Release> {
    if (!this.locked) {
      this.locked = true;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter = (release: Release) => {
        if (timer !== undefined) clearTimeout(timer);
        resolve(release);
      };
      if (Number.isFinite(timeout)) {
        timer = setTimeout(
          () => {
            const index = this.waiters.indexOf(waiter);
            if (index !== -1) this.waiters.splice(index, 1);
            reject(new LockTimeoutError(`could not take the ${what} within ${timeout} ms`));
          },
          Math.max(0, timeout),
        );
      }
      this.waiters.push(waiter);
    });
  }

  /** Runs fn while holding the lock. */
  async run<T>(fn: () => T | Promise<T>, timeout = Infinity, what = 'lock'): Promise<T> {
    const release = await this.acquire(timeout, what);
    try {
      return await fn();
    } finally {
      release();
    }
  }

  private releaser(): Release {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const next = this.waiters.shift();
      if (next) next(this.releaser());
      else this.locked = false;
    };
  }
}
