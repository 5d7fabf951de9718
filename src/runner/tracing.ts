// Tracing: every command, batch and connect is published on a node:diagnostics_channel
// TracingChannel (redspec:command, redspec:batch, redspec:connect) with OpenTelemetry's database
// span attribute names in its context, for any tracer to subscribe to. Nothing is built while no
// one subscribes. The query text is redacted by the command table: the command's name words, its
// keys and its tokens are kept, every other argument is `?` (values may be secrets), unless the
// client was created with `traceValues: true`.
import { tracingChannel, type TracingChannel } from 'node:diagnostics_channel';
import type { CommandInfo, RedisArgument } from '../../generated/executor.js';
import { findKeyPositions } from '../cluster/keys.js';
import { ReplyError } from '../errors.js';
import type { Command } from './command.js';

/** The context of a redspec:command, redspec:batch or redspec:connect event. */
export interface TraceContext {
  /** 'redis' or 'valkey' (from the handshake; 'redis' before the first one). */
  'db.system.name': string;
  /** The command ('GET', 'CLIENT KILL'), 'PIPELINE' or 'MULTI' for a batch, 'CONNECT'. */
  'db.operation.name': string;
  /** The database index, as text. */
  'db.namespace': string;
  'server.address': string;
  'server.port'?: number;
  /** The command line with values replaced by `?` (`SET user:1 ?`); a batch's lines, one per line. */
  'db.query.text'?: string;
  /** Commands in a batch. */
  'db.operation.batch.size'?: number;
  /** On error: the server's error code (WRONGTYPE, ...) or the error's class name. */
  'db.response.status_code'?: string;
  /** Set by the channel on failure: the error (replies are never put in the context). */
  error?: unknown;
}

export const commandChannel: TracingChannel<object, TraceContext> = tracingChannel('redspec:command');
export const batchChannel: TracingChannel<object, TraceContext> = tracingChannel('redspec:batch');
export const connectChannel: TracingChannel<object, TraceContext> = tracingChannel('redspec:connect');

/** Whether anyone listens (TracingChannel.hasSubscribers is missing before Node 20.13). */
export function traced(channel: TracingChannel<object, TraceContext>): boolean {
  return (
    channel.hasSubscribers ??
    (channel.start.hasSubscribers ||
      channel.end.hasSubscribers ||
      channel.asyncStart.hasSubscribers ||
      channel.asyncEnd.hasSubscribers ||
      channel.error.hasSubscribers)
  );
}

/** Where the calls go: the server's address and database, and what it said it is. */
export interface TraceTarget {
  readonly address: string;
  readonly port: number | undefined;
  readonly db: number;
  system(): string;
}

function text(arg: RedisArgument): string {
  return Buffer.isBuffer(arg) ? arg.toString('utf8') : String(arg);
}

/** What a command's query text keeps besides its keys: its name words, and its tokens. */
interface QueryPlan {
  readonly words: number;
  readonly tokens: ReadonlySet<string>;
}
const queryPlans = new WeakMap<CommandInfo, QueryPlan>();

function queryPlan(info: CommandInfo): QueryPlan {
  let plan = queryPlans.get(info);
  if (plan === undefined) {
    plan = { words: info.name.split(' ').length, tokens: new Set(info.tokens) };
    queryPlans.set(info, plan);
  }
  return plan;
}

const WITH_NOT_KEYS = { includeNotKeys: true } as const;
const NO_KEYS: readonly number[] = [];
/** From this many keys on, the kept positions are looked up in a Set rather than the list. */
const KEY_SET_MIN = 16;

/**
 * A command line for a span: name words, keys and tokens as sent; other arguments `?` unless
 * `values`. Built on every traced call, so in one pass, with what depends only on the command
 * worked out once per command (queryPlan).
 */
export function queryText(info: CommandInfo, args: readonly RedisArgument[], values: boolean): string {
  let out = '';
  if (values) {
    for (let i = 0; i < args.length; i++) out += i === 0 ? text(args[i]!) : ` ${text(args[i]!)}`;
    return out;
  }
  const { words, tokens } = queryPlan(info);
  let keys: readonly number[] = NO_KEYS;
  try {
    keys = findKeyPositions(info, args, WITH_NOT_KEYS).positions;
  } catch {
    // Arguments that contradict the key specs: keep no key rather than guess.
  }
  // A long key list is looked up through a Set, so that MSET of thousands stays linear.
  const keySet = keys.length >= KEY_SET_MIN ? new Set(keys) : undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const shown =
      i < words || (keySet === undefined ? keys.includes(i) : keySet.has(i))
        ? text(arg)
        : typeof arg === 'string' && tokens.size > 0 && tokens.has(arg.toUpperCase())
          ? arg
          : '?';
    out += i === 0 ? shown : ` ${shown}`;
  }
  return out;
}

function statusCode(error: unknown): string {
  if (error instanceof ReplyError) return error.code;
  return error instanceof Error ? error.name : 'Error';
}

function context(target: TraceTarget, operation: string): TraceContext {
  const ctx: TraceContext = {
    'db.system.name': target.system(),
    'db.operation.name': operation,
    'db.namespace': String(target.db),
    'server.address': target.address,
  };
  if (target.port !== undefined) ctx['server.port'] = target.port;
  return ctx;
}

/**
 * Runs `call` inside a channel's trace. The error's status code goes into the context first; the
 * reply does not go into it at all (it may be a secret): the traced promise settles without it.
 */
function trace<T>(
  channel: TracingChannel<object, TraceContext>,
  ctx: TraceContext,
  call: () => Promise<T>,
): Promise<T> {
  let reply: T | undefined;
  return channel
    .tracePromise(
      () =>
        call().then(
          (value) => {
            reply = value;
          },
          (error: unknown) => {
            ctx['db.response.status_code'] = statusCode(error);
            throw error;
          },
        ),
      ctx,
    )
    .then(() => reply as T);
}

export function traceCommand<T>(
  target: TraceTarget,
  command: Command,
  values: boolean,
  call: () => Promise<T>,
) {
  const ctx = context(target, command.info.name);
  ctx['db.query.text'] = queryText(command.info, command.args, values);
  return trace(commandChannel, ctx, call);
}

export function traceBatch<T>(
  target: TraceTarget,
  commands: readonly Command[],
  atomic: boolean,
  values: boolean,
  call: () => Promise<T>,
) {
  const ctx = context(target, atomic ? 'MULTI' : 'PIPELINE');
  ctx['db.operation.batch.size'] = commands.length;
  ctx['db.query.text'] = commands.map((c) => queryText(c.info, c.args, values)).join('\n');
  return trace(batchChannel, ctx, call);
}

export function traceConnect<T>(target: TraceTarget, call: () => Promise<T>): Promise<T> {
  return trace(connectChannel, context(target, 'CONNECT'), call);
}
