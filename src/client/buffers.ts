// The types of a client whose replies carry Buffers instead of strings (`returnBuffers: true`, per
// client or per view): every string in a command's reply type becomes a Buffer, object keys stay
// strings (they are decoded as UTF-8 either way). The mapping is only instantiated when a Buffer
// view is used, so the ordinary client types stay flat and cheap.
import type { RedisArgument } from '../../generated/executor.js';
import type { AllCommands } from '../../generated/index.js';
import type { RespValue } from '../resp/types.js';
import type { CallOptions } from '../runner/command.js';

/** A reply type with its strings as Buffers (arrays, tuples and object values followed). */
export type BufferReplies<T> = T extends string
  ? Buffer
  : T extends Buffer
    ? T
    : T extends object
      ? { [K in keyof T]: BufferReplies<T[K]> }
      : T;

declare module '../../generated/executor.js' {
  // The parameter list must match the declaration being merged, even where Acc is unused.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ResultKinds<T, Acc extends unknown[]> {
    /** A command on a Buffer view resolves with its strings as Buffers. */
    buffers: Promise<BufferReplies<T>>;
  }
}

/** The commands of a client or view with `returnBuffers: true`, typed with Buffer replies. */
export interface RedisBufferClient extends AllCommands<'buffers'> {
  /** Sends any command; bulk and simple strings in the reply are Buffers. */
  sendCommand(args: RedisArgument[]): Promise<RespValue>;
  /** A view with other per-call options; string replies unless `returnBuffers` stays true. */
  withOptions(options: CallOptions & { returnBuffers?: true }): RedisBufferClient;
  close(): Promise<void>;
  disconnect(): void;
}
