// The public surface of a model as plain data, per method: parameters, options with their types,
// the reply type expanded to the TypeScript it names, since, deprecation and servers. Read by the
// API report (generated/API.md) and by `api:diff`, so both show what a caller sees, not the spec.
// Pure: works on the model's declaration text only.
import type { CommandModel, Model } from './types.js';

export interface MethodSurface {
  method: string;
  command: string;
  /** Parameters of the most general overload, e.g. `key: RedisKey, options?: SetOptions`. */
  params: string;
  /** Option name → type text, in declaration order. */
  options: Map<string, string>;
  /** Reply type of the most general overload, expanded (no `…Reply` names left). */
  reply: string;
  since?: string;
  deprecated?: string;
  /** The JSDoc's `Servers:` line, when the surface merges several servers. */
  servers?: string;
}

/** Type text on one line without its JSDoc comments (descriptions are not the type). */
const withoutComments = (text: string): string =>
  text
    .replace(/\/\*\*[\s\S]*?\*\/\s*/g, '')
    .replace(/\s+/g, ' ')
    .trim();

/** `export type XReply = T;` → XReply: T, from a command's declarations. */
function declared(command: CommandModel): { types: Map<string, string> } {
  const types = new Map<string, string>();
  for (const d of command.declarations) {
    const alias = /^export type (\w+Reply) = ([\s\S]*);$/.exec(d.lines.join('\n'));
    if (alias?.[1] !== undefined && alias[2] !== undefined) types.set(alias[1], withoutComments(alias[2]));
  }
  return { types };
}

/** Replaces the command's own type names in `text` by what they name (parenthesised unions). */
export function expand(text: string, types: ReadonlyMap<string, string>): string {
  let out = text;
  for (let depth = 0; depth < 4; depth++) {
    const next = out.replace(/\b[A-Z]\w*Reply\b/g, (name) => {
      const t = types.get(name);
      if (t === undefined) return name;
      return / \| /.test(t) && text !== name ? `(${t})` : t;
    });
    if (next === out) break;
    out = next;
  }
  return out.replace(/; }/g, ' }');
}

function docValue(command: CommandModel, tag: string): string | undefined {
  const line = command.docs.find((l) => l.startsWith(`${tag} `) || l.startsWith(`${tag}:`));
  return line?.slice(tag.length + 1).trim();
}

export function methodSurfaces(model: Model): MethodSurface[] {
  const out: MethodSurface[] = [];
  for (const group of model.groups) {
    for (const command of group.commands) {
      const { types } = declared(command);
      const options = new Map(command.options.map((o) => [o.key, o.type.replace(/\s+/g, ' ')]));
      const general = command.signatures[command.signatures.length - 1];
      const surface: MethodSurface = {
        method: command.method,
        command: command.name,
        params: general?.params ?? '',
        options,
        reply: expand(general?.reply ?? 'unknown', types),
      };
      const since = docValue(command, '@since');
      if (since !== undefined) surface.since = since;
      const deprecated = docValue(command, '@deprecated');
      if (deprecated !== undefined) surface.deprecated = deprecated;
      const servers = docValue(command, 'Servers');
      if (servers !== undefined) surface.servers = servers;
      out.push(surface);
    }
  }
  return out.sort((a, b) => (a.method < b.method ? -1 : a.method > b.method ? 1 : 0));
}

/** Every reply type name of the model → its expanded text (for the API report). */
export function replyTexts(model: Model): Map<string, string> {
  const out = new Map<string, string>();
  for (const group of model.groups) {
    for (const command of group.commands) {
      const { types } = declared(command);
      for (const name of types.keys()) out.set(name, expand(name, types));
    }
  }
  return out;
}
