// The subscribers of one client: made on first use, one for string messages and one for Buffer
// messages (a connection decodes its push frames one way), shared by every view of the client,
// closed when the client ends. Events go to the client that made them: 'resubscribed' after a
// reconnect restored every subscription, 'error' (only when someone listens) for failures.
import type { ClientCore } from '../client/core.js';
import { Subscriber, type ResubscribedInfo } from './subscriber.js';

declare module '../client/core.js' {
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

const registry = new WeakMap<ClientCore, Subscribers>();

/** The client's subscriber for this mode, made on first use. */
export function subscriberFor(core: ClientCore, target: PubSubEventTarget, buffers: boolean): Subscriber {
  let subscribers = registry.get(core);
  if (subscribers === undefined) {
    const made: Subscribers = {};
    subscribers = made;
    registry.set(core, made);
    core.events.once('end', () => {
      made.strings?.close();
      made.buffers?.close();
    });
  }
  const slot = buffers ? 'buffers' : 'strings';
  const existing = subscribers[slot];
  if (existing !== undefined) return existing;
  const made = new Subscriber(core, buffers, {
    resubscribed: (info) => target.emit('resubscribed', info),
    error: (error) => {
      if (target.listenerCount('error') > 0) target.emit('error', error);
    },
  });
  subscribers[slot] = made;
  return made;
}

/** The client's subscribers that exist (for unsubscribing from both modes). */
export function existingSubscribers(core: ClientCore): Subscriber[] {
  const subscribers = registry.get(core);
  return [subscribers?.strings, subscribers?.buffers].filter((s): s is Subscriber => s !== undefined);
}
