// Pub/sub messages as an async iterator: a bounded buffer between the subscriber's listener and
// `for await`. Invariants: memory is bounded (past `highWaterMark` unread messages the stream
// ends with QueueFullError rather than growing); ending the loop (break, return, throw) or
// close() unsubscribes exactly once; a reader waiting when the stream fails is rejected.
import { QueueFullError } from '../errors.js';
import type { PubSubMessage } from './message.js';

export class MessageStream<T extends string | Buffer = string> implements AsyncIterableIterator<
  PubSubMessage<T>
> {
  /** Resolves once the subscriptions are confirmed by the server; rejects if they fail. */
  readonly ready: Promise<void>;
  private readonly buffer: PubSubMessage<T>[] = [];
  private readonly readers: {
    resolve: (r: IteratorResult<PubSubMessage<T>>) => void;
    reject: (e: unknown) => void;
  }[] = [];
  private readonly highWaterMark: number;
  private unsubscribe: (() => Promise<void>) | undefined;
  private done = false;
  private error: unknown;

  constructor(
    subscribe: (listener: (message: PubSubMessage<T>) => void) => Promise<() => Promise<void>>,
    highWaterMark: number,
  ) {
    if (!Number.isInteger(highWaterMark) || highWaterMark < 1)
      throw new RangeError('highWaterMark must be an integer >= 1');
    this.highWaterMark = highWaterMark;
    this.ready = subscribe((message) => this.push(message)).then(
      (unsubscribe) => {
        if (this.done) void unsubscribe().catch(() => undefined);
        else this.unsubscribe = unsubscribe;
      },
      (error: unknown) => {
        this.fail(error);
        throw error;
      },
    );
    // The rejection is delivered to readers; an unobserved `ready` must not crash the process.
    this.ready.catch(() => undefined);
  }

  /** Messages received and not yet read. */
  get buffered(): number {
    return this.buffer.length;
  }

  private push(message: PubSubMessage<T>): void {
    if (this.done) return;
    const reader = this.readers.shift();
    if (reader) {
      reader.resolve({ value: message, done: false });
      return;
    }
    if (this.buffer.length >= this.highWaterMark) {
      this.fail(new QueueFullError(`pub/sub stream: more than ${this.highWaterMark} unread messages`));
      void this.close();
      return;
    }
    this.buffer.push(message);
  }

  private fail(error: unknown): void {
    if (this.done) return;
    this.error = error;
    this.done = true;
    for (const reader of this.readers.splice(0)) reader.reject(error);
  }

  next(): Promise<IteratorResult<PubSubMessage<T>>> {
    const message = this.buffer.shift();
    if (message !== undefined) return Promise.resolve({ value: message, done: false });
    if (this.error !== undefined) {
      const error = this.error;
      this.error = undefined;
      return Promise.reject(error);
    }
    if (this.done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.readers.push({ resolve, reject }));
  }

  /** Unsubscribes; buffered messages are dropped and waiting readers finish. */
  async close(): Promise<void> {
    const wasDone = this.done;
    this.done = true;
    this.buffer.length = 0;
    for (const reader of this.readers.splice(0)) reader.resolve({ value: undefined, done: true });
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = undefined;
    if (unsubscribe) await unsubscribe();
    else if (!wasDone) await this.ready.catch(() => undefined);
  }

  async return(): Promise<IteratorResult<PubSubMessage<T>>> {
    await this.close();
    return { value: undefined, done: true };
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
