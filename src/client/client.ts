// The client users hold: the core's state plus every generated command mixed in. Commands reach
// the core through `executeCommand` (the CommandExecutor contract of generated/executor.ts), so
// a view made by `withOptions` shares the connection and only changes per-call options.
import { EventEmitter } from 'node:events';
import { inspect } from 'node:util';
import type { CommandInfo, RedisArgument, ReplyShape } from '../../generated/executor.js';
import { allCommandMethods, type AllCommands } from '../../generated/index.js';
import { lookupCommand } from '../../generated/command-table.js';
import { redactOptions } from '../connection/index.js';
import type { RespValue } from '../resp/types.js';
import type { RedisBufferClient } from './buffers.js';
import { ClientCore, type CallOptions, type ClientEvents } from './core.js';
import { clientFeatureMethods, type ClientFeatures } from './features.js';
import { resolveClientOptions, type BufferClientOptions, type ClientOptions } from './options.js';

const ANY: ReplyShape = { kind: 'any' };

/** A command the spec does not describe: treated as a write (never re-sent once written). */
function unknownCommand(name: string): CommandInfo {
  return {
    name,
    arity: 0,
    flags: [],
    aclCategories: [],
    tips: [],
    readonly: false,
    write: true,
    blocking: false,
    noMulti: false,
    pubsub: false,
    subscriber: false,
    transactionControl: false,
    cacheable: false,
    keySpecs: [],
  };
}

function argName(arg: RedisArgument | undefined): string {
  if (arg === undefined) return '';
  return (Buffer.isBuffer(arg) ? arg.toString('latin1') : String(arg)).toUpperCase();
}

/** The command-table entry for a raw argument list (`['CLIENT', 'KILL', ...]` finds CLIENT KILL). */
export function commandInfoFor(args: readonly RedisArgument[]): CommandInfo {
  const first = argName(args[0]);
  if (args.length > 1) {
    const sub = lookupCommand(`${first} ${argName(args[1])}`);
    if (sub) return sub;
  }
  return lookupCommand(first) ?? unknownCommand(first);
}

// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class RedisClient extends EventEmitter<ClientEvents> {
  /** @internal shared by every view of this client */
  readonly core: ClientCore;
  /** @internal per-call options of this view */
  readonly callOptions: CallOptions | undefined;

  constructor(options?: string | ClientOptions | BufferClientOptions) {
    super();
    this.core = new ClientCore(resolveClientOptions(options));
    this.callOptions = undefined;
    const forward = this.emit.bind(this) as (event: string, ...args: unknown[]) => boolean;
    for (const event of ['connect', 'ready', 'reconnecting', 'end', 'push'] as const) {
      this.core.events.on(event, (...args: unknown[]) => forward(event, ...args));
    }
    // A background 'error' nobody listens for must not crash the process (Node throws on an
    // unhandled 'error' event): forward it only when the client has a listener.
    this.core.events.on('error', (error) => {
      if (this.listenerCount('error') > 0) forward('error', error);
    });
  }

  /** The CommandExecutor contract: every generated command method calls this. */
  executeCommand(command: CommandInfo, args: RedisArgument[], reply: ReplyShape): Promise<unknown> {
    return this.core.execute(command, args, reply, this.callOptions);
  }

  /**
   * Sends any command, including ones the spec lacks, e.g. `sendCommand(['MODULE', 'LIST'])`.
   * The reply is returned as decoded (RESP3 maps as Map, RESP2 as flat arrays). Retry safety
   * comes from the command table; an unknown command counts as a write.
   */
  sendCommand(args: RedisArgument[]): Promise<RespValue> {
    return this.core.execute(commandInfoFor(args), args, ANY, this.callOptions) as Promise<RespValue>;
  }

  /**
   * A view of this client whose commands use these per-call options (timeout, AbortSignal,
   * Buffer replies, idempotent). It shares connections with the client; closing either closes both.
   */
  withOptions(options: CallOptions & { returnBuffers: true }): RedisBufferClient;
  withOptions(options: CallOptions & { returnBuffers?: false }): this;
  withOptions(options: CallOptions): this | RedisBufferClient {
    const merged = { ...this.callOptions, ...options };
    return Object.create(this, { callOptions: { value: merged, enumerable: false } }) as this;
  }

  /** Connects now instead of on the first command. */
  async connect(): Promise<this> {
    await this.core.connection();
    return this;
  }

  /** Waits for pending replies, then closes every connection. */
  close(): Promise<void> {
    return this.core.close();
  }

  /** Closes every connection now; pending commands reject. */
  disconnect(): void {
    this.core.disconnect();
  }

  get isOpen(): boolean {
    return this.core.current !== undefined;
  }

  get isClosed(): boolean {
    return this.core.closed;
  }

  /** Options as given, with the password and TLS key redacted. */
  toJSON(): Record<string, unknown> {
    return { options: redactOptions(this.core.connectionOptions), open: this.isOpen, closed: this.isClosed };
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
