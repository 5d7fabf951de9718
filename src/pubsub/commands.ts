// Which commands put a connection into subscriber mode, read from the command table: pub/sub
// commands (flag PUBSUB) that scripts may not run (flag NOSCRIPT) are exactly the six that change
// a connection's subscriptions (SUBSCRIBE, UNSUBSCRIBE, PSUBSCRIBE, ... ; PUBLISH, PUBSUB CHANNELS
// and the rest are ordinary request/reply). Their answers are push frames, never a reply slot, so
// they must not run on a multiplexed, pipelined or transaction connection: they would hang it.
import type { CommandInfo } from '../../generated/executor.js';

/** True for SUBSCRIBE, PSUBSCRIBE, SSUBSCRIBE and their UNSUBSCRIBE counterparts. */
export function isSubscriberCommand(info: CommandInfo): boolean {
  return info.pubsub && info.flags.some((flag) => flag.toUpperCase() === 'NOSCRIPT');
}

/** The error for a subscriber-mode command sent where replies are expected. */
export function subscriberCommandError(info: CommandInfo, where: string): TypeError {
  return new TypeError(
    `${info.name} cannot run ${where}: its answers are push messages; use client.subscribe(), ` +
      'psubscribe(), ssubscribe() or client.messages() instead',
  );
}
