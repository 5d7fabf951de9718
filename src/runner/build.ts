// The client's own commands (MULTI, EXEC, WATCH, UNWATCH, SCRIPT LOAD, EVALSHA, SUBSCRIBE, ASKING,
// READONLY, ...) built as Command values by the generated methods themselves, so their wire form
// and table entry come from the spec like every user command's. Also the table lookup for raw
// argument lists (sendCommand). The one module src/ builds commands through.
import type { CommandInfo, RedisArgument, ReplyShape } from '../../generated/executor.js';
import { allCommandMethods, type AllCommands } from '../../generated/index.js';
import { lookupCommand } from '../../generated/command-table.js';
import { IssuedCommand, type CallOptions, type Command } from './command.js';

declare module '../../generated/executor.js' {
  // The parameter list must match the declaration being merged, even where T and Acc are unused.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  interface ResultKinds<T, Acc extends unknown[]> {
    /** A command method on the builder returns the Command value it describes. */
    command: Command;
  }
}

class CommandBuilder {
  executeCommand(info: CommandInfo, args: RedisArgument[], shape: ReplyShape): Command {
    return new IssuedCommand(info, args, shape, undefined);
  }

  /** src/ builds its own commands from values it checked: a bad one is a bug, thrown at once. */
  rejectCommand(_info: CommandInfo, error: TypeError): never {
    throw error;
  }
}
Object.assign(CommandBuilder.prototype, allCommandMethods);

/** Every generated command method, returning its Command instead of running it. */
export const build = new CommandBuilder() as unknown as AllCommands<'command'>;

/** The reply as decoded: for commands the spec does not describe (sendCommand). */
export const AS_DECODED: ReplyShape = { kind: 'any' };

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
    tokens: [],
    keySpecs: [],
  };
}

function word(arg: RedisArgument | undefined): string {
  if (arg === undefined) return '';
  return (Buffer.isBuffer(arg) ? arg.toString('latin1') : String(arg)).toUpperCase();
}

/** The command-table entry for a raw argument list (`['CLIENT', 'KILL', ...]` finds CLIENT KILL). */
export function commandInfoFor(args: readonly RedisArgument[]): CommandInfo {
  const first = word(args[0]);
  if (args.length > 1) {
    const sub = lookupCommand(`${first} ${word(args[1])}`);
    if (sub) return sub;
  }
  return lookupCommand(first) ?? unknownCommand(first);
}

/** A raw argument list as a Command (sendCommand on any host), with the issuing view's options. */
export function rawCommand(args: readonly RedisArgument[], options?: CallOptions): Command {
  return new IssuedCommand(commandInfoFor(args), args, AS_DECODED, options);
}
