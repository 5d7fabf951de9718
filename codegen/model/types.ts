// The generator's intermediate model: plain data, one object per generated file and per command,
// holding every decision (names, parameter and option types, printed wire plans, reply types
// and shapes, documentation, command-table facts). Templates only walk it; nothing here is code.
import type { Literal } from './literal.js';

/** One line of a JSDoc block, already escaped (no `*\/` inside). */
export type DocLine = string;

export interface Model {
  /** First line of every generated file. */
  header: string;
  groups: GroupModel[];
  /** Every command of the spec (methods or not), sorted by full name: the command table. */
  table: TableEntry[];
  /** Commands without a method, with the reason (containers, exclusions from overrides). */
  skipped: { command: string; reason: string }[];
  /** Commands whose reply type is `unknown` because neither the spec nor an override says more. */
  untypedReplies: string[];
  /** Unions of method names chosen by a spec fact (NO_MULTI, ...), for hosts to type against. */
  methodUnions: MethodUnion[];
  /** Type text of `RequestPolicy` and `ResponsePolicy` in executor.ts: the tip values the table knows. */
  policyTypes: { request: string; response: string };
}

export interface MethodUnion {
  /** Type alias name, e.g. `NoMultiMethod`. */
  name: string;
  /** One line of JSDoc. */
  docs: DocLine;
  /** Union type text, e.g. `'multi' | 'watch'` (`never` when no command matches). */
  type: string;
}

export interface GroupModel {
  /** Spec group, e.g. `sorted_set`. */
  group: string;
  /** File under generated/commands/ without extension, e.g. `sorted-set`. */
  file: string;
  interfaceName: string;
  mixinName: string;
  commands: CommandModel[];
}

export interface CommandModel {
  /** Full name as the spec spells it: `CLIENT KILL`. */
  name: string;
  method: string;
  docs: DocLine[];
  /** Type declarations this command owns (options, blocks, replies), in output order. */
  declarations: Declaration[];
  /** Interface overloads, most specific first. */
  signatures: Signature[];
  /** Keys of the options object with their type text (the API report's view). */
  options: { key: string; type: string }[];
  /** Parameter list of the implementation, every value `unknown`: `key: unknown, options?: unknown`. */
  implementationParams: string;
  /** The printed wire plan (print-wire.ts): statements that check and send each argument. */
  body: string[];
  /** Module-level constants of the command: ReplyShapes (base, then variants), the Set of its option keys. */
  shape: string;
}

export interface Declaration {
  docs: DocLine[];
  /** e.g. `export interface SetOptions {` ... as full text lines. */
  lines: string[];
}

export interface Signature {
  /** Type parameters, e.g. `<T = EvalReply>` (a generic reply), or none. */
  typeParams?: string;
  /** e.g. `key: RedisKey, value: RedisKey, options?: SetOptions`. */
  params: string;
  /** Reply type name or expression, e.g. `SetReply`. */
  reply: string;
}

/** Command-table facts of one command: the CommandInfo of generated/command-table.ts, as data. */
export interface TableEntry {
  name: string;
  /** Identifier of the per-command constant, e.g. `CLIENT_KILL`. */
  constName: string;
  /** The quoted or bare key in COMMAND_TABLE. */
  key: string;
  /** The CommandInfo (printed by literal.ts; undefined members are facts the command lacks). */
  info: { readonly [key: string]: Literal | undefined };
  /** `info` as TypeScript literal text, for the template. */
  infoText: string;
}
