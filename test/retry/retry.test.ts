// Retry loop semantics: which errors are retried, how often, the fail hook, the isRetryable
// at-most-once hook, abort, and the backoff delays handed to sleep.
import { describe, expect, it } from 'vitest';
import { AbortError, ConnectionError, ReplyError, TimeoutError } from '../../src/errors.js';
import { ConstantBackoff, ExponentialBackoff, NoBackoff, Retry } from '../../src/retry/index.js';

function recorder() {
  const delays: number[] = [];
  return { delays, sleep: async (ms: number) => void delays.push(ms) };
}

function failing(errors: Error[], value = 'ok') {
  let calls = 0;
  const fn = async (attempt: number) => {
    expect(attempt).toBe(calls);
    const error = errors[calls++];
    if (error) throw error;
    return value;
  };
  return { fn, calls: () => calls };
}

describe('Retry', () => {
  it('retries supported errors with the backoff, then succeeds', async () => {
    const { delays, sleep } = recorder();
    const retry = new Retry(new ExponentialBackoff(1000, 10), 3, undefined, { sleep });
    const op = failing([new ConnectionError('x'), new TimeoutError('y')]);
    const failed: unknown[] = [];
    await expect(retry.callWithRetry(op.fn, (e) => void failed.push(e))).resolves.toBe('ok');
    expect(op.calls()).toBe(3);
    expect(delays).toEqual([20, 40]);
    expect(failed.map((e) => (e as Error).name)).toEqual(['ConnectionError', 'TimeoutError']);
  });

  it('gives up after `retries` retries with the last error', async () => {
    const { delays, sleep } = recorder();
    const retry = new Retry(new ConstantBackoff(5), 2, undefined, { sleep });
    const last = new ConnectionError('third');
    const op = failing([new ConnectionError('a'), new ConnectionError('b'), last, new ConnectionError('d')]);
    await expect(retry.callWithRetry(op.fn)).rejects.toBe(last);
    expect(op.calls()).toBe(3);
    expect(delays).toEqual([5, 5]);
  });

  it('does not retry unsupported errors or aborts', async () => {
    const retry = new Retry(new NoBackoff(), 5);
    const reply = new ReplyError('ERR nope');
    const op = failing([reply]);
    await expect(retry.callWithRetry(op.fn)).rejects.toBe(reply);
    expect(op.calls()).toBe(1);
    const abort = new AbortError('cancelled');
    const op2 = failing([abort]);
    await expect(retry.callWithRetry(op2.fn)).rejects.toBe(abort);
    expect(op2.calls()).toBe(1);
  });

  it('honours isRetryable (at-most-once) from the constructor and per call', async () => {
    const mayHave = new ConnectionError('written', { mayHaveExecuted: true });
    const notSent = new ConnectionError('queued', { mayHaveExecuted: false });
    const safe = (e: unknown) => !(e instanceof ConnectionError && e.mayHaveExecuted);
    const retry = new Retry(new NoBackoff(), 5, undefined, { isRetryable: safe });
    const op = failing([notSent, mayHave]);
    await expect(retry.callWithRetry(op.fn)).rejects.toBe(mayHave);
    expect(op.calls()).toBe(2);
    const op2 = failing([mayHave]);
    await expect(retry.callWithRetry(op2.fn, undefined, { isRetryable: () => true })).resolves.toBe('ok');
  });

  it('custom supportedErrors and unlimited retries', async () => {
    class Flaky extends Error {}
    const retry = new Retry(new NoBackoff(), -1, [Flaky]);
    expect(retry.retries).toBe(Infinity);
    const op = failing(Array.from({ length: 50 }, () => new Flaky()));
    await expect(retry.callWithRetry(op.fn)).resolves.toBe('ok');
    expect(op.calls()).toBe(51);
    await expect(retry.callWithRetry(failing([new ConnectionError('x')]).fn)).rejects.toThrow(
      ConnectionError,
    );
  });

  it('an abort signal stops the wait between attempts', async () => {
    const retry = new Retry(new ConstantBackoff(10_000), 3);
    const controller = new AbortController();
    const started = Date.now();
    const pending = retry.callWithRetry(failing([new ConnectionError('x')]).fn, undefined, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    await expect(pending).rejects.toThrow(AbortError);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('a throwing fail hook ends the loop', async () => {
    const retry = new Retry(new NoBackoff(), 5);
    const boom = new Error('fail hook');
    await expect(
      retry.callWithRetry(failing([new ConnectionError('x')]).fn, () => {
        throw boom;
      }),
    ).rejects.toBe(boom);
  });
});
