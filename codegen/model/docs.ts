// JSDoc lines of a command method, from the spec only: summary, complexity, since, deprecation with
// its replacement, which servers have it (a merged spec) and a documentation link on the site of
// each server that has it.
import { docsUrl, serverName } from '../naming.js';
import type { Availability, SpecCommand } from '../spec-types.js';

/** `Redis 8.0.2 (since 8.0.0) only` / `Valkey 8.1.1 (since 2.0.0), Redis 8.0.2 (since 2.0.0)`. */
export function availabilityText(availability: readonly Availability[], all: number): string {
  const text = availability
    .map((a) => `${serverName(a.server)} ${a.version}${a.since === undefined ? '' : ` (since ${a.since})`}`)
    .join(', ');
  return availability.length < all ? `Only ${text}.` : `${text}.`;
}

/** Text safe inside a JSDoc block: no comment terminator, no line breaks. */
export function docText(text: string): string {
  return text
    .replace(/\*\//g, '*\\/')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

export function commandDocs(
  fullName: string,
  command: SpecCommand,
  remarks: string[],
  servers: { primary: string; all: number } = { primary: 'valkey', all: 1 },
): string[] {
  const lines: string[] = [];
  lines.push(docText(command.summary ?? `The ${fullName} command.`));
  if (command.complexity !== undefined) lines.push('', `Complexity: ${docText(command.complexity)}`);
  if (command.availability !== undefined && servers.all > 1)
    lines.push('', `Servers: ${availabilityText(command.availability, servers.all)}`);
  if (remarks.length > 0) lines.push('', `@remarks ${remarks.map(docText).join(' ')}`);
  if (command.since !== undefined) lines.push(`@since ${command.since}`);
  if (
    command.deprecated_since !== undefined ||
    command.doc_flags?.some((f) => f.toLowerCase() === 'deprecated')
  ) {
    const since = command.deprecated_since === undefined ? '' : ` since ${command.deprecated_since}`;
    const replacement =
      command.replaced_by === undefined ? '' : `: use ${docText(command.replaced_by)} instead`;
    lines.push(`@deprecated Deprecated${since}${replacement}.`);
  }
  for (const server of command.availability?.map((a) => a.server) ?? [servers.primary])
    lines.push(`@see ${docsUrl(fullName, server)}`);
  return lines;
}
