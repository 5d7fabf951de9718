// The one naming rule of the generator: spec names (commands, arguments, groups) to TypeScript
// identifiers. Lowercase, then camelCase on space, `-`, `.`, `_`, `|`: GET→get, CLIENT KILL→clientKill,
// FT.SEARCH→ftSearch. Every identifier in generated/ that comes from the spec is made here.

import { ModelError } from './model/model-error.js';

const SEPARATORS = /[ \-._|]+/;

/** Words that cannot be a parameter or local variable name (they are fine as method or property names). */
const RESERVED = new Set([
  'arguments',
  'await',
  'break',
  'case',
  'catch',
  'class',
  'const',
  'continue',
  'debugger',
  'default',
  'delete',
  'do',
  'else',
  'enum',
  'eval',
  'export',
  'extends',
  'false',
  'finally',
  'for',
  'function',
  'if',
  'implements',
  'import',
  'in',
  'instanceof',
  'interface',
  'let',
  'new',
  'null',
  'package',
  'private',
  'protected',
  'public',
  'return',
  'static',
  'super',
  'switch',
  'this',
  'throw',
  'true',
  'try',
  'typeof',
  'var',
  'void',
  'while',
  'with',
  'yield',
]);

function words(name: string): string[] {
  return name
    .toLowerCase()
    .split(SEPARATORS)
    .filter((w) => w.length > 0);
}

/** `CLIENT KILL` → `clientKill`, `FT.SEARCH` → `ftSearch`, `unix-time-seconds` → `unixTimeSeconds`. */
export function camelCase(name: string): string {
  const parts = words(name);
  const out = parts.map((w, i) => (i === 0 ? w : w.charAt(0).toUpperCase() + w.slice(1))).join('');
  // Spec names are letters, digits and separators; anything else (or a leading digit) cannot be an identifier.
  if (!/^[A-Za-z_$][\w$]*$/.test(out))
    throw new ModelError(`cannot make an identifier from spec name '${name}'`);
  return out;
}

/** `zrange` → `Zrange`, `client kill` → `ClientKill`. */
export function pascalCase(name: string): string {
  const camel = camelCase(name);
  return camel.charAt(0).toUpperCase() + camel.slice(1);
}

/** Method name of a command by its full name: `CLIENT KILL` → `clientKill`. */
export function methodName(fullName: string): string {
  return camelCase(fullName);
}

/** Parameter (or local) name of an argument: camelCase, reserved words get an `Arg` suffix (`function` → `functionArg`). */
export function parameterName(argumentName: string): string {
  const camel = camelCase(argumentName);
  return RESERVED.has(camel) ? `${camel}Arg` : camel;
}

/** Key of an argument in an options or block object: camelCase (reserved words are valid property names). */
export function propertyName(argumentName: string): string {
  return camelCase(argumentName);
}

/** A method name as the start of a type name: `clientKill` → `ClientKill`. */
function typePrefix(method: string): string {
  return method.charAt(0).toUpperCase() + method.slice(1);
}

/** `<Method>Options`: `clientKill` → `ClientKillOptions`. */
export function optionsTypeName(method: string): string {
  return `${typePrefix(method)}Options`;
}

/** `<Method>Reply`, or `<Method><Variant>Reply` for an argument-dependent reply variant (`SetGetReply`). */
export function replyTypeName(method: string, variant?: string): string {
  return `${typePrefix(method)}${variant === undefined ? '' : pascalCase(variant)}Reply`;
}

/** Spec group to file name: `sorted_set` or `sorted-set` → `sorted-set`. */
export function groupFileName(group: string): string {
  return words(group).join('-');
}

/** Spec group to its interface: `sorted_set` → `SortedSetCommands`. */
export function groupInterfaceName(group: string): string {
  return `${pascalCase(group)}Commands`;
}

/** Spec group to its mixin object: `sorted_set` → `sortedSetCommandMethods`. */
export function groupMixinName(group: string): string {
  return `${camelCase(group)}CommandMethods`;
}

/** A property key as written in a type or object literal: bare when an identifier, quoted otherwise. */
export function propertyKey(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : quote(key);
}

/** A single-quoted TypeScript string literal. */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n').replace(/\r/g, '\\r')}'`;
}

/** Display name of a server: `valkey` → `Valkey`. */
export function serverName(server: string): string {
  return server === 'redis' ? 'Redis' : server === 'valkey' ? 'Valkey' : server;
}

/**
 * Documentation link of a command on its server's site: `CLIENT KILL` →
 * https://valkey.io/commands/client-kill/ (Valkey, the default) or
 * https://redis.io/docs/latest/commands/client-kill/ (Redis).
 */
export function docsUrl(fullName: string, server = 'valkey'): string {
  const page = words(fullName).join('-');
  return server === 'redis'
    ? `https://redis.io/docs/latest/commands/${page}/`
    : `https://valkey.io/commands/${page}/`;
}
