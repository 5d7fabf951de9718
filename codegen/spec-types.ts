// TypeScript view of the upstream per-command spec format (redis/valkey src/commands/*.json), the
// format spec/commands/ is kept in. The JSON Schema in spec/schema/ is the authority; these types
// mirror it so every stage after validation works on typed data.

export type ArgumentType =
  'string' | 'integer' | 'double' | 'key' | 'pattern' | 'unix-time' | 'pure-token' | 'oneof' | 'block';

export interface SpecArgument {
  name: string;
  type: ArgumentType;
  display?: string;
  token?: string;
  summary?: string;
  since?: string;
  deprecated_since?: string;
  key_spec_index?: number;
  optional?: boolean;
  multiple?: boolean;
  multiple_token?: boolean;
  arguments?: SpecArgument[];
  /** Set by the merge of several servers' specs, never in a file: which servers accept it. */
  availability?: Availability[];
}

/** One server of a merged spec that has a command or argument, and since which of its versions. */
export interface Availability {
  server: string;
  /** The server release the spec was taken from, e.g. 8.1.1. */
  version: string;
  since?: string;
}

export type BeginSearch =
  { index: { pos: number } } | { keyword: { keyword: string; startfrom: number } } | { unknown: null };

export type FindKeys =
  | { range: { lastkey: number; step: number; limit: number } }
  | { keynum: { keynumidx: number; firstkey: number; step: number } }
  | { unknown: null };

export interface KeySpec {
  notes?: string;
  flags: string[];
  begin_search: BeginSearch;
  find_keys: FindKeys;
}

/** A JSON Schema (draft 2019-09) describing the RESP3 reply; `true`/`false` are valid schemas. */
export type ReplySchema = boolean | { [keyword: string]: unknown };

export interface SpecCommand {
  summary?: string;
  complexity?: string;
  group: string;
  since?: string;
  arity: number;
  container?: string;
  module?: string;
  history?: [string, string][];
  deprecated_since?: string;
  replaced_by?: string;
  doc_flags?: string[];
  command_flags?: string[];
  acl_categories?: string[];
  command_tips?: string[];
  key_specs?: KeySpec[];
  arguments?: SpecArgument[];
  reply_schema?: ReplySchema;
  /** Present in server source trees only; kept when imported, never needed by the client. */
  function?: string;
  get_keys_function?: string;
  /** Set by the merge of several servers' specs, never in a file: which servers have it. */
  availability?: Availability[];
}

/** One spec file: a single top-level key, the command (or subcommand) name. */
export type SpecFile = Record<string, SpecCommand>;

/** A loaded spec file with where it came from (for error messages). */
export interface LoadedSpecFile {
  /** Path relative to the repository, e.g. spec/commands/zadd.json. */
  path: string;
  name: string;
  command: SpecCommand;
}

export interface SpecSource {
  server: string;
  version: string;
  obtained: 'pull' | 'import';
  from: string;
  date?: string;
  counts: { commands: number; subcommands: number; withReplySchema: number; files: number };
  /**
   * Other servers' specs merged into this one's surface, each a spec directory below this one
   * (`{ "dir": "redis", "server": "redis", "version": "8.0.2" }`), with its own SOURCE.json.
   */
  also?: MergedSource[];
}

export interface MergedSource {
  dir: string;
  server: string;
  version: string;
}

/** spec/overrides/*.json: facts the upstream spec lacks, each with a reason. */
export interface OverrideFile {
  overrides: Override[];
}

export interface Override {
  /** Full command name as in the spec, e.g. "BLPOP" or "CLIENT KILL". */
  command: string;
  reason: string;
  /** Method name to use instead of the naming rule. */
  method?: string;
  /** Leave the command out of the generated surface. */
  exclude?: boolean;
  /** Unit of the blocking timeout argument, by argument name. */
  blockingTimeout?: { argument: string; unit: 'seconds' | 'milliseconds' };
  /** Arguments that accept more than their spec type says (a SCAN cursor as a string). */
  widenArguments?: ArgumentWidening[];
  /** The cluster rule for combining the replies of a RESPONSE_POLICY:SPECIAL command. */
  specialResponse?: 'by-node' | 'first-non-null';
  /** A reply schema where the spec has none (or a wrong one). */
  reply_schema?: ReplySchema;
  /** Reply variants chosen by arguments, for overloads (SET GET, ZRANGE WITHSCORES, ...). */
  replyVariants?: ReplyVariant[];
  /** The method takes a type parameter for its reply (EVAL: whatever the script returns). */
  genericReply?: true;
}

export interface ArgumentWidening {
  /** Argument path (names joined by '.'), an integer or unix-time argument. */
  argument: string;
  /** `string`: the argument also takes a string, sent as given. */
  accepts: 'string';
}

export interface ReplyVariant {
  /** Argument path (names joined by '.') that must be given/true for this variant. */
  when: string;
  /** Optional exact token value for oneof choices, e.g. "GET". */
  equals?: string;
  /** Reply type name shared by variants with one reply_schema (GEOSEARCH WITHCOORD/WITHDIST/WITHHASH). */
  name?: string;
  reply_schema: ReplySchema;
}
