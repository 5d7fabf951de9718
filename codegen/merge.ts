// One surface for several servers: merges the primary spec (spec/, e.g. Valkey) with the specs its
// SOURCE.json lists under `also` (e.g. spec/redis/), before the model. Rules (spec/README.md):
// a command exists when any server has it; the primary's description, flags, key specs and tips
// win where both have a command (the command table stays one server's facts, plus `availability`);
// arguments are the union by name, recursively (an argument only one server has is optional, keeps
// its place after its left neighbour and says which server has it); replies are the union of the
// servers' reply schemas (`anyOf`, descriptions aside). Every merged command and every argument
// not all servers have carries `availability`. Pure.
import { schemaFacts } from './facts-only.js';
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

function mergeArguments(
  base: readonly SpecArgument[],
  other: readonly SpecArgument[],
  sides: { base: Side[]; other: Side },
  inOneof = false,
): SpecArgument[] {
  const out: SpecArgument[] = [];
  const otherByName = new Map(other.map((a) => [a.name, a]));
  const baseNames = new Set(base.map((a) => a.name));
  // The same argument under another name (Valkey's `primary-name`, Redis's `master-name`): same
  // place, type, token and optionality, and neither name known to the other side. The first name wins.
  base.forEach((arg, i) => {
    const twin = other[i];
    if (
      twin !== undefined &&
      twin.name !== arg.name &&
      !otherByName.has(arg.name) &&
      !baseNames.has(twin.name) &&
      twin.type === arg.type &&
      twin.token === arg.token &&
      (twin.optional ?? false) === (arg.optional ?? false)
    ) {
      otherByName.delete(twin.name);
      otherByName.set(arg.name, twin);
      baseNames.add(twin.name);
    }
  });
  for (const arg of base) {
    const twin = otherByName.get(arg.name);
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
  }
  // Arguments only the other server has, each after the argument it follows there.
  other.forEach((arg, i) => {
    if (baseNames.has(arg.name)) return;
    const before = other
      .slice(0, i)
      .reverse()
      .find((a) => out.some((o) => o.name === a.name));
    const at = before === undefined ? 0 : out.findIndex((o) => o.name === before.name) + 1;
    out.splice(at, 0, only(arg, inOneof, [availability(sides.other, arg.since)]));
  });
  return out;
}

const canonical = (schema: unknown): string => JSON.stringify(schemaFacts(schema));

/**
 * The union of the sides' reply schemas: one when they agree (descriptions aside), else anyOf. A
 * server whose spec has no reply schema for the command is taken to reply as the others say.
 */
function mergeReplies(schemas: (ReplySchema | undefined)[]): ReplySchema | undefined {
  const distinct: ReplySchema[] = [];
  for (const schema of schemas) {
    if (schema === undefined) continue;
    if (!distinct.some((d) => canonical(d) === canonical(schema))) distinct.push(schema);
  }
  if (distinct.length <= 1) return distinct[0];
  return { anyOf: distinct };
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
      const reply = mergeReplies([base.reply_schema, file.command.reply_schema]);
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
