// Writing commands on one connection, for the runner and its leases: a single command, a pipeline
// (with the SCRIPT LOADs its EVALSHAs need ahead of it) and a MULTI ... EXEC unpacked into its
// slots. Every batch is issued in one synchronous loop, so the connection writes it as one
// contiguous run (its auto-pipelining flushes a tick's commands together, in order). The only
// module besides the node core that calls Connection.send.
import type { BatchOutcomes, Connection, FailureHandler, SendOptions } from '../connection/index.js';
import { ExecAbortError, ReplyError, WatchError, replyErrorFrom } from '../errors.js';
import { decodesAsObject, normalizeReply } from '../reply/normalize.js';
import type { RespValue } from '../resp/types.js';
import { build } from './build.js';
import type { Command } from './command.js';

const AS_OBJECT: SendOptions = { asObject: true };

/**
 * Sends one command. A reply whose shape is a plain object of strings (HGETALL, CONFIG GET) is
 * decoded straight into that object, so normalising it has nothing left to do.
 */
export function send(
  conn: Connection,
  command: Command,
  options?: SendOptions,
  failure?: FailureHandler,
): Promise<RespValue> {
  if (decodesAsObject(command.shape)) {
    options = options === undefined ? AS_OBJECT : { ...options, asObject: true };
  }
  return conn.send(command.info.name, command.args, options, failure, command);
}

/**
 * SCRIPT LOAD for every distinct script of the batch, ahead of it on the same connection: the
 * EVALSHAs that follow then find their scripts, so a pipeline never has to re-run one after
 * NOSCRIPT (which would reorder it after the commands queued behind it). A failed load shows up
 * as NOSCRIPT in the script's own slot.
 */
function preloadScripts(
  conn: Connection,
  batch: readonly Command[],
  options: SendOptions,
): Promise<RespValue>[] {
  const seen = new Set<string>();
  const loads: Promise<RespValue>[] = [];
  for (const command of batch) {
    if (command.script === undefined || seen.has(command.script)) continue;
    seen.add(command.script);
    loads.push(send(conn, build.scriptLoad(command.script), { ...options, returnBuffers: false }));
  }
  return loads;
}

/**
 * Writes a pipeline; each slot gets its raw reply (error replies as values) or its failure. The
 * commands go through one sendEach: no promise per command.
 */
export async function writePipeline(
  conn: Connection,
  batch: readonly Command[],
  options: SendOptions,
): Promise<BatchOutcomes> {
  const raw: SendOptions = { ...options, raw: true };
  const loads = preloadScripts(conn, batch, raw);
  const sent = sendAll(conn, batch, raw);
  await Promise.allSettled(loads);
  return sent;
}

/** Every command of `batch` through one sendEach, in order, with `raw` (and asObject where its shape wants it). */
function sendAll(conn: Connection, batch: readonly Command[], raw: SendOptions): Promise<BatchOutcomes> {
  const rawObject: SendOptions = { ...raw, asObject: true };
  return conn.sendEach(
    batch.map((command) => command.info.name),
    batch.map((command) => command.args),
    (i) => (decodesAsObject((batch[i] as Command).shape) ? rawObject : raw),
  );
}

/**
 * Sends MULTI, the commands and EXEC, and resolves with EXEC's replies normalised slot by slot
 * (a command that failed while executing holds its ReplyError). Rejects with WatchError when a
 * WATCHed key changed, with ExecAbortError (cause: the refused command's error) when the server
 * refused a queued command, and with EXEC's own failure when the connection failed.
 */
export async function writeTransaction(
  conn: Connection,
  queue: readonly Command[],
  options: SendOptions,
): Promise<unknown[]> {
  const raw = { ...options, raw: true };
  const loads = preloadScripts(conn, queue, raw);
  // Queued in this order in one tick: one write, MULTI first and EXEC last.
  const multi = send(conn, build.multi(), raw);
  const queued = sendAll(conn, queue, raw);
  const exec = send(conn, build.exec(), raw);
  const early = await Promise.allSettled([...loads, multi]);
  const outcomes = await queued;
  const reply = await exec;
  const multiOutcome = early[loads.length] as PromiseSettledResult<RespValue>;
  if (multiOutcome.status === 'fulfilled' && multiOutcome.value instanceof ReplyError)
    throw multiOutcome.value;
  if (reply === null) {
    throw new WatchError('EXEC: a WATCHed key changed; the transaction was discarded', { command: 'EXEC' });
  }
  if (reply instanceof ExecAbortError) throw execAbort(reply, outcomes, queue);
  if (reply instanceof ReplyError) throw reply;
  if (!Array.isArray(reply))
    throw new TypeError('EXEC: the server answered with something other than a list');
  return queue.map((command, i) => {
    const value = reply[i] as RespValue;
    // Replies nested in EXEC's array are named by their own command, not by EXEC.
    if (value instanceof ReplyError) return replyErrorFrom(value.message, command.info.name);
    return normalizeReply(value, command.shape);
  });
}

/** EXECABORT: the server refused a queued command; that command's own error becomes the cause. */
function execAbort(
  error: ExecAbortError,
  outcomes: BatchOutcomes,
  queue: readonly Command[],
): ExecAbortError {
  for (let i = 0; i < queue.length; i++) {
    const refused = outcomes.values[i];
    if (outcomes.errors[i] === undefined && refused instanceof ReplyError) {
      const command = (queue[i] as Command).info.name;
      return new ExecAbortError(error.message, {
        command: 'EXEC',
        cause: refused.command === command ? refused : replyErrorFrom(refused.message, command),
      });
    }
  }
  return error;
}
