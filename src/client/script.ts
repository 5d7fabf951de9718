// Lua scripts run by their SHA1: EVALSHA first and, when the server answers NOSCRIPT (its script
// cache was flushed, or it restarted, or never saw the script), the source once with EVAL, which
// also caches it again. Pipelines and transactions load the script ahead of the batch instead
// (see batch.ts), so an EVALSHA there never runs out of order. Read-only scripts use EVALSHA_RO /
// EVAL_RO, which the command table marks read-only: they may be re-sent after a lost reply.
import { createHash } from 'node:crypto';
import type { CommandExecutor, RedisArgument, ReplyShape } from '../../generated/executor.js';
import { NoScriptError } from '../errors.js';
import type { RespValue } from '../resp/types.js';
import { tableEntry, type QueuedCommand } from './batch.js';

const ANY: ReplyShape = { kind: 'any' };

export interface ScriptOptions {
  /** The script only reads (no writes): sent as EVALSHA_RO / EVAL_RO (Redis 7+). */
  readonly?: boolean;
}

/**
 * A Lua script, identified by the SHA1 of its source. `T` is what its reply decodes to (the
 * server's reply as decoded: strings, numbers, arrays, null), declared by the caller.
 */
export class Script<T = RespValue> {
  readonly source: string;
  readonly sha1: string;
  readonly readonly: boolean;

  constructor(source: string, options: ScriptOptions = {}) {
    this.source = source;
    this.sha1 = createHash('sha1').update(source).digest('hex');
    this.readonly = options.readonly === true;
  }

  /** The EVALSHA call for these keys and arguments, as a pipeline or transaction queues it. */
  queued(keys: readonly RedisArgument[] = [], args: readonly RedisArgument[] = []): QueuedCommand {
    const name = this.readonly ? 'EVALSHA_RO' : 'EVALSHA';
    return {
      info: tableEntry(name),
      args: [name, this.sha1, keys.length, ...keys, ...args],
      shape: ANY,
      script: this.source,
    };
  }

  /** Runs the script on a client (or a view of it, or a transaction scope) with the fallback. */
  async runOn(
    host: CommandExecutor,
    keys: readonly RedisArgument[] = [],
    args: readonly RedisArgument[] = [],
  ): Promise<T> {
    const call = this.queued(keys, args);
    try {
      return (await host.executeCommand(call.info, call.args, ANY)) as T;
    } catch (error) {
      if (!(error instanceof NoScriptError)) throw error;
      const name = this.readonly ? 'EVAL_RO' : 'EVAL';
      const wire: RedisArgument[] = [name, this.source, keys.length, ...keys, ...args];
      return (await host.executeCommand(tableEntry(name), wire, ANY)) as T;
    }
  }
}

/** A script bound to a client: `await client.script(lua).run(['key'], ['arg'])`. */
export class BoundScript<T = RespValue> extends Script<T> {
  readonly #host: CommandExecutor;

  constructor(host: CommandExecutor, source: string, options?: ScriptOptions) {
    super(source, options);
    this.#host = host;
  }

  /** EVALSHA, falling back to EVAL once when the server does not have the script. */
  run(keys: readonly RedisArgument[] = [], args: readonly RedisArgument[] = []): Promise<T> {
    return this.runOn(this.#host, keys, args);
  }
}

/** A script not bound to a client, for `pipeline.runScript(script, keys, args)` and `script.runOn(client, ...)`. */
export function defineScript<T = RespValue>(source: string, options?: ScriptOptions): Script<T> {
  return new Script<T>(source, options);
}
