// ConnectionPool after redis-py's ConnectionPool + BlockingConnectionPool: created count, available
// list, in-use set, the pid at creation, one async lock around every change of those, checkPid() on
// acquire/release/disconnect (a copied process must never share its parent's sockets), a bound on
// connections, acquire() bounded whole (waiting and connecting) by its timeout and signal. Invariant:
// idle + inUse + creating === created; a connection made for an acquire() that gave up goes idle.
import { AbortError, ClientClosedError, PoolTimeoutError, type RedisError } from '../errors.js';
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
  /**
   * Default ms an acquire() may take, making a new connection included (default 20000; Infinity = no
   * limit; 0 = an idle connection or PoolTimeoutError at once).
   */
  acquireTimeout?: number;
  /** Ms to wait for the pool's lock before LockTimeoutError (default 5000). */
  lockTimeout?: number;
  /** The process id source, injectable for tests (default: process.pid). */
  getPid?: () => number;
}

export interface AcquireOptions {
  /** Overrides the pool's acquireTimeout for this call. */
  timeout?: number;
  /** Cancels the acquire, whether it is waiting for a free connection or for a new one. */
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

/** What the bookkeeping does with a connection the factory made. */
type Made = 'taken' | 'idle' | 'close' | 'destroy';

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
   * maxConnections, or the next one released. The timeout and the signal bound all of it, making a
   * new connection included: PoolTimeoutError or AbortError the moment either comes first (a new
   * connection still being made then goes idle once made, for the next acquire).
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
        const made = await this.createWithin(deadline, timeout, options.signal);
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

  /**
   * Makes a connection for a slot reserved by an acquire, within that acquire's bounds. Resolves with
   * it, or undefined when a reset made the slot stale (the acquire tries again). When the bounds
   * expire first the acquire rejects at once and the creation carries on without it.
   */
  private createWithin(
    deadline: number,
    timeout: number,
    signal: AbortSignal | undefined,
  ): Promise<C | undefined> {
    return new Promise((resolve, reject) => {
      let wanted = true;
      const disarm = this.bound(deadline, timeout, signal, 'create', (error) => {
        wanted = false;
        reject(error);
      });
      // Whether the acquire still takes the outcome (yes at most once). Asked under the lock when the
      // connection is made: after a yes the bounds can no longer fire, after a no the pool keeps it.
      const claim = (): boolean => {
        if (!wanted) return false;
        wanted = false;
        disarm();
        return true;
      };
      this.create(claim).then(
        (connection) => {
          if (connection !== undefined) resolve(connection);
          else if (claim()) resolve(undefined);
        },
        (error: unknown) => {
          // An acquire that already gave up has had its error; this one has nobody to go to.
          if (claim()) reject(error);
        },
      );
    });
  }

  /**
   * Runs the factory for a reserved slot. The connection is handed over when `claim()` says the
   * acquire still wants it; otherwise it goes idle if healthy and is dropped if not (or if the pool
   * closed), freeing the slot. Undefined when not handed over; a reset meanwhile makes it stale.
   */
  private async create(claim: () => boolean): Promise<C | undefined> {
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
    let made: Made = 'destroy';
    try {
      made = await this.withLock((): Made => {
        // After a reset the slot is no longer counted and the connection not ours to keep.
        if (this.generation !== generation) return 'destroy';
        this.creating -= 1;
        this.generations.set(connection, generation);
        if (claim()) {
          this.inUse.add(connection);
          return 'taken';
        }
        if (!this.closed && connection.isHealthy()) {
          this.available.push(connection);
          return 'idle';
        }
        this.created -= 1;
        return this.closed ? 'close' : 'destroy';
      });
    } finally {
      if (made === 'destroy') connection.destroy();
      else if (made === 'close') connection.close().catch(() => connection.destroy());
    }
    if (made === 'taken') return connection;
    this.wakeOne();
    return undefined;
  }

  private waitForFree(deadline: number, timeout: number, signal: AbortSignal | undefined): Promise<void> {
    return new Promise((resolve, reject) => {
      const leave = () => {
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
      };
      const waiter: Waiter = {
        wake: () => {
          leave();
          disarm();
          resolve();
        },
      };
      this.waiters.push(waiter);
      const disarm = this.bound(deadline, timeout, signal, 'wait', (error) => {
        leave();
        reject(error);
      });
    });
  }

  /**
   * Arms an acquire's bounds for one wait: `expire` gets a PoolTimeoutError when the deadline passes
   * (at once if it has) or an AbortError when the signal fires (at once if it has), whichever comes
   * first, unless the returned disarm function was called before.
   */
  private bound(
    deadline: number,
    timeout: number,
    signal: AbortSignal | undefined,
    waitingFor: 'wait' | 'create',
    expire: (error: RedisError) => void,
  ): () => void {
    let armed = true;
    let timer: NodeJS.Timeout | undefined;
    const disarm = () => {
      armed = false;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    const fire = (error: RedisError) => {
      if (!armed) return;
      disarm();
      expire(error);
    };
    const onAbort = () => fire(new AbortError('acquire aborted', { cause: signal?.reason }));
    const onTimeout = () =>
      fire(
        new PoolTimeoutError(
          waitingFor === 'wait'
            ? `no free connection within ${timeout} ms (maxConnections ${this.maxConnections})`
            : `no connection within ${timeout} ms: a new one was still being made`,
        ),
      );
    const remaining = deadline - Date.now();
    if (signal?.aborted) onAbort();
    else if (remaining <= 0) onTimeout();
    else {
      if (Number.isFinite(remaining)) timer = setTimeout(onTimeout, remaining);
      signal?.addEventListener('abort', onAbort, { once: true });
    }
    return disarm;
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
