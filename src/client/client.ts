// The client users hold: a node (the server's connections) and the runner above it, plus every
// generated command mixed in. Commands reach the runner through `executeCommand` (the
// CommandExecutor contract of generated/executor.ts) as Command values carrying the view's
// per-call options, so a view made by `withOptions` shares the connections and changes only those.
import { EventEmitter } from 'node:events';
import { inspect } from 'node:util';
import type { CommandInfo, RedisArgument, ReplyShape } from '../../generated/executor.js';
import { allCommandMethods, type AllCommands } from '../../generated/index.js';
import { redactOptions } from '../connection/index.js';
import type { ClientEvents } from '../node/events.js';
import { Node } from '../node/node.js';
import type { RespValue } from '../resp/types.js';
import { rawCommand } from '../runner/build.js';
import { IssuedCommand, type CallOptions } from '../runner/command.js';
import { Runner } from '../runner/runner.js';
import type { RedisBufferClient } from './buffers.js';
import { clientFeatureMethods, type ClientFeatures } from './features.js';
import { resolveClientOptions, type BufferClientOptions, type ClientOptions } from './options.js';

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class RedisClient extends EventEmitter<ClientEvents> {
  /** @internal the server's connections, shared by every view of this client */
  readonly node: Node;
  /** @internal runs every command of every view */
  readonly runner: Runner;
  /** @internal per-call options of this view */
  readonly callOptions: CallOptions | undefined;

  constructor(options?: string | ClientOptions | BufferClientOptions) {
    super();
    const resolved = resolveClientOptions(options);
    this.node = new Node(resolved);
    this.runner = new Runner(this.node, resolved);
    this.callOptions = undefined;
    const forward = this.emit.bind(this) as (event: string, ...args: unknown[]) => boolean;
    for (const event of ['connect', 'ready', 'reconnecting', 'end', 'push'] as const) {
      this.node.events.on(event, (...args: unknown[]) => forward(event, ...args));
    }
    // A background 'error' nobody listens for must not crash the process (Node throws on an
    // unhandled 'error' event): forward it only when the client has a listener.
    this.node.events.on('error', (error) => {
      if (this.listenerCount('error') > 0) forward('error', error);
    });
  }

  /** The CommandExecutor contract: every generated command method calls this. */
  executeCommand(info: CommandInfo, args: RedisArgument[], shape: ReplyShape): Promise<unknown> {
    return this.runner.run(new IssuedCommand(info, args, shape, this.callOptions));
  }

  /** The CommandExecutor contract for a call with a bad argument: nothing is sent. */
  rejectCommand(_info: CommandInfo, error: TypeError): Promise<never> {
    return Promise.reject(error);
  }

  /**
   * Sends any command, including ones the spec lacks, e.g. `sendCommand(['MODULE', 'LIST'])`.
   * The reply is returned as decoded (RESP3 maps as Map, RESP2 as flat arrays). Retry safety
   * comes from the command table; an unknown command counts as a write.
   */
  sendCommand(args: RedisArgument[]): Promise<RespValue> {
    return this.runner.run(rawCommand(args, this.callOptions)) as Promise<RespValue>;
  }

  /**
   * A view of this client whose commands use these per-call options (timeout, AbortSignal,
   * Buffer replies, idempotent). It shares connections with the client; closing either closes both.
   */
  withOptions(options: CallOptions & { returnBuffers: true }): RedisBufferClient;
  withOptions(options: CallOptions & { returnBuffers?: false }): this;
  withOptions(options: CallOptions): this | RedisBufferClient;
  withOptions(options: CallOptions): this | RedisBufferClient {
    const merged = { ...this.callOptions, ...options };
    return Object.create(this, { callOptions: { value: merged, enumerable: false } }) as this;
  }

  /** Connects now instead of on the first command. */
  async connect(): Promise<this> {
    await this.node.connection();
    return this;
  }

  /** Waits for pending replies, then closes every connection. */
  close(): Promise<void> {
    return this.node.close();
  }

  /** Closes every connection now; pending commands reject. */
  disconnect(): void {
    this.node.disconnect();
  }

  get isOpen(): boolean {
    return this.node.current !== undefined;
  }

  get isClosed(): boolean {
    return this.node.closed;
  }

  /** Options as given, with the password and TLS key redacted. */
  toJSON(): Record<string, unknown> {
    return { options: redactOptions(this.node.connectionOptions), open: this.isOpen, closed: this.isClosed };
  }

  [inspect.custom](_depth: number, options: object): string {
    return `RedisClient ${inspect(this.toJSON(), options)}`;
  }
}

// The generated commands, except where a client feature gives the name its real meaning (MULTI
// returns a transaction builder, SUBSCRIBE takes a listener). Features are assigned last for that.
// The merge is the mixin pattern: the methods are assigned to the prototype right below.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface RedisClient extends Omit<AllCommands<'promise'>, keyof ClientFeatures>, ClientFeatures {}
Object.assign(RedisClient.prototype, allCommandMethods, clientFeatureMethods);

/**
 * Creates a client from a URL or options; it connects lazily on the first command. With
 * `returnBuffers: true` every reply carries Buffers instead of strings, and the type says so.
 */
export function createClient(options: BufferClientOptions): RedisBufferClient;
export function createClient(options?: string | ClientOptions): RedisClient;
export function createClient(
  options?: string | ClientOptions | BufferClientOptions,
): RedisClient | RedisBufferClient {
  return new RedisClient(options);
}
