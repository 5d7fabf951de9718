// Where a command goes in a cluster, and how the replies of a fan-out come back as one, from the
// command table alone: the key specs give the slots (CRC16, hash tags); a keyless command follows
// its request policy (all_shards: every primary, all_nodes: every node, none: any node); a
// multi_shard command whose keys span slots is split per slot, one sub-command per slot, and put
// back in key order; the replies are combined by the response policy.
import type { RedisArgument } from '../../generated/executor.js';
import { CrossSlotError, RedisError, ReplyError } from '../errors.js';
import type { Command } from '../runner/command.js';
import { findKeyPositions } from './keys.js';
import { keySlot } from './slot.js';

export type Route =
  | { readonly kind: 'slot'; readonly slot: number }
  | { readonly kind: 'any' }
  | { readonly kind: 'all_shards' | 'all_nodes' }
  | { readonly kind: 'split'; readonly parts: readonly SlotPart[] };

/** One slot's share of a split command: its sub-command and which keys (by index) it carries. */
export interface SlotPart {
  readonly slot: number;
  readonly command: Command;
  readonly keyIndexes: readonly number[];
}

function slotOf(arg: RedisArgument): number {
  return keySlot(typeof arg === 'string' || Buffer.isBuffer(arg) ? arg : String(arg));
}

/** The slots of a command's keys (shard channels included), in key order. */
export function keySlots(command: Command): number[] {
  const { positions } = findKeyPositions(command.info, command.args, { includeNotKeys: command.info.pubsub });
  return positions.map((i) => slotOf(command.args[i] as RedisArgument));
}

export function route(command: Command): Route {
  const slots = keySlots(command);
  const first = slots[0];
  if (first === undefined) {
    const policy = command.info.requestPolicy;
    return policy === 'all_shards' || policy === 'all_nodes' ? { kind: policy } : { kind: 'any' };
  }
  if (slots.every((slot) => slot === first)) return { kind: 'slot', slot: first };
  if (command.info.requestPolicy === 'multi_shard') return { kind: 'split', parts: split(command) };
  throw crossSlot(command.info.name, slots);
}

export function crossSlot(command: string, slots: readonly number[]): CrossSlotError {
  const distinct = [...new Set(slots)].sort((a, b) => a - b);
  return new CrossSlotError(
    `CROSSSLOT ${command}: its keys are in ${distinct.length} slots (${distinct.slice(0, 8).join(', ')}${distinct.length > 8 ? ', ...' : ''}); nothing was sent`,
    { command },
  );
}

/**
 * Splits a multi_shard command by slot. Each key carries the arguments up to the next key (MSET's
 * value, or nothing for MGET and DEL); what comes before the first key and after the last one's
 * arguments goes with every part.
 */
function split(command: Command): SlotPart[] {
  const { args } = command;
  const { positions } = findKeyPositions(command.info, args);
  const stride = positions.length > 1 ? (positions[1] as number) - (positions[0] as number) : 1;
  const head = args.slice(0, positions[0]);
  const tailStart = (positions[positions.length - 1] as number) + stride;
  const tail = args.slice(tailStart);
  const bySlot = new Map<number, { args: RedisArgument[]; keyIndexes: number[] }>();
  positions.forEach((at, keyIndex) => {
    const slot = slotOf(args[at] as RedisArgument);
    let part = bySlot.get(slot);
    if (part === undefined) {
      part = { args: [...head], keyIndexes: [] };
      bySlot.set(slot, part);
    }
    part.args.push(...args.slice(at, at + stride));
    part.keyIndexes.push(keyIndex);
  });
  return [...bySlot].map(([slot, part]) => ({
    slot,
    keyIndexes: part.keyIndexes,
    command: { ...command, args: [...part.args, ...tail] },
  }));
}

/** Puts the replies of a split command back together: by the response policy, else in key order. */
export function joinSplit(
  command: Command,
  parts: readonly SlotPart[],
  replies: readonly unknown[],
): unknown {
  if (command.info.responsePolicy !== undefined) return combine(command, replies);
  const keys = parts.reduce((n, part) => n + part.keyIndexes.length, 0);
  const out = new Array<unknown>(keys);
  parts.forEach((part, i) => {
    const reply = replies[i];
    if (!Array.isArray(reply) || reply.length !== part.keyIndexes.length) {
      throw new RedisError(`${command.info.name}: a slot's reply does not match its keys`, {
        command: command.info.name,
      });
    }
    part.keyIndexes.forEach((keyIndex, j) => (out[keyIndex] = reply[j]));
  });
  return out;
}

/**
 * Combines the replies of a fan-out by the command's response policy; without one, arrays are
 * concatenated and objects merged. `special` follows the command's own rule from spec/overrides:
 * every node's reply keyed by node address (by-node, also the rule when none is given), or the
 * first reply that is not null.
 */
export function combine(command: Command, replies: readonly unknown[], nodes?: readonly string[]): unknown {
  const name = command.info.name;
  switch (command.info.responsePolicy) {
    case 'agg_sum':
      return aggregate(replies, (a, b) => a + b, name);
    case 'agg_min':
      return aggregate(replies, Math.min, name);
    case 'agg_max':
      return aggregate(replies, Math.max, name);
    case 'agg_logical_and':
      return logical(replies, (a, b) => a && b);
    case 'agg_logical_or':
      return logical(replies, (a, b) => a || b);
    case 'all_succeeded':
      return replies[0];
    case 'one_succeeded':
      return replies[0];
    case 'special': {
      // The command's own rule, from spec/overrides (the table's specialResponse).
      if (command.info.specialResponse === 'first-non-null') return replies.find((r) => r !== null) ?? null;
      const out: Record<string, unknown> = {};
      replies.forEach((reply, i) => (out[nodes?.[i] ?? String(i)] = reply));
      return out;
    }
    case undefined:
      break;
  }
  if (replies.every(Array.isArray)) return (replies as unknown[][]).flat();
  if (replies.every((r) => r instanceof Map))
    return new Map((replies as Map<unknown, unknown>[]).flatMap((m) => [...m]));
  if (replies.every((r) => typeof r === 'object' && r !== null && !(r instanceof ReplyError))) {
    return Object.assign({}, ...replies);
  }
  return replies[0];
}

function aggregate(replies: readonly unknown[], op: (a: number, b: number) => number, name: string): number {
  let result: number | undefined;
  for (const reply of replies) {
    if (typeof reply !== 'number') {
      throw new RedisError(`${name}: a node's reply is not a number and cannot be aggregated`, {
        command: name,
      });
    }
    result = result === undefined ? reply : op(result, reply);
  }
  return result ?? 0;
}

/** Logical AND/OR of 0/1 (or boolean) replies, element by element when they are arrays. */
function logical(replies: readonly unknown[], op: (a: boolean, b: boolean) => boolean): unknown {
  const truth = (v: unknown) => v === true || v === 1;
  const asKind = (sample: unknown, value: boolean) => (typeof sample === 'boolean' ? value : value ? 1 : 0);
  const first = replies[0];
  if (Array.isArray(first)) {
    return first.map((sample, i) =>
      asKind(
        sample,
        replies.map((r) => truth((r as unknown[])[i])).reduce((a, b) => op(a, b)),
      ),
    );
  }
  return asKind(
    first,
    replies.map(truth).reduce((a, b) => op(a, b)),
  );
}
