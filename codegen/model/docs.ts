// JSDoc lines of a command method, from the spec only: summary, complexity, since, deprecation with
// its replacement, and one documentation link per command (valkey.io, for every command alike).
import { docsUrl } from '../naming.js';
import type { SpecCommand } from '../spec-types.js';

/** Text safe inside a JSDoc block: no comment terminator, no line breaks. */
export function docText(text: string): string {
  return text
    .replace(/\*\//g, '*\\/')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

export function commandDocs(fullName: string, command: SpecCommand, remarks: string[]): string[] {
  const lines: string[] = [];
  lines.push(docText(command.summary ?? `The ${fullName} command.`));
  if (command.complexity !== undefined) lines.push('', `Complexity: ${docText(command.complexity)}`);
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
  lines.push(`@see ${docsUrl(fullName)}`);
  return lines;
}
