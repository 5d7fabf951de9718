// The API change between two specs, as data and as a markdown report: commands added and removed,
// newly deprecated commands, and per command the argument, reply schema, flag, arity and key-spec
// changes. Pure: both specs come in as maps from full command name ("CLIENT KILL") to command,
// and the output is sorted by code unit so the same inputs always give the same bytes.
import type { LoadedSpecFile, SpecArgument, SpecCommand } from './spec-types.js';

/** A spec as the diff sees it: full command name → command. */
export type SpecCommands = ReadonlyMap<string, SpecCommand>;

export type ArgumentField = 'type' | 'optional' | 'multiple' | 'multiple_token' | 'token';

export interface FieldChange<T> {
  readonly old: T;
  readonly new: T;
}

export interface ArgumentChange {
  /** Argument names from the top level down, joined by '.', e.g. "expiration.ex". */
  readonly path: string;
  readonly kind: 'added' | 'removed' | 'changed';
  /** For 'changed': each field that differs (absent optional/multiple count as false). */
  readonly fields?: { readonly [F in ArgumentField]?: FieldChange<string | boolean | undefined> };
}

export interface SetChange {
  readonly added: readonly string[];
  readonly removed: readonly string[];
}

export interface CommandChange {
  readonly command: string;
  readonly arguments: readonly ArgumentChange[];
  /** reply_schema appeared, disappeared or changed. */
  readonly reply?: 'added' | 'removed' | 'changed';
  readonly arity?: FieldChange<number>;
  readonly flags?: SetChange;
  readonly aclCategories?: SetChange;
  readonly tips?: SetChange;
  /** The key specs differ (positions, search, flags): cluster routing of the command changes. */
  readonly keySpecs?: boolean;
}

export interface DeprecatedCommand {
  readonly command: string;
  readonly since?: string;
  readonly replacedBy?: string;
}

export interface SpecDiff {
  readonly added: readonly string[];
  readonly removed: readonly string[];
  /** Deprecated in the new spec, present and not deprecated in the old one. */
  readonly deprecated: readonly DeprecatedCommand[];
  /** Commands present in both whose surface changed (commands without changes are left out). */
  readonly changed: readonly CommandChange[];
}

/** Keys loaded spec files by full command name: the container first for subcommands. */
export function commandsByName(files: readonly LoadedSpecFile[]): Map<string, SpecCommand> {
  return new Map(
    files.map((f) => [f.command.container ? `${f.command.container} ${f.name}` : f.name, f.command]),
  );
}

const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** JSON with object keys sorted, so equal schemas compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => byCodeUnit(a, b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'undefined';
}

function setChange(
  old: readonly string[] | undefined,
  now: readonly string[] | undefined,
): SetChange | undefined {
  const before = new Set(old ?? []);
  const after = new Set(now ?? []);
  const added = [...after].filter((x) => !before.has(x)).sort(byCodeUnit);
  const removed = [...before].filter((x) => !after.has(x)).sort(byCodeUnit);
  return added.length || removed.length ? { added, removed } : undefined;
}

function isDeprecated(command: SpecCommand): boolean {
  return command.deprecated_since !== undefined || (command.doc_flags ?? []).includes('DEPRECATED');
}

const FIELDS: readonly ArgumentField[] = ['type', 'token', 'optional', 'multiple', 'multiple_token'];

function fieldValue(arg: SpecArgument, field: ArgumentField): string | boolean | undefined {
  if (field === 'optional' || field === 'multiple' || field === 'multiple_token') return arg[field] ?? false;
  return arg[field];
}

/** Arguments are matched by name among their siblings (names are unique there in the format). */
function diffArguments(
  old: readonly SpecArgument[] | undefined,
  now: readonly SpecArgument[] | undefined,
  prefix: string,
  out: ArgumentChange[],
): void {
  const before = new Map((old ?? []).map((a) => [a.name, a]));
  const after = new Map((now ?? []).map((a) => [a.name, a]));
  for (const [name, arg] of before) {
    if (!after.has(name)) out.push({ path: prefix + name, kind: 'removed' });
    else {
      const next = after.get(name) as SpecArgument;
      const fields: { [F in ArgumentField]?: FieldChange<string | boolean | undefined> } = {};
      for (const field of FIELDS) {
        const a = fieldValue(arg, field);
        const b = fieldValue(next, field);
        if (a !== b) fields[field] = { old: a, new: b };
      }
      if (Object.keys(fields).length) out.push({ path: prefix + name, kind: 'changed', fields });
      diffArguments(arg.arguments, next.arguments, `${prefix}${name}.`, out);
    }
  }
  for (const name of after.keys()) if (!before.has(name)) out.push({ path: prefix + name, kind: 'added' });
}

function diffCommand(name: string, old: SpecCommand, now: SpecCommand): CommandChange | undefined {
  const args: ArgumentChange[] = [];
  diffArguments(old.arguments, now.arguments, '', args);
  args.sort((a, b) => byCodeUnit(a.path, b.path));
  const change: {
    -readonly [K in keyof CommandChange]: CommandChange[K];
  } = { command: name, arguments: args };
  if (old.reply_schema === undefined && now.reply_schema !== undefined) change.reply = 'added';
  else if (old.reply_schema !== undefined && now.reply_schema === undefined) change.reply = 'removed';
  else if (canonical(old.reply_schema) !== canonical(now.reply_schema)) change.reply = 'changed';
  if (old.arity !== now.arity) change.arity = { old: old.arity, new: now.arity };
  const flags = setChange(old.command_flags, now.command_flags);
  if (flags) change.flags = flags;
  const acl = setChange(old.acl_categories, now.acl_categories);
  if (acl) change.aclCategories = acl;
  const tips = setChange(old.command_tips, now.command_tips);
  if (tips) change.tips = tips;
  const keys = (c: SpecCommand) => canonical((c.key_specs ?? []).map(({ notes: _notes, ...spec }) => spec));
  if (keys(old) !== keys(now)) change.keySpecs = true;
  return Object.keys(change).length > 2 || args.length ? change : undefined;
}

export function diffSpecs(old: SpecCommands, now: SpecCommands): SpecDiff {
  const added = [...now.keys()].filter((n) => !old.has(n)).sort(byCodeUnit);
  const removed = [...old.keys()].filter((n) => !now.has(n)).sort(byCodeUnit);
  const deprecated: DeprecatedCommand[] = [];
  const changed: CommandChange[] = [];
  for (const name of [...now.keys()].filter((n) => old.has(n)).sort(byCodeUnit)) {
    const before = old.get(name) as SpecCommand;
    const after = now.get(name) as SpecCommand;
    if (isDeprecated(after) && !isDeprecated(before)) {
      deprecated.push({
        command: name,
        ...(after.deprecated_since === undefined ? {} : { since: after.deprecated_since }),
        ...(after.replaced_by === undefined ? {} : { replacedBy: after.replaced_by }),
      });
    }
    const change = diffCommand(name, before, after);
    if (change) changed.push(change);
  }
  return { added, removed, deprecated, changed };
}

// ---- markdown ------------------------------------------------------------------------------------

/** Spec text on one line: a newline would end the list item it is in. */
const inline = (text: string): string => text.replace(/\s+/g, ' ').trim();

/** A value as a code span; one holding a backtick needs a double-backtick fence. */
function code(text: string): string {
  const value = inline(text);
  return value.includes('`') ? `\`\` ${value} \`\`` : `\`${value}\``;
}

const show = (value: string | boolean | undefined): string =>
  value === undefined ? '(none)' : typeof value === 'boolean' ? String(value) : code(value);

function describeCommand(command: SpecCommand | undefined): string {
  if (!command) return '';
  const facts = [command.group, command.since === undefined ? undefined : `since ${command.since}`].filter(
    Boolean,
  );
  const summary = command.summary === undefined ? '' : `: ${inline(command.summary)}`;
  return `${facts.length ? ` (${facts.join(', ')})` : ''}${summary}`;
}

function setLine(label: string, change: SetChange | undefined): string[] {
  if (!change) return [];
  const parts = [...change.added.map((x) => `+${x}`), ...change.removed.map((x) => `-${x}`)];
  return [`- ${label}: ${parts.join(' ')}`];
}

function argumentLine(change: ArgumentChange): string {
  if (change.kind !== 'changed') return `- argument ${code(change.path)} ${change.kind}`;
  const fields = Object.entries(change.fields ?? {}).map(
    ([field, c]) => `${field} ${show(c.old)} → ${show(c.new)}`,
  );
  return `- argument ${code(change.path)}: ${fields.join('; ')}`;
}

export interface ReportLabels {
  readonly old: string;
  readonly new: string;
}

/** The markdown report; `old`/`new` give the command details (group, since, summary) for listings. */
export function renderDiffReport(
  diff: SpecDiff,
  labels: ReportLabels,
  old: SpecCommands,
  now: SpecCommands,
): string {
  const lines: string[] = [`# Spec diff: ${labels.old} → ${labels.new}`, ''];
  lines.push(
    `${diff.added.length} added, ${diff.removed.length} removed, ${diff.deprecated.length} newly deprecated, ` +
      `${diff.changed.length} changed.`,
  );
  const section = (title: string, items: string[]) => {
    lines.push('', `## ${title} (${items.length})`, '');
    lines.push(...(items.length ? items : ['None.']));
  };
  section(
    'Added commands',
    diff.added.map((n) => `- \`${n}\`${describeCommand(now.get(n))}`),
  );
  section(
    'Removed commands',
    diff.removed.map((n) => `- \`${n}\`${describeCommand(old.get(n))}`),
  );
  section(
    'Newly deprecated commands',
    diff.deprecated.map(
      (d) =>
        `- \`${d.command}\`${d.since ? ` since ${d.since}` : ''}${d.replacedBy ? `, replaced by ${inline(d.replacedBy)}` : ''}`,
    ),
  );
  lines.push('', `## Changed commands (${diff.changed.length})`);
  if (!diff.changed.length) lines.push('', 'None.');
  for (const change of diff.changed) {
    lines.push('', `### \`${change.command}\``, '');
    lines.push(...change.arguments.map(argumentLine));
    if (change.reply) lines.push(`- reply schema ${change.reply}`);
    if (change.arity) lines.push(`- arity ${change.arity.old} → ${change.arity.new}`);
    lines.push(...setLine('flags', change.flags));
    lines.push(...setLine('ACL categories', change.aclCategories));
    lines.push(...setLine('tips', change.tips));
    if (change.keySpecs) lines.push('- key specs changed');
  }
  return lines.join('\n') + '\n';
}
