// The pool's mutex and FIFO: order of waiters, lock timeouts that leave the queue, one-shot release;
// FIFO order, removal and compaction.
import { describe, expect, it } from 'vitest';
import { Mutex } from '../../src/connection/mutex.js';
import { Fifo } from '../../src/connection/pending.js';
import { LockTimeoutError } from '../../src/errors.js';

describe('Mutex', () => {
  it('grants the lock in FIFO order', async () => {
    const mutex = new Mutex();
    const order: number[] = [];
    const release = await mutex.acquire();
    const runs = [1, 2, 3].map((n) => mutex.run(() => void order.push(n)));
    expect(order).toEqual([]);
    release();
    await Promise.all(runs);
    expect(order).toEqual([1, 2, 3]);
    expect(mutex.isLocked).toBe(false);
  });

  it('times out with LockTimeoutError and leaves the queue', async () => {
    const mutex = new Mutex();
    const release = await mutex.acquire();
    await expect(mutex.acquire(20, 'test lock')).rejects.toThrow(LockTimeoutError);
    await expect(mutex.acquire(0)).rejects.toThrow(/within 0 ms/);
    release();
    expect(mutex.isLocked).toBe(false);
    const again = await mutex.acquire(10);
    again();
    again();
    expect(mutex.isLocked).toBe(false);
  });
});

describe('Fifo', () => {
  it('keeps order across compaction and removal', () => {
    const q = new Fifo<number>();
    for (let i = 0; i < 5000; i++) q.push(i);
    for (let i = 0; i < 3000; i++) expect(q.shift()).toBe(i);
    expect(q.length).toBe(2000);
    expect(q.peek()).toBe(3000);
    expect(q.remove(3001)).toBe(true);
    expect(q.remove(3001)).toBe(false);
    expect(q.shift()).toBe(3000);
    expect(q.shift()).toBe(3002);
    expect([...q].slice(0, 2)).toEqual([3003, 3004]);
    expect(q.drain().length).toBe(1997);
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
  });
});
