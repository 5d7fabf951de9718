// The SUBSCRIBE-family commands as Commands, and the error for one sent where replies are
// expected. Which commands these are is a table fact (`subscriber`, decided by the generator):
// their answers are push frames, never a reply slot, so they must not run on a multiplexed,
// pipelined, transaction or leased connection (they would hang it), only on a subscriber link.
import type { CommandInfo, RedisKey } from '../../generated/executor.js';
import { build } from '../runner/build.js';
import type { Command } from '../runner/command.js';
import type { SubscriptionKind } from './message.js';

/** SUBSCRIBE, PSUBSCRIBE or SSUBSCRIBE of `names`. */
export function subscribeCommand(kind: SubscriptionKind, names: readonly RedisKey[]): Command {
  switch (kind) {
    case 'channel':
      return build.subscribe(...names);
    case 'pattern':
      // PSUBSCRIBE takes Buffer patterns as well; the generated type says string.
      return build.psubscribe(...(names as string[]));
    case 'shard':
      return build.ssubscribe(...names);
  }
}

/** UNSUBSCRIBE, PUNSUBSCRIBE or SUNSUBSCRIBE of `names`. */
export function unsubscribeCommand(kind: SubscriptionKind, names: readonly RedisKey[]): Command {
  switch (kind) {
    case 'channel':
      return build.unsubscribe({ channels: [...names] });
    case 'pattern':
      return build.punsubscribe({ patterns: [...names] });
    case 'shard':
      return build.sunsubscribe({ shardchannels: [...names] });
  }
}

/** The error for a subscriber-mode command sent where replies are expected. */
export function subscriberCommandError(info: CommandInfo, where: string): TypeError {
  return new TypeError(
    `${info.name} cannot run ${where}: its answers are push messages; use client.subscribe(), ` +
      'psubscribe(), ssubscribe() or client.messages() instead',
  );
}
