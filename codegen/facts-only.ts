// What of a spec under a licence that is not the repository's may be committed (spec/README.md,
// "Licences"): the facts a client needs (names, arguments, tokens, types, flags, ACL categories,
// tips, key specs, arity, since, deprecation, reply structure) and none of the prose (summaries,
// complexity text, history notes, replacement text, key-spec notes, reply-schema descriptions).
// Pure: returns a copy.
import type { ReplySchema, SpecArgument, SpecCommand } from './spec-types.js';

const PROSE_KEYS = ['summary', 'complexity', 'history', 'replaced_by'] as const;

function argumentFacts(arg: SpecArgument): SpecArgument {
  const { summary: _, ...rest } = arg;
  return rest.arguments === undefined ? rest : { ...rest, arguments: rest.arguments.map(argumentFacts) };
}

/** A JSON Schema without `description` (and `$comment`) keywords, anywhere in it. */
export function schemaFacts(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(schemaFacts);
  if (typeof schema !== 'object' || schema === null) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // `properties` maps names to schemas: a property called "description" is a fact, kept.
    if (key === 'properties' || key === 'patternProperties') {
      out[key] = Object.fromEntries(
        Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, schemaFacts(v)]),
      );
    } else if (key !== 'description' && key !== '$comment') out[key] = schemaFacts(value);
  }
  return out;
}

export function commandFacts(command: SpecCommand): SpecCommand {
  const out: SpecCommand = { ...command };
  for (const key of PROSE_KEYS) delete out[key];
  if (out.arguments !== undefined) out.arguments = out.arguments.map(argumentFacts);
  if (out.key_specs !== undefined) out.key_specs = out.key_specs.map(({ notes: _, ...k }) => k);
  if (out.reply_schema !== undefined) out.reply_schema = schemaFacts(out.reply_schema) as ReplySchema;
  return out;
}
