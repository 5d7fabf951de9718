// The shapes of pub/sub: message objects handed to listeners and iterators, the three kinds of
// subscription, and how push frames ("message", "subscribe", ... in RESP3 pushes or RESP2 arrays)
// are recognised. Names are compared as bytes (latin1 keys), so a Buffer channel and the same
// name given as a string meet in one subscription.
import type { RespValue } from '../resp/types.js';

export type SubscriptionKind = 'channel' | 'pattern' | 'shard';

/** A message delivered to a subscription; `T` is string, or Buffer for `{ buffers: true }`. */
export interface PubSubMessage<T extends string | Buffer = string> {
  /** message (SUBSCRIBE), pmessage (PSUBSCRIBE) or smessage (SSUBSCRIBE). */
  readonly kind: 'message' | 'pmessage' | 'smessage';
  readonly channel: T;
  /** The pattern that matched, for pmessage; undefined otherwise. */
  readonly pattern: T | undefined;
  readonly message: T;
}

export type PubSubListener<T extends string | Buffer = string> = (message: PubSubMessage<T>) => void;

export const SUBSCRIBE_COMMAND: Readonly<Record<SubscriptionKind, string>> = {
  channel: 'SUBSCRIBE',
  pattern: 'PSUBSCRIBE',
  shard: 'SSUBSCRIBE',
};

export const UNSUBSCRIBE_COMMAND: Readonly<Record<SubscriptionKind, string>> = {
  channel: 'UNSUBSCRIBE',
  pattern: 'PUNSUBSCRIBE',
  shard: 'SUNSUBSCRIBE',
};

/** Confirmation frames: which kind they confirm and whether they subscribe or unsubscribe. */
export const CONFIRMATIONS: ReadonlyMap<string, { kind: SubscriptionKind; subscribed: boolean }> = new Map([
  ['subscribe', { kind: 'channel', subscribed: true }],
  ['psubscribe', { kind: 'pattern', subscribed: true }],
  ['ssubscribe', { kind: 'shard', subscribed: true }],
  ['unsubscribe', { kind: 'channel', subscribed: false }],
  ['punsubscribe', { kind: 'pattern', subscribed: false }],
  ['sunsubscribe', { kind: 'shard', subscribed: false }],
] as const);

const MESSAGE_KINDS = new Set(['message', 'pmessage', 'smessage']);

/** The byte identity of a channel or pattern name. */
export function nameKey(name: RespValue | undefined): string {
  if (Buffer.isBuffer(name)) return name.toString('latin1');
  return Buffer.from(String(name), 'utf8').toString('latin1');
}

/** The frame's type word ("message", "subscribe", ...), lower-case; undefined when it has none. */
export function frameType(data: readonly RespValue[]): string | undefined {
  const head = data[0];
  if (typeof head === 'string') return head.toLowerCase();
  if (Buffer.isBuffer(head)) return head.toString('latin1').toLowerCase();
  return undefined;
}

/**
 * RESP2 has no push type: on a subscribed connection every reply is an array led by its type
 * word. This claims those (for Connection.pushClassifier) so they are not matched to commands.
 */
export function isPubSubFrame(value: RespValue): boolean {
  if (!Array.isArray(value) || value.length < 2) return false;
  const type = frameType(value);
  return type !== undefined && (MESSAGE_KINDS.has(type) || CONFIRMATIONS.has(type));
}
