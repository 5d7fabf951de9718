// One surface for several servers: merges the primary spec (spec/, e.g. Valkey) with the specs its
// SOURCE.json lists under `also` (e.g. spec/redis/), before the model. Rules (spec/README.md):
// a command exists when any server has it; the primary's description, flags, key specs and tips
// win where both have a command (the command table stays one server's facts, plus `availability`);
// arguments are the union, recursively (paired by name and token, by token, or by place; one only
// one server has is optional, keeps its place after its left neighbour and says which server has
// it; one of another shape under a name or token the first server uses is left out); replies are
// the union of the servers' reply schemas (`anyOf`, descriptions aside, each alternative naming
// its servers). Every merged command and every argument not all servers have carries
// `availability`. Pure.
import { schemaFacts } from './facts-only.js';
import { serverName } from './naming.js';
import type { LoadedSpec } from './load.js';
import type { Availability, LoadedSpecFile, ReplySchema, SpecArgument, SpecCommand } from './spec-types.js';

interface Side {
  server: string;
  version: string;
}

const fullName = (f: LoadedSpecFile): string =>
  f.command.container === undefined ? f.name : `${f.command.container} ${f.name}`;

function availability(side: Side, since: string | undefined): Availability {
  return since === undefined ? { server: side.server, version: side.version } : { ...side, since };
}

/** An argument only some servers take: optional (unless it is one choice of a oneof), and marked. */
function only(arg: SpecArgument, inOneof: boolean, where: Availability[]): SpecArgument {
  return { ...arg, ...(inOneof ? {} : { optional: true }), availability: where };
}

/**
 * Pairs each argument of `base` with the same argument of `other`, in three passes: same name (any
 * case) and token; same token and type (Redis 7.0's XCLAIM `id` for LASTID is 8.0's `lastid`); same
 * place, type, token and optionality (Valkey's `primary-name`, Redis's `master-name`).
 */
function pairArguments(
  base: readonly SpecArgument[],
  other: readonly SpecArgument[],
): Map<SpecArgument, SpecArgument> {
  const pairs = new Map<SpecArgument, SpecArgument>();
  const taken = new Set<SpecArgument>();
  const pass = (match: (a: SpecArgument, o: SpecArgument, i: number, j: number) => boolean): void => {
    base.forEach((arg, i) => {
      if (pairs.has(arg)) return;
      const j = other.findIndex((o, k) => !taken.has(o) && match(arg, o, i, k));
      const twin = other[j];
      if (twin === undefined) return;
      pairs.set(arg, twin);
      taken.add(twin);
    });
  };
  pass((a, o) => a.name.toLowerCase() === o.name.toLowerCase() && a.token === o.token);
  pass((a, o) => a.token !== undefined && a.token === o.token && a.type === o.type);
  pass(
    (a, o, i, j) =>
      i === j && a.type === o.type && a.token === o.token && (a.optional ?? false) === (o.optional ?? false),
  );
  return pairs;
}

function mergeArguments(
  base: readonly SpecArgument[],
  other: readonly SpecArgument[],
  sides: { base: Side[]; other: Side },
  inOneof = false,
): SpecArgument[] {
  const pairs = pairArguments(base, other);
  const paired = new Set(pairs.values());
  const out: SpecArgument[] = [];
  const twinOf = new Map<SpecArgument, SpecArgument>(); // other's argument → merged one
  for (const arg of base) {
    const twin = pairs.get(arg);
    if (twin === undefined) {
      out.push(only(arg, inOneof, arg.availability ?? sides.base.map((s) => availability(s, arg.since))));
      continue;
    }
    const merged: SpecArgument = { ...arg };
    if (arg.availability !== undefined)
      merged.availability = [...arg.availability, availability(sides.other, twin.since)];
    if (arg.arguments !== undefined && twin.arguments !== undefined && arg.type === twin.type)
      merged.arguments = mergeArguments(arg.arguments, twin.arguments, sides, arg.type === 'oneof');
    out.push(merged);
    twinOf.set(twin, merged);
  }
  // Arguments only the other server has, each after the argument it follows there.
  // An argument of another shape under a name or token the first server uses (Redis 7.0's GEORADIUS
  // `store` key beside 8.0's `store` oneof, CLIENT KILL's SKIPME) is left out: the first server's
  // shape wins.
  const names = new Set(base.map((a) => a.name.toLowerCase()));
  const tokens = new Set(base.flatMap((a) => (a.token === undefined ? [] : [a.token.toUpperCase()])));
  other.forEach((arg, i) => {
    if (paired.has(arg) || names.has(arg.name.toLowerCase())) return;
    if (arg.token !== undefined && tokens.has(arg.token.toUpperCase())) return;
    const before = other
      .slice(0, i)
      .reverse()
      .find((a) => twinOf.has(a) || out.includes(a));
    const anchor = before === undefined ? undefined : (twinOf.get(before) ?? before);
    const at = anchor === undefined ? 0 : out.indexOf(anchor) + 1;
    const added = only(arg, inOneof, [availability(sides.other, arg.since)]);
    out.splice(at, 0, added);
    twinOf.set(arg, added);
  });
  return out;
}

const canonical = (schema: unknown): string => JSON.stringify(schemaFacts(schema));

/**
 * The union of the sides' reply schemas: one when they agree (descriptions aside), else anyOf. A
 * server whose spec has no reply schema for the command is taken to reply as the others say.
 */
function mergeReplies(
  replies: { sides: readonly Side[]; schema: ReplySchema | undefined }[],
): ReplySchema | undefined {
  const distinct: { sides: Side[]; schema: ReplySchema }[] = [];
  for (const { sides, schema } of replies) {
    if (schema === undefined) continue;
    const same = distinct.find((d) => canonical(d.schema) === canonical(schema));
    if (same === undefined) distinct.push({ sides: [...sides], schema });
    else same.sides.push(...sides);
  }
  if (distinct.length <= 1) return distinct[0]?.schema;
  // Each alternative says whose it is; the JSDoc of the reply type lists them.
  return {
    anyOf: distinct.map(({ sides, schema }) => {
      if (typeof schema === 'boolean') return schema;
      const who = sides.map((s) => `${serverName(s.server)} ${s.version}`).join(', ');
      const said = typeof schema.description === 'string' ? `: ${schema.description}` : '.';
      return { ...schema, description: `${who}${said}` };
    }),
  };
}

/**
 * The merged files of a spec: its own when SOURCE.json merges nothing, else one file per command
 * any server has (path of the first server that has it), with `availability` on each.
 */
export function mergedFiles(spec: LoadedSpec): LoadedSpecFile[] {
  const primary: Side = { server: spec.source?.server ?? '', version: spec.source?.version ?? '' };
  const others = (spec.also ?? []).map((s) => ({
    side: { server: s.source?.server ?? '', version: s.source?.version ?? '' },
    files: s.files,
  }));
  if (others.length === 0) return spec.files;
  const byName = new Map<string, { file: LoadedSpecFile; sides: Side[] }>();
  const add = (files: readonly LoadedSpecFile[], side: Side): void => {
    for (const file of files) {
      const name = fullName(file);
      const seen = byName.get(name);
      if (seen === undefined) {
        const command: SpecCommand = {
          ...file.command,
          availability: [availability(side, file.command.since)],
        };
        byName.set(name, { file: { ...file, command }, sides: [side] });
        continue;
      }
      const base = seen.file.command;
      const command: SpecCommand = {
        ...base,
        availability: [...(base.availability ?? []), availability(side, file.command.since)],
      };
      if (base.arguments !== undefined || file.command.arguments !== undefined) {
        command.arguments = mergeArguments(base.arguments ?? [], file.command.arguments ?? [], {
          base: seen.sides,
          other: side,
        });
      }
      const reply = mergeReplies([
        { sides: seen.sides, schema: base.reply_schema },
        { sides: [side], schema: file.command.reply_schema },
      ]);
      if (reply === undefined) delete command.reply_schema;
      else command.reply_schema = reply;
      seen.file = { ...seen.file, command };
      seen.sides.push(side);
    }
  };
  add(spec.files, primary);
  for (const other of others) add(other.files, other.side);
  return [...byName.values()]
    .map((v) => v.file)
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
