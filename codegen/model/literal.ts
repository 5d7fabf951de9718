// One printer of plain data as TypeScript literal text: the command table's entries are typed
// values in the model, and this turns them into `{ name: 'GET', arity: 2, flags: ['readonly'] }`.
// Keys keep their order; undefined members are left out (an optional fact the command lacks).
import { propertyKey, quote } from '../naming.js';

export type Literal =
  string | number | boolean | readonly Literal[] | { readonly [key: string]: Literal | undefined };

export function printLiteral(value: Literal): string {
  if (typeof value === 'string') return quote(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `[${(value as readonly Literal[]).map(printLiteral).join(', ')}]`;
  const entries = Object.entries(value as { readonly [key: string]: Literal | undefined }).flatMap(
    ([k, v]) => (v === undefined ? [] : [`${propertyKey(k)}: ${printLiteral(v)}`]),
  );
  return entries.length === 0 ? '{}' : `{ ${entries.join(', ')} }`;
}
