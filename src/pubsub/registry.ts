// The subscribers of one client: made on first use, one for string messages and one for Buffer
// messages (a connection decodes its push frames one way), shared by every view of the client
// (they share its runner), closed when the client ends. Events go to the client that made them: 'resubscribed' after a
// reconnect restored every subscription, 'error' (only when someone listens) for failures.
import type { Runner } from '../runner/runner.js';
import { Subscriber, type ResubscribedInfo } from './subscriber.js';

declare module '../node/events.js' {
  interface ClientEvents {
    /** The subscriber connection was re-established and every subscription restored. */
    resubscribed: [info: ResubscribedInfo];
  }
}

/** The client surface the registry reports to. */
export interface PubSubEventTarget {
  emit(event: 'resubscribed', info: ResubscribedInfo): boolean;
  emit(event: 'error', error: Error): boolean;
  listenerCount(event: 'error'): number;
}

interface Subscribers {
  strings?: Subscriber;
  buffers?: Subscriber;
}

const registry = new WeakMap<Runner, Subscribers>();

/** The client's subscriber for this mode, made on first use. */
export function subscriberFor(runner: Runner, target: PubSubEventTarget, buffers: boolean): Subscriber {
  let subscribers = registry.get(runner);
  if (subscribers === undefined) {
    const made: Subscribers = {};
    subscribers = made;
    registry.set(runner, made);
    runner.node.events.once('end', () => {
      made.strings?.close();
      made.buffers?.close();
    });
  }
  const slot = buffers ? 'buffers' : 'strings';
  const existing = subscribers[slot];
  if (existing !== undefined) return existing;
  const made = new Subscriber(runner, buffers, {
    resubscribed: (info) => target.emit('resubscribed', info),
    error: (error) => {
      if (target.listenerCount('error') > 0) target.emit('error', error);
    },
  });
  subscribers[slot] = made;
  return made;
}

/** The client's subscribers that exist (for unsubscribing from both modes). */
export function existingSubscribers(runner: Runner): Subscriber[] {
  const subscribers = registry.get(runner);
  return [subscribers?.strings, subscribers?.buffers].filter((s): s is Subscriber => s !== undefined);
}
