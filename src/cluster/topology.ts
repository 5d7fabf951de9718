// The slot map of a cluster: which shard (a primary and its replicas) serves each of the 16384
// slots, parsed from CLUSTER SHARDS (or CLUSTER SLOTS on servers without it) with the endpoint
// rules: a null or empty endpoint means the host that was asked, '?' an unknown one (the node is
// left out until it is known), the TLS port and the hostname (as TLS server name) when TLS is on;
// failed nodes are left out (a failed-over primary stays listed in its shard as 'master').
// Immutable: a refresh or a MOVED makes a new map.
import { ClusterError } from '../errors.js';
import { SLOT_COUNT } from './slot.js';

export interface NodeAddress {
  readonly host: string;
  readonly port: number;
  /** For TLS: the name the certificate must carry (the node's announced hostname). */
  readonly servername?: string | undefined;
}

export interface Shard {
  readonly primary: NodeAddress;
  readonly replicas: readonly NodeAddress[];
}

/** Where the map came from, to resolve relative endpoints. */
export interface Origin {
  /** The node that answered (its address as we reached it). */
  readonly asked: NodeAddress;
  readonly tls: boolean;
}

/**
 * What the map reads of CLUSTER SHARDS and CLUSTER SLOTS (after reply normalisation). Declared
 * here rather than taken from the generated reply types: a spec without reply schemas (an older
 * server's) types those replies as unknown, and the parse checks every field anyway.
 */
export interface ShardNode {
  readonly endpoint?: string | null;
  readonly ip?: string;
  readonly hostname?: string;
  readonly port?: number;
  readonly 'tls-port'?: number;
  readonly role?: string;
  readonly health?: string;
}
export interface ShardEntry {
  readonly slots?: readonly number[];
  readonly nodes?: readonly ShardNode[];
}
type SlotsNode = readonly [string | null, number, ...unknown[]];
export type SlotsEntry = readonly [number, number, SlotsNode, ...SlotsNode[]];

function shardsOf(reply: unknown): ShardEntry[] {
  if (!Array.isArray(reply)) throw new ClusterError('CLUSTER SHARDS: the reply is not a list of shards');
  return reply.filter((entry): entry is ShardEntry => typeof entry === 'object' && entry !== null);
}

function slotsOf(reply: unknown): SlotsEntry[] {
  if (!Array.isArray(reply)) throw new ClusterError('CLUSTER SLOTS: the reply is not a list of slot ranges');
  return reply.filter(
    (entry): entry is SlotsEntry =>
      Array.isArray(entry) &&
      typeof entry[0] === 'number' &&
      typeof entry[1] === 'number' &&
      entry.slice(2).every((node) => Array.isArray(node) && typeof node[1] === 'number'),
  );
}

function hostnameOf(node: SlotsNode): string | undefined {
  const meta = node[3];
  if (meta instanceof Map) {
    const name = meta.get('hostname');
    return typeof name === 'string' ? name : undefined;
  }
  const name =
    typeof meta === 'object' && meta !== null ? (meta as { hostname?: unknown }).hostname : undefined;
  return typeof name === 'string' ? name : undefined;
}

export function addressKey(address: { readonly host: string; readonly port: number }): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

export class SlotMap {
  readonly shards: readonly Shard[];
  private readonly owner: Int16Array;

  private constructor(shards: readonly Shard[], owner: Int16Array) {
    this.shards = shards;
    this.owner = owner;
  }

  /** The shard serving `slot`, or undefined while no node does. */
  shardOf(slot: number): Shard | undefined {
    const index = this.owner[slot] ?? -1;
    return index < 0 ? undefined : this.shards[index];
  }

  /** Slots no shard serves (a cluster being set up, or a failed shard). */
  uncovered(): number {
    let count = 0;
    for (const owner of this.owner) if (owner < 0) count++;
    return count;
  }

  /** Every node address, primaries first. */
  nodes(): NodeAddress[] {
    return [...this.shards.map((s) => s.primary), ...this.shards.flatMap((s) => s.replicas)];
  }

  /** A map where `slot` belongs to the shard whose primary is `to` (what a MOVED says). */
  moved(slot: number, to: NodeAddress): SlotMap {
    const key = addressKey(to);
    let index = this.shards.findIndex((s) => addressKey(s.primary) === key);
    let shards = this.shards;
    if (index === -1) {
      shards = [...shards, { primary: to, replicas: [] }];
      index = shards.length - 1;
    }
    const owner = this.owner.slice();
    owner[slot] = index;
    return new SlotMap(shards, owner);
  }

  /** The same cluster? (Same owner of every slot, same nodes.) */
  equals(other: SlotMap): boolean {
    if (other.shards.length !== this.shards.length) return false;
    const a = this.owner;
    const b = other.owner;
    for (let slot = 0; slot < SLOT_COUNT; slot++) {
      const x = a[slot] ?? -1;
      const y = b[slot] ?? -1;
      if (x < 0 !== y < 0) return false;
      if (x < 0) continue;
      if (!sameShard(this.shards[x] as Shard, other.shards[y] as Shard)) return false;
    }
    return true;
  }

  static fromShards(reply: unknown, origin: Origin): SlotMap {
    const shards: Shard[] = [];
    const owner = new Int16Array(SLOT_COUNT).fill(-1);
    for (const entry of shardsOf(reply)) {
      let primary: NodeAddress | undefined;
      const replicas: NodeAddress[] = [];
      for (const node of entry.nodes ?? []) {
        const port = origin.tls ? (node['tls-port'] ?? node.port) : (node.port ?? node['tls-port']);
        const address = endpoint(node.endpoint ?? node.ip, port, node.hostname, origin);
        // A failed node serves nothing; after a failover it stays listed, still as 'master'.
        if (address === undefined || node.health === 'fail') continue;
        if (node.role === 'master') {
          if (primary === undefined || node.health === 'online') primary = address;
        } else {
          // 'loading' too: Redis 7.0 reports a replica that has received nothing yet as loading; one
          // that really is loading answers LOADING, and the read goes to the primary instead.
          replicas.push(address);
        }
      }
      const ranges = entry.slots ?? [];
      if (primary === undefined || ranges.length === 0) continue;
      shards.push({ primary, replicas });
      assign(owner, ranges, shards.length - 1);
    }
    return new SlotMap(shards, owner);
  }

  static fromSlots(reply: unknown, origin: Origin): SlotMap {
    const shards: Shard[] = [];
    const owner = new Int16Array(SLOT_COUNT).fill(-1);
    const byPrimary = new Map<string, number>();
    for (const [start, end, first, ...others] of slotsOf(reply)) {
      const [host, port] = first;
      const primary = endpoint(host, port, hostnameOf(first), origin);
      if (primary === undefined) continue;
      const key = addressKey(primary);
      let index = byPrimary.get(key);
      if (index === undefined) {
        const replicas: NodeAddress[] = [];
        for (const node of others) {
          const replica = endpoint(node[0], node[1], hostnameOf(node), origin);
          if (replica !== undefined) replicas.push(replica);
        }
        shards.push({ primary, replicas });
        index = shards.length - 1;
        byPrimary.set(key, index);
      }
      assign(owner, [start, end], index);
    }
    return new SlotMap(shards, owner);
  }
}

function sameShard(a: Shard, b: Shard): boolean {
  if (addressKey(a.primary) !== addressKey(b.primary) || a.replicas.length !== b.replicas.length)
    return false;
  const keys = new Set(a.replicas.map(addressKey));
  return b.replicas.every((r) => keys.has(addressKey(r)));
}

function assign(owner: Int16Array, ranges: readonly number[], index: number): void {
  for (let i = 0; i + 1 < ranges.length; i += 2) {
    const start = ranges[i] as number;
    const end = ranges[i + 1] as number;
    if (!(start >= 0 && end < SLOT_COUNT && start <= end)) {
      throw new ClusterError(`the slot map has an invalid slot range ${start}-${end}`);
    }
    owner.fill(index, start, end + 1);
  }
}

function endpoint(
  host: string | null | undefined,
  port: number | undefined,
  hostname: string | undefined,
  origin: Origin,
): NodeAddress | undefined {
  if (host === '?' || port === undefined || port === 0) return undefined;
  const reachable = host === null || host === undefined || host === '' ? origin.asked.host : host;
  const servername = origin.tls ? (hostname ?? origin.asked.servername) : undefined;
  return { host: reachable, port, ...(servername === undefined ? {} : { servername }) };
}
