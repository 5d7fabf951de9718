// Lua scripts run by their SHA1 through the generated EVALSHA/EVAL methods: EVALSHA first and,
// when the server answers NOSCRIPT (its script cache was flushed, or it restarted, or never saw
// the script), the source once with EVAL, which also caches it again. Pipelines and transactions
// load the script ahead of the batch instead (the runner does), so an EVALSHA there never runs
// out of order. Read-only scripts use EVALSHA_RO / EVAL_RO, which the command table marks
// read-only: they may be re-sent after a lost reply.
import { createHash } from 'node:crypto';
import type { RedisArgument, RedisKey } from '../../generated/executor.js';
import type { AllCommands } from '../../generated/index.js';
import { NoScriptError } from '../errors.js';
import type { RespValue } from '../resp/types.js';
import { build } from '../runner/build.js';
import type { Command } from '../runner/command.js';

export interface ScriptOptions {
  /** The script only reads (no writes): sent as EVALSHA_RO / EVAL_RO (Redis 7+). */
  readonly?: boolean;
}

/** A host a script runs on: the client, a view of it, or a transaction scope. */
export type ScriptHost = Pick<AllCommands<'promise'>, 'evalsha' | 'evalshaRo' | 'eval' | 'evalRo'>;

/** Numbers go on the wire in their decimal form, as the encoder would send them. */
function words(values: readonly RedisArgument[]): RedisKey[] {
  return values.map((value) =>
    typeof value === 'number' || typeof value === 'bigint' ? String(value) : value,
  );
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

  /** The EVALSHA command for these keys and arguments, as a pipeline or transaction queues it. */
  command(keys: readonly RedisArgument[] = [], args: readonly RedisArgument[] = []): Command {
    const options = { keys: words(keys), arguments: words(args) };
    const evalsha = this.readonly ? build.evalshaRo(this.sha1, options) : build.evalsha(this.sha1, options);
    return { ...evalsha, script: this.source };
  }

  /** Runs the script on a client (or a view of it, or a transaction scope) with the fallback. */
  async runOn(
    host: ScriptHost,
    keys: readonly RedisArgument[] = [],
    args: readonly RedisArgument[] = [],
  ): Promise<T> {
    const options = { keys: words(keys), arguments: words(args) };
    // The generated EVAL family is generic in its reply: T is the caller's word for it.
    try {
      return await (this.readonly
        ? host.evalshaRo<T>(this.sha1, options)
        : host.evalsha<T>(this.sha1, options));
    } catch (error) {
      if (!(error instanceof NoScriptError)) throw error;
      return await (this.readonly
        ? host.evalRo<T>(this.source, options)
        : host.eval<T>(this.source, options));
    }
  }
}

/** A script bound to a client: `await client.script(lua).run(['key'], ['arg'])`. */
export class BoundScript<T = RespValue> extends Script<T> {
  private readonly host: ScriptHost;

  constructor(host: ScriptHost, source: string, options?: ScriptOptions) {
    super(source, options);
    this.host = host;
  }

  /** EVALSHA, falling back to EVAL once when the server does not have the script. */
  run(keys: readonly RedisArgument[] = [], args: readonly RedisArgument[] = []): Promise<T> {
    return this.runOn(this.host, keys, args);
  }
}

/** A script not bound to a client, for `pipeline.runScript(script, keys, args)` and `script.runOn(client, ...)`. */
export function defineScript<T = RespValue>(source: string, options?: ScriptOptions): Script<T> {
  return new Script<T>(source, options);
}
