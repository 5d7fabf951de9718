// Small helpers that build TypeScript type and literal text for the model: unions without
// duplicates, array types with the parentheses they need, token literals in both letter cases.
import { quote } from '../naming.js';

/** Index of the quote closing the string literal that opens at `start` (escapes skipped). */
function skipString(type: string, start: number): number {
  for (let i = start + 1; i < type.length; i++) {
    if (type[i] === '\\') i++;
    else if (type[i] === "'") return i;
  }
  return type.length;
}

/** True when `type` has a `|` or `&` outside any brackets, so `T[]` needs `(T)[]`. */
function hasTopLevelOperator(type: string): boolean {
  let depth = 0;
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    if (c === '(' || c === '[' || c === '{' || c === '<') depth++;
    else if (c === ')' || c === ']' || c === '}' || c === '>') depth--;
    else if (c === "'") i = skipString(type, i);
    else if ((c === '|' || c === '&') && depth === 0) return true;
  }
  return false;
}

export function arrayOf(type: string): string {
  return hasTopLevelOperator(type) ? `(${type})[]` : `${type}[]`;
}

/** Union of the given types, first occurrence kept; `never` for none. */
export function union(types: readonly string[]): string {
  const seen: string[] = [];
  for (const t of types) {
    for (const part of splitUnion(t)) if (!seen.includes(part)) seen.push(part);
  }
  if (seen.length === 0) return 'never';
  if (seen.includes('unknown')) return 'unknown';
  // A literal next to its base type adds nothing ('PONG' | string is string).
  const absorbed = seen.filter(
    (t) => !((seen.includes('string') && t.startsWith("'")) || (seen.includes('number') && /^-?\d/.test(t))),
  );
  return absorbed.join(' | ');
}

/** Splits a type at its top-level `|` (so unions flatten without duplicates). */
function splitUnion(type: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < type.length; i++) {
    const c = type[i];
    if (c === '(' || c === '[' || c === '{' || c === '<') depth++;
    else if (c === ')' || c === ']' || c === '}' || c === '>') depth--;
    else if (c === "'") i = skipString(type, i);
    else if (c === '|' && depth === 0) {
      parts.push(type.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(type.slice(start).trim());
  return parts.filter((p) => p.length > 0);
}

/** The literal values a token is accepted as at the type level: upper case, lower case, as spelled. */
export function tokenSpellings(token: string): string[] {
  const out: string[] = [];
  // Upper case first whatever the spec's spelling, so a pull and an import give the same type text.
  for (const t of [token.toUpperCase(), token.toLowerCase(), token]) if (!out.includes(t)) out.push(t);
  return out;
}

/** `'NX' | 'nx'`. */
export function tokenLiteralType(token: string): string {
  return tokenSpellings(token).map(quote).join(' | ');
}

/** `v === 'NX' || v === 'nx'`. */
export function tokenTest(expr: string, token: string): string {
  return tokenSpellings(token)
    .map((t) => `${expr} === ${quote(t)}`)
    .join(' || ');
}
