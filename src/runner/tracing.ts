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

/** A command line for a span: name words, keys and tokens as sent; other arguments `?` unless `values`. */
export function queryText(info: CommandInfo, args: readonly RedisArgument[], values: boolean): string {
  if (values) return args.map(text).join(' ');
  const keep = new Set<number>();
  const words = info.name.split(' ').length;
  for (let i = 0; i < words && i < args.length; i++) keep.add(i);
  try {
    for (const at of findKeyPositions(info, args, { includeNotKeys: true }).positions) keep.add(at);
  } catch {
    // Arguments that contradict the key specs: keep no key rather than guess.
  }
  const tokens = info.tokens;
  return args
    .map((arg, i) => {
      if (keep.has(i)) return text(arg);
      if (typeof arg === 'string' && tokens.length > 0 && tokens.includes(arg.toUpperCase())) return arg;
      return '?';
    })
    .join(' ');
}

function statusCode(error: unknown): string {
  if (error instanceof ReplyError) return error.code;
  return error instanceof Error ? error.name : 'Error';
}

function context(target: TraceTarget, operation: string): TraceContext {
  return {
    'db.system.name': target.system(),
    'db.operation.name': operation,
    'db.namespace': String(target.db),
    'server.address': target.address,
    ...(target.port === undefined ? {} : { 'server.port': target.port }),
  };
}

/**
 * Runs `call` inside a channel's trace. The error's status code goes into the context first; the
 * reply does not go into it at all (it may be a secret): the traced promise settles without it.
 */
async function trace<T>(
  channel: TracingChannel<object, TraceContext>,
  ctx: TraceContext,
  call: () => Promise<T>,
): Promise<T> {
  let reply: T | undefined;
  await channel.tracePromise(
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
  );
  return reply as T;
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
