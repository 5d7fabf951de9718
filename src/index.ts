// The public entry point of redspec: the client, its options, the errors, the retry policies, and
// the generated command types (for typing your own helpers).
export { createClient, RedisClient } from './client/client.js';
export { commandInfoFor } from './runner/build.js';
export type { CallOptions } from './runner/command.js';
export type { ClientEvents } from './node/events.js';
export type { BufferClientOptions, ClientOptions } from './client/options.js';
export type { BufferReplies, RedisBufferClient } from './client/buffers.js';
export type { ClientFeatures, MessageStreamOptions, MessageSubscriptions } from './client/features.js';
export type { Pipeline, Settled } from './client/pipeline.js';
export type { ExecResult, Multi } from './client/multi.js';
export type { TransactionOptions, TransactionScope } from './client/transaction.js';
export { BoundScript, defineScript, Script, type ScriptOptions } from './client/script.js';
export type { KeyScanOptions, ScanOptions } from './client/scan.js';
export { MessageStream } from './pubsub/stream.js';
export type { PubSubListener, PubSubMessage, SubscriptionKind } from './pubsub/message.js';
export type { ResubscribedInfo } from './pubsub/subscriber.js';
export type { ConnectionOptions, TlsOptions } from './connection/index.js';
export * from './errors.js';
export {
  ConstantBackoff,
  DecorrelatedJitterBackoff,
  EqualJitterBackoff,
  ExponentialBackoff,
  FullJitterBackoff,
  NoBackoff,
  Retry,
  type Backoff,
} from './retry/index.js';
export type { RespValue, RespMap } from './resp/types.js';
export type {
  CommandInfo,
  RedisArgument,
  RedisKey,
  ReplyShape,
  RequestPolicy,
  ResponsePolicy,
  ResultKinds,
  ResultKind,
} from '../generated/executor.js';
export type { AllCommands } from '../generated/index.js';
export { keySlot } from './cluster/slot.js';
export { createCluster, RedisCluster } from './cluster/client.js';
export type { ClusterNodeDefaults, ClusterOptions, ReadFrom } from './cluster/options.js';
export type { ClusterEvents, ClusterStats, TopologyInfo } from './cluster/router.js';
