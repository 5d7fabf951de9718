// Options of a client: the connection options plus pool size, reconnect/retry policy and the
// offline queue bound. Also turns `createClient`'s input (URL, options, or options with `url`)
// into one resolved object; explicit options win over what the URL says.
import { inspect } from 'node:util';
import { parseRedisUrl, redactOptions, type ConnectionOptions } from '../connection/index.js';
import type { NodeOptions } from '../node/node.js';
import { ExponentialBackoff, Retry } from '../retry/index.js';
import type { RunnerOptions } from '../runner/runner.js';

export interface ClientOptions extends ConnectionOptions {
  /** `redis://[user[:pass]@]host[:port][/db]`, `rediss://...` (TLS) or `unix:///path?db=N`. */
  url?: string;
  /** Connections for dedicated leases (blocking commands, transactions, pub/sub); default 10. */
  poolSize?: number;
  /** Ms a dedicated lease may wait for a pooled connection, the connect of a new one included (default 10000). */
  poolTimeout?: number;
  /**
   * How connects and reconnects are retried (default: 6 tries, exponential backoff 50 ms..2 s).
   * Only connection failures are retried; a rejected password is not.
   */
  reconnect?: Retry;
  /**
   * How often a command is re-sent after its connection failed (default 3). Re-sent only when it
   * was never written, or the command table says read-only (not blocking), or the call said
   * `idempotent`: a write that may have reached the server is never sent twice.
   */
  commandRetries?: number;
  /** Commands that may wait for a (re)connection at once; more reject with QueueFullError (default 10000). */
  maxOfflineQueue?: number;
  /**
   * Ms a command may wait, in all, for a (re)connection (default 5000). Past it the command
   * rejects with OfflineTimeoutError (a ConnectionError; `.cause` is the last connect failure); it was
   * never sent.
   */
  offlineQueueTimeout?: number;
  /**
   * Trace events (node:diagnostics_channel redspec:command / redspec:batch) show argument values
   * in `db.query.text`. Off by default: values are replaced by `?`, keys and tokens kept.
   */
  traceValues?: boolean;
}

/**
 * Options of a client whose replies carry Buffers instead of strings, for every command;
 * `createClient` types such a client as RedisBufferClient.
 */
export interface BufferClientOptions extends ClientOptions {
  returnBuffers: true;
}

/** The node's options (connections, pool, offline queue) and the runner's (re-sends, Buffers). */
export interface ResolvedClientOptions extends NodeOptions, RunnerOptions {}

function positiveInteger(name: string, value: number | undefined, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) throw new RangeError(`${name} must be an integer >= ${min}`);
  return value;
}

export function resolveClientOptions(
  input: string | ClientOptions | BufferClientOptions = {},
): ResolvedClientOptions {
  const given: ClientOptions & { returnBuffers?: boolean } =
    typeof input === 'string' ? { url: input } : input;
  const {
    url,
    poolSize,
    poolTimeout,
    reconnect,
    commandRetries,
    maxOfflineQueue,
    offlineQueueTimeout,
    returnBuffers,
    traceValues,
    ...rest
  } = given;
  const fromUrl = url === undefined ? {} : parseRedisUrl(url);
  const connection: ConnectionOptions = { ...fromUrl };
  for (const [key, value] of Object.entries(rest)) {
    if (value !== undefined) (connection as Record<string, unknown>)[key] = value;
  }
  hideSecrets(connection, () => redactOptions(connection));
  const resolved: ResolvedClientOptions = {
    connection,
    poolSize: positiveInteger('poolSize', poolSize, 10),
    poolTimeout: positiveInteger('poolTimeout', poolTimeout, 10_000, 0),
    reconnect: reconnect ?? new Retry(new ExponentialBackoff(2_000, 50), 5),
    commandRetries: positiveInteger('commandRetries', commandRetries, 3, 0),
    maxOfflineQueue: positiveInteger('maxOfflineQueue', maxOfflineQueue, 10_000, 0),
    offlineQueueTimeout: positiveInteger('offlineQueueTimeout', offlineQueueTimeout, 5_000),
    returnBuffers: returnBuffers ?? false,
    traceValues: traceValues === true,
  };
  hideSecrets(resolved, () => ({ ...resolved, connection: redactOptions(connection) }));
  return resolved;
}

/**
 * util.inspect and JSON of `target` show `printable()` instead (the password redacted). The
 * password itself stays an ordinary property so spreading the options keeps it.
 */
function hideSecrets(target: object, printable: () => Record<string, unknown>): void {
  Object.defineProperty(target, 'toJSON', { value: printable, enumerable: false });
  Object.defineProperty(target, inspect.custom, {
    value: (_depth: number, opts: object) => inspect(printable(), opts),
    enumerable: false,
  });
}
