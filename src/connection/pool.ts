// ConnectionPool after redis-py's ConnectionPool + BlockingConnectionPool: created count, available
// list, in-use set, the pid at creation, one async lock around every change of those, checkPid() on
// acquire/release/disconnect (a copied process must never share its parent's sockets), a bound on
// connections with waiting up to a timeout. Invariant: idle + inUse + creating === created.
import { AbortError, ClientClosedError, PoolTimeoutError } from '../errors.js';
import type { Connection } from './connection.js';
import { Mutex } from './mutex.js';

/** What the pool needs from a connection (Connection satisfies it). */
export interface PoolConnection {
  /** Open, idle, nothing unread: safe to hand out. */
  isHealthy(): boolean;
  /** Graceful close (waits for pending replies). */
  close(): Promise<void>;
  /** Immediate close. */
  destroy(error?: Error): void;
}

export interface PoolOptions<C extends PoolConnection> {
  /** Makes a new connected connection (the client supplies its connect options here). */
  factory: () => Promise<C>;
  /** Upper bound on connections, idle and in use together (default 50). */
  maxConnections?: number;
  /** Default ms acquire() waits for a free connection (default 20000; Infinity = no limit). */
  acquireTimeout?: number;
  /** Ms to wait for the pool's lock before LockTimeoutError (default 5000). */
  lockTimeout?: number;
  /** The process id source, injectable for tests (default: process.pid). */
  getPid?: () => number;
}

export interface AcquireOptions {
  /** Overrides the pool's acquireTimeout for this call. */
  timeout?: number;
  signal?: AbortSignal;
}

export interface PoolStats {
  /** Connections this pool has made and not yet dropped (idle + inUse + creating). */
  created: number;
  idle: number;
  inUse: number;
  /** Connections being made right now. */
  creating: number;
  /** acquire() calls waiting for a free connection. */
  waiting: number;
}

type Step<C> =
  { kind: 'got'; connection: C } | { kind: 'stale'; connection: C } | { kind: 'create' } | { kind: 'wait' };

interface Waiter {
  wake(): void;
}

export class ConnectionPool<C extends PoolConnection = Connection> {
  readonly maxConnections: number;
  readonly acquireTimeout: number;
  readonly lockTimeout: number;
  /** The lock around the bookkeeping; exposed so tests and callers can observe or hold it. */
  readonly lock = new Mutex();
  /** The process id the pool's connections belong to. */
  pid: number;

  private readonly factory: () => Promise<C>;
  private readonly getPid: () => number;
  private created = 0;
  private creating = 0;
  private available: C[] = [];
  private inUse = new Set<C>();
  /** Which reset a connection was made in: one from before a pid change is never reused. */
  private generation = 0;
  private readonly generations = new WeakMap<C, number>();
  private readonly waiters: Waiter[] = [];
  private closed = false;

  constructor(options: PoolOptions<C>) {
    const max = options.maxConnections ?? 50;
    if (!Number.isInteger(max) || max < 1) throw new RangeError('maxConnections must be a positive integer');
    this.maxConnections = max;
    this.acquireTimeout = checkMs('acquireTimeout', options.acquireTimeout, 20_000);
    this.lockTimeout = checkMs('lockTimeout', options.lockTimeout, 5_000);
    this.factory = options.factory;
    this.getPid = options.getPid ?? (() => process.pid);
    this.pid = this.getPid();
  }

  stats(): PoolStats {
    return {
      created: this.created,
      idle: this.available.length,
      inUse: this.inUse.size,
      creating: this.creating,
      waiting: this.waiters.length,
    };
  }

  /** Whether `connection` was made by this pool in the current process. */
  owns(connection: C): boolean {
    return this.generations.get(connection) === this.generation;
  }

  /**
   * Resets the pool when the process id changed since the pool (or its last reset) was made: the
   * old connections are forgotten, not closed (their sockets belong to the other process).
   */
  async checkPid(): Promise<void> {
    if (this.pid === this.getPid()) return;
    const release = await this.lock.acquire(this.lockTimeout, 'pool lock (pid check)');
    try {
      if (this.pid !== this.getPid()) this.reset();
    } finally {
      release();
    }
  }

  /**
   * A healthy connection for exclusive use until release(): an idle one, a new one while under
   * maxConnections, or the next one released within the timeout (else PoolTimeoutError).
   */
  async acquire(options: AcquireOptions = {}): Promise<C> {
    const timeout = checkMs('timeout', options.timeout, this.acquireTimeout);
    const deadline = Date.now() + timeout;
    await this.checkPid();
    for (;;) {
      if (this.closed) throw new ClientClosedError('the connection pool is closed');
      if (options.signal?.aborted) throw new AbortError('acquire aborted', { cause: options.signal.reason });
      const step = await this.withLock((): Step<C> => {
        const connection = this.available.pop();
        if (connection !== undefined) {
          if (!connection.isHealthy()) {
            this.created -= 1;
            return { kind: 'stale', connection };
          }
          this.inUse.add(connection);
          return { kind: 'got', connection };
        }
        if (this.created < this.maxConnections) {
          this.created += 1;
          this.creating += 1;
          return { kind: 'create' };
        }
        return { kind: 'wait' };
      });
      if (step.kind === 'got') return step.connection;
      if (step.kind === 'stale') {
        step.connection.destroy();
        continue;
      }
      if (step.kind === 'create') {
        const made = await this.create();
        if (made !== undefined) return made;
        continue;
      }
      await this.waitForFree(deadline, timeout, options.signal);
    }
  }

  /** Gives a connection back: healthy ones become idle, others are closed and uncounted. */
  async release(connection: C): Promise<void> {
    await this.checkPid();
    const drop = await this.withLock((): 'keep' | 'close' | 'destroy' | 'ignore' => {
      if (!this.inUse.delete(connection)) {
        // Made before a pid change: never reuse it. Unknown or already released: nothing to do.
        const generation = this.generations.get(connection);
        return generation !== undefined && generation !== this.generation ? 'destroy' : 'ignore';
      }
      if (!this.closed && connection.isHealthy()) {
        this.available.push(connection);
        return 'keep';
      }
      this.created -= 1;
      return 'close';
    });
    if (drop === 'close') connection.close().catch(() => connection.destroy());
    else if (drop === 'destroy') connection.destroy();
    if (drop !== 'ignore') this.wakeOne();
  }

  /**
   * Closes the idle connections (forgetting them) and, when inUseToo, destroys the ones in use too
   * (they stay counted until released, as their holders still have them).
   */
  async disconnect(inUseToo = true): Promise<void> {
    await this.checkPid();
    const { idle, busy } = await this.withLock(() => {
      const idle = this.available;
      this.available = [];
      this.created -= idle.length;
      return { idle, busy: inUseToo ? [...this.inUse] : [] };
    });
    for (const connection of idle) connection.destroy();
    for (const connection of busy) connection.destroy();
    this.wakeAll();
  }

  /** Closes the pool: idle connections close gracefully, in-use ones on release; acquire() rejects. */
  async close(): Promise<void> {
    this.closed = true;
    this.wakeAll();
    const idle = await this.withLock(() => {
      const idle = this.available;
      this.available = [];
      this.created -= idle.length;
      return idle;
    });
    await Promise.all(idle.map((c) => c.close().catch(() => c.destroy())));
  }

  private reset(): void {
    this.created = 0;
    this.creating = 0;
    this.available = [];
    this.inUse = new Set();
    this.generation += 1;
    this.pid = this.getPid();
    this.wakeAll();
  }

  private withLock<T>(fn: () => T): Promise<T> {
    return this.lock.run(fn, this.lockTimeout, 'pool lock');
  }

  /** Makes one connection for a reserved slot; undefined when a reset made the slot stale. */
  private async create(): Promise<C | undefined> {
    const generation = this.generation;
    let connection: C;
    try {
      connection = await this.factory();
    } catch (error) {
      await this.withLock(() => {
        if (this.generation !== generation) return;
        this.created -= 1;
        this.creating -= 1;
      });
      this.wakeOne();
      throw error;
    }
    let kept = false;
    try {
      kept = await this.withLock(() => {
        if (this.generation !== generation) return false;
        this.creating -= 1;
        this.generations.set(connection, generation);
        this.inUse.add(connection);
        return true;
      });
    } finally {
      if (!kept) connection.destroy();
    }
    return kept ? connection : undefined;
  }

  private waitForFree(deadline: number, timeout: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const remaining = deadline - Date.now();
      const timedOut = () =>
        new PoolTimeoutError(
          `no free connection within ${timeout} ms (maxConnections ${this.maxConnections})`,
        );
      if (remaining <= 0) {
        reject(timedOut());
        return;
      }
      const leave = () => {
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
        if (timer !== undefined) clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
      };
      const waiter: Waiter = {
        wake: () => {
          leave();
          resolve();
        },
      };
      const onAbort = () => {
        leave();
        reject(new AbortError('acquire aborted', { cause: signal?.reason }));
      };
      const timer = Number.isFinite(remaining)
        ? setTimeout(() => {
            leave();
            reject(timedOut());
          }, remaining)
        : undefined;
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  private wakeOne(): void {
    this.waiters[0]?.wake();
  }

  private wakeAll(): void {
    for (const waiter of [...this.waiters]) waiter.wake();
  }
}

function checkMs(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || Number.isNaN(value) || value < 0) {
    throw new RangeError(`${name} must be a non-negative number of milliseconds`);
  }
  return value;
}
