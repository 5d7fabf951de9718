// The public entry point of redspec: the client, its options, the errors, the retry policies, and
// the generated command types (for typing your own helpers).
export { createClient, RedisClient } from './client/client.js';
export { commandInfoFor } from './runner/build.js';
export type { CallOptions } from './runner/command.js';
export type { ClientEvents } from './node/events.js';
export type { BufferClientOptions, ClientOptions } from './client/options.js';
export type { BufferReplies, RedisBufferClient } from './client/buffers.js';
export type {
  ChannelNames,
  ClientFeatures,
  MessageStreamOptions,
  MessageSubscriptions,
} from './client/features.js';
export type { Pipeline, Settled } from './client/pipeline.js';
export type { ExecResult, Multi } from './client/multi.js';
export type { TransactionOptions, TransactionScope } from './client/transaction.js';
export { BoundScript, defineScript, Script, type ScriptHost, type ScriptOptions } from './client/script.js';
export type { KeyScanOptions, ScanOptions } from './client/scan.js';
export { MessageStream } from './pubsub/stream.js';
export type { PubSubListener, PubSubMessage, SubscriptionKind } from './pubsub/message.js';
export type { ResubscribedInfo } from './pubsub/subscriber.js';
export type { ConnectionOptions, LookupFunction, TlsOptions } from './connection/index.js';
export type { DecoderOptions } from './resp/index.js';
export type { BatchOptions, Command } from './runner/command.js';
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
  type ErrorClass,
  type RandomSource,
  type RetryCallOptions,
  type RetryOptions,
} from './retry/index.js';
export type { RespValue, RespMap, RespObject } from './resp/types.js';
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
// Every generated option and reply type (SetOptions, HgetallReply, ...), for typing your own
// helpers; the names the client itself exports above win where both have one.
export type * from '../generated/index.js';
// The SCAN command's own options; ScanOptions above is the scan iterators'.
export type { ScanOptions as ScanCommandOptions } from '../generated/index.js';
export { keySlot } from './cluster/slot.js';
export { createCluster, RedisCluster } from './cluster/client.js';
export type { ClusterNodeDefaults, ClusterOptions, ReadFrom } from './cluster/options.js';
export type { NodeAddress } from './cluster/topology.js';
export type { ClusterEvents, ClusterStats, TopologyInfo } from './cluster/router.js';
