// Public surface of the connection layer: Connection, its options and URL parsing, the pool.
export {
  Connection,
  type BatchOutcomes,
  type ConnectionEvents,
  type ConnectionState,
  type ConnectionStats,
  type SendOptions,
  type FailureHandler,
} from './connection.js';
export type { HandshakeResult, ServerInfo } from './handshake.js';
export { Mutex, type Release } from './mutex.js';
export {
  DEFAULT_CONNECT_TIMEOUT,
  DEFAULT_HOST,
  DEFAULT_KEEPALIVE,
  DEFAULT_PORT,
  LIB_NAME,
  LIB_VERSION,
  redactOptions,
  resolveOptions,
  type ConnectionOptions,
  type LookupFunction,
  type ResolvedOptions,
  type TlsOptions,
} from './options.js';
export {
  ConnectionPool,
  type AcquireOptions,
  type PoolConnection,
  type PoolOptions,
  type PoolStats,
} from './pool.js';
export { openSocket } from './socket.js';
export { parseRedisUrl } from './url.js';
