// Parsers for the one-line RESP scalars (integers, lengths, doubles, big numbers). They read a byte
// range [start, end) of a buffer, making no intermediate string on the common paths, and return
// undefined (or NaN for lengths) on malformed input so the decoder can raise a ProtocolError that
// carries the offset. Integers are numbers when Number.isSafeInteger, bigints beyond that.

const MINUS = 45;
const PLUS = 43;
const ZERO = 48;
const NINE = 57;

/** `:` payload: a signed decimal integer; number when safe, bigint otherwise. */
export function parseInteger(b: Buffer, start: number, end: number): number | bigint | undefined {
  let i = start;
  let negative = false;
  const sign = b[i];
  if (sign === MINUS) {
    negative = true;
    i++;
  } else if (sign === PLUS) {
    i++;
  }
  if (i === end) return undefined;
  if (end - i <= 15) {
    // Up to 15 digits always fits a double exactly.
    let n = 0;
    for (; i < end; i++) {
      const c = b[i] as number;
      if (c < ZERO || c > NINE) return undefined;
      n = n * 10 + (c - ZERO);
    }
    return negative ? (n === 0 ? 0 : -n) : n;
  }
  for (let j = i; j < end; j++) {
    const c = b[j] as number;
    if (c < ZERO || c > NINE) return undefined;
  }
  const big = BigInt(b.toString('latin1', i, end));
  const value = negative ? -big : big;
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(value)
    : value;
}

/** A length after `$*%~>|!=;`: -1, or a non-negative integer of at most 15 digits; NaN if malformed. */
export function parseLength(b: Buffer, start: number, end: number): number {
  if (start === end) return NaN;
  if (b[start] === MINUS) return end - start === 2 && b[start + 1] === ZERO + 1 ? -1 : NaN;
  if (end - start > 15) return NaN;
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = b[i] as number;
    if (c < ZERO || c > NINE) return NaN;
    n = n * 10 + (c - ZERO);
  }
  return n;
}

const DOUBLE = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** `,` payload: decimal with optional exponent, or inf / -inf / nan (any case). */
export function parseDouble(b: Buffer, start: number, end: number): number | undefined {
  const text = b.toString('latin1', start, end);
  if (DOUBLE.test(text)) return Number(text);
  switch (text.toLowerCase()) {
    case 'inf':
    case '+inf':
      return Infinity;
    case '-inf':
      return -Infinity;
    case 'nan':
    case '-nan':
    case '+nan':
      return NaN;
    default:
      return undefined;
  }
}

const BIG = /^[+-]?\d+$/;

/** `(` payload: an arbitrary-precision signed integer, always a bigint. */
export function parseBigNumber(b: Buffer, start: number, end: number): bigint | undefined {
  const text = b.toString('latin1', start, end);
  if (!BIG.test(text)) return undefined;
  return BigInt(text.charCodeAt(0) === PLUS ? text.slice(1) : text);
}
