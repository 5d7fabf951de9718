// Redis Cluster hash slots: CRC16 (XMODEM: polynomial 0x1021, initial value 0, no reflection)
// of the key's bytes modulo 16384, where a non-empty hash tag `{...}` (from the first '{' to the
// first '}' after it) replaces the key so related keys can share a slot. Strings hash as UTF-8.

export const SLOT_COUNT = 16384;

const TABLE = (() => {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++)
      crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
    table[byte] = crc;
  }
  return table;
})();

/** CRC16/XMODEM of bytes [start, end) of `data`. */
export function crc16(data: Uint8Array, start = 0, end = data.length): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ (data[i] as number)) & 0xff] as number);
  }
  return crc;
}

const OPEN = 0x7b; // '{'
const CLOSE = 0x7d; // '}'

/** CRC16 of an ASCII string's characters [start, end): its UTF-8 bytes are the same. */
function crc16Ascii(text: string, start: number, end: number): number {
  let crc = 0;
  for (let i = start; i < end; i++) {
    crc = ((crc << 8) & 0xffff) ^ (TABLE[((crc >> 8) ^ text.charCodeAt(i)) & 0xff] as number);
  }
  return crc;
}

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

/** The cluster slot (0..16383) a key belongs to. */
export function keySlot(key: string | Buffer): number {
  // ASCII keys (the usual case) are hashed in place, without encoding them to a Buffer.
  if (typeof key === 'string' && isAscii(key)) {
    const open = key.indexOf('{');
    if (open !== -1) {
      const close = key.indexOf('}', open + 1);
      if (close > open + 1) return crc16Ascii(key, open + 1, close) & (SLOT_COUNT - 1);
    }
    return crc16Ascii(key, 0, key.length) & (SLOT_COUNT - 1);
  }
  const bytes = typeof key === 'string' ? Buffer.from(key, 'utf8') : key;
  const open = bytes.indexOf(OPEN);
  if (open !== -1) {
    const close = bytes.indexOf(CLOSE, open + 1);
    // An empty tag ("{}") does not count: the whole key is hashed.
    if (close > open + 1) return crc16(bytes, open + 1, close) & (SLOT_COUNT - 1);
  }
  return crc16(bytes) & (SLOT_COUNT - 1);
}
