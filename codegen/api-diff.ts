// The API change between two generated surfaces, as markdown for a pull request: methods added and
// removed, per method the parameter, option, reply-type (expanded TypeScript), deprecation and
// `since` changes, and at the end, collapsed, what changed in the spec without changing the API
// (ACL categories, flags, tips, key specs, arity, docs text). Between a Redis and a Valkey spec it is
// the compatibility report. Pure: two models and two specs in, the same bytes out for the same input.
import { diffSpecs, type SpecCommands } from './diff.js';
import type { MethodSurface } from './model/surface.js';

export interface ApiSide {
  label: string;
  methods: readonly MethodSurface[];
  commands: SpecCommands;
}

const code = (text: string): string => `\`${text.replace(/`/g, "'")}\``;
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function changeLines(old: MethodSurface, now: MethodSurface): string[] {
  const lines: string[] = [];
  if (old.params !== now.params) lines.push(`- parameters: ${code(old.params)} → ${code(now.params)}`);
  const names = [...new Set([...old.options.keys(), ...now.options.keys()])];
  for (const name of names) {
    const before = old.options.get(name);
    const after = now.options.get(name);
    if (before === after) continue;
    if (before === undefined) lines.push(`- option ${code(name)} added: ${code(after ?? '')}`);
    else if (after === undefined) lines.push(`- option ${code(name)} removed (was ${code(before)})`);
    else lines.push(`- option ${code(name)}: ${code(before)} → ${code(after)}`);
  }
  if (old.reply !== now.reply) lines.push(`- reply: ${code(old.reply)} → ${code(now.reply)}`);
  if (old.deprecated === undefined && now.deprecated !== undefined)
    lines.push(`- deprecated: ${now.deprecated}`);
  if (old.deprecated !== undefined && now.deprecated === undefined) lines.push('- no longer deprecated');
  if (old.since !== now.since) lines.push(`- since ${old.since ?? '–'} → ${now.since ?? '–'}`);
  return lines;
}

function methodLine(m: MethodSurface): string {
  const since = m.since === undefined ? '' : `, since ${m.since}`;
  return `- ${code(`${m.method}(${m.params})`)} → ${code(m.reply)} (${m.command}${since})`;
}

/** Commands whose spec changed in ways the API does not show, one line per kind of change. */
function specOnly(old: ApiSide, now: ApiSide, apiChanged: ReadonlySet<string>): string[] {
  const diff = diffSpecs(old.commands, now.commands);
  const kinds = new Map<string, string[]>();
  const add = (kind: string, command: string): void => {
    kinds.set(kind, [...(kinds.get(kind) ?? []), command]);
  };
  for (const c of diff.changed) {
    if (c.aclCategories) add('ACL categories', c.command);
    if (c.flags) add('command flags', c.command);
    if (c.tips) add('tips', c.command);
    if (c.keySpecs) add('key specs', c.command);
    if (c.arity) add('arity', c.command);
    if ((c.arguments.length > 0 || c.reply !== undefined) && !apiChanged.has(c.command))
      add('arguments or reply schema, same TypeScript', c.command);
  }
  for (const [name, before] of old.commands) {
    const after = now.commands.get(name);
    if (after === undefined) continue;
    if (before.summary !== after.summary || before.complexity !== after.complexity) add('docs text', name);
  }
  return [...kinds]
    .sort(([a], [b]) => byCodeUnit(a, b))
    .map(([kind, list]) => `- ${kind} (${list.length}): ${list.sort(byCodeUnit).join(', ')}`);
}

export function renderApiDiff(old: ApiSide, now: ApiSide): string {
  const before = new Map(old.methods.map((m) => [m.method, m]));
  const after = new Map(now.methods.map((m) => [m.method, m]));
  const added = now.methods.filter((m) => !before.has(m.method));
  const removed = old.methods.filter((m) => !after.has(m.method));
  const changed: { method: MethodSurface; lines: string[] }[] = [];
  for (const m of now.methods) {
    const was = before.get(m.method);
    if (was === undefined) continue;
    const lines = changeLines(was, m);
    if (lines.length > 0) changed.push({ method: m, lines });
  }
  const deprecated = changed.filter((c) => c.lines.some((l) => l.startsWith('- deprecated'))).length;
  const out = [
    `# API diff: ${old.label} → ${now.label}`,
    '',
    `${added.length} methods added, ${removed.length} removed, ${changed.length} changed` +
      `${deprecated > 0 ? ` (${deprecated} newly deprecated)` : ''}.`,
  ];
  if (added.length > 0) out.push('', `## Added (${added.length})`, '', ...added.map(methodLine));
  if (removed.length > 0) out.push('', `## Removed (${removed.length})`, '', ...removed.map(methodLine));
  if (changed.length > 0) {
    out.push('', `## Changed (${changed.length})`);
    out.push('');
    // One line per method with one change, a nested list otherwise: two screens, not ten.
    for (const c of changed) {
      const head = `- ${code(c.method.method)} (${c.method.command})`;
      if (c.lines.length === 1) out.push(`${head}: ${(c.lines[0] ?? '').slice(2)}`);
      else out.push(head, ...c.lines.map((l) => `  ${l}`));
    }
  }
  const apiChanged = new Set(changed.map((c) => c.method.command));
  const spec = specOnly(old, now, apiChanged);
  if (spec.length > 0) {
    out.push(
      '',
      '<details>',
      `<summary>Spec-only changes (no change to the API)</summary>`,
      '',
      ...spec,
      '',
      '</details>',
    );
  }
  return `${out.join('\n')}\n`;
}
