// Options of a cluster client: where to start (any reachable subset of the nodes), what every
// node's client inherits, where reads go, address translation (NAT, Docker) and the redirect and
// refresh bounds.
import type { ClientOptions } from '../client/options.js';
import { parseRedisUrl } from '../connection/index.js';
import type { NodeAddress } from './topology.js';

/** What every node's client inherits (everything of ClientOptions but the address and database). */
export type ClusterNodeDefaults = Omit<ClientOptions, 'url' | 'host' | 'port' | 'path' | 'db' | 'readOnly'>;

export type ReadFrom = 'primary' | 'replica' | 'preferReplica';

export interface ClusterOptions {
  /** Any reachable subset of the nodes: URLs (`redis://host:port`, `rediss://...`), `host:port`, or addresses. */
  rootNodes: readonly (string | { host: string; port: number })[];
  /** What every node's client inherits: password, username, tls, timeouts, protocol, ... */
  defaults?: ClusterNodeDefaults;
  /**
   * Where read-only commands (by the command table) go: 'primary' (default), 'replica' (a replica
   * of the slot's shard, the primary when it has none) or 'preferReplica' (the same, and the
   * primary too when a replica fails). Writes always go to primaries.
   */
  readFrom?: ReadFrom;
  /** Announced address -> reachable address (NAT, Docker), as an object keyed by "host:port" or a function. */
  nodeAddressMap?: Record<string, { host: string; port: number }> | ((address: NodeAddress) => NodeAddress);
  /** Redirects (MOVED, ASK) and retries (TRYAGAIN, CLUSTERDOWN, LOADING) one call may follow (default 16). */
  maxRedirections?: number;
  /** Ms between periodic slot-map refreshes (default 30000; 0: only when something changed). */
  refreshInterval?: number;
}

export interface ResolvedClusterOptions {
  readonly rootNodes: readonly NodeAddress[];
  readonly defaults: ClusterNodeDefaults;
  readonly readFrom: ReadFrom;
  readonly mapAddress: (address: NodeAddress) => NodeAddress;
  readonly maxRedirections: number;
  readonly refreshInterval: number;
  readonly tls: boolean;
}

/** `host:port` or `[v6]:port`. */
function hostPort(text: string): NodeAddress {
  const match = /^(?:\[([^\]]+)\]|([^:]+)):(\d+)$/.exec(text);
  const port = Number(match?.[3]);
  if (match === null || !(port > 0 && port < 65536)) {
    throw new TypeError(`createCluster: root node '${text}' is neither a URL nor host:port`);
  }
  return { host: (match[1] ?? match[2]) as string, port };
}

export function resolveClusterOptions(options: ClusterOptions): ResolvedClusterOptions {
  if (!Array.isArray(options.rootNodes) || options.rootNodes.length === 0) {
    throw new TypeError('createCluster: rootNodes must name at least one node');
  }
  let defaults: ClusterNodeDefaults = { ...options.defaults };
  const rootNodes = options.rootNodes.map((node): NodeAddress => {
    if (typeof node !== 'string') return { host: node.host, port: node.port };
    if (!node.includes('://')) return hostPort(node);
    const parsed = parseRedisUrl(node);
    // Credentials and TLS in a root URL apply to every node, unless the defaults say otherwise.
    const { host, port, path, db, ...rest } = parsed;
    if (path !== undefined) throw new TypeError('createCluster: a cluster node cannot be a unix socket');
    void db;
    defaults = { ...rest, ...defaults };
    return { host: host ?? '127.0.0.1', port: port ?? 6379 };
  });
  const map = options.nodeAddressMap;
  const mapAddress =
    map === undefined
      ? (a: NodeAddress) => a
      : typeof map === 'function'
        ? map
        : (a: NodeAddress) => {
            const to = map[`${a.host}:${a.port}`];
            return to === undefined ? a : { ...a, host: to.host, port: to.port };
          };
  const maxRedirections = options.maxRedirections ?? 16;
  if (!Number.isInteger(maxRedirections) || maxRedirections < 0) {
    throw new RangeError('maxRedirections must be an integer >= 0');
  }
  const refreshInterval = options.refreshInterval ?? 30_000;
  if (!Number.isFinite(refreshInterval) || refreshInterval < 0) {
    throw new RangeError('refreshInterval must be a non-negative number of milliseconds');
  }
  const readFrom = options.readFrom ?? 'primary';
  if (!['primary', 'replica', 'preferReplica'].includes(readFrom)) {
    throw new RangeError("readFrom must be 'primary', 'replica' or 'preferReplica'");
  }
  return {
    rootNodes,
    defaults,
    readFrom,
    mapAddress,
    maxRedirections,
    refreshInterval,
    tls: defaults.tls !== undefined && defaults.tls !== false,
  };
}
