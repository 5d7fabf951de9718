// The one error shape of spec loading, import and validation: a file, a JSON pointer into it and a
// message. Stages collect these instead of throwing so every fault of a spec is reported at once.

export interface SpecError {
  /** File the fault is in, relative to the working directory, e.g. spec/commands/zadd.json. */
  path: string;
  /** RFC 6901 JSON pointer into that file ('' for the whole document), e.g. /ZADD/arguments/3/type. */
  pointer: string;
  message: string;
}

/** Escapes one reference token of a JSON pointer (RFC 6901: `~` → `~0`, `/` → `~1`). */
export function pointerToken(token: string | number): string {
  return String(token).replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Joins reference tokens into a JSON pointer. */
export function pointer(...tokens: (string | number)[]): string {
  return tokens.map((t) => `/${pointerToken(t)}`).join('');
}

/** One line per error: `<path>#<pointer>: <message>`. */
export function formatErrors(errors: readonly SpecError[]): string {
  return errors.map((e) => `${e.path}#${e.pointer}: ${e.message}`).join('\n');
}
