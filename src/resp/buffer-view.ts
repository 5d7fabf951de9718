// Buffer views of a chunk, made for a fraction of Buffer#slice's cost.
//
// A Buffer-mode reply is a view of the chunk it arrived in, one per value: for small values, making
// that view is most of the decoder's time. Buffer#slice builds it through Node's FastBuffer class,
// whose explicit constructor V8 does not elide, after normalising both offsets (about 34 ns on
// Node 20); a class that only extends Uint8Array is built directly by V8's typed-array constructor
// (about 13 ns). Its prototype chain runs through Buffer.prototype and its `constructor` is Buffer,
// so a view is a Buffer to every check and method: Buffer.isBuffer, instanceof, toString, equals,
// inspection, `constructor`, and the species that subarray() and slice() of it use.

// Made by an arrow function so that no build step can give the class a name of its own: a `name`
// redefined on it (esbuild's keepNames, which tsx uses, does so in a static block) made V8 drop every
// optimised compilation of the code that builds views, leaving the decoder eight times slower.
const BufferView = (() => class extends Uint8Array {})();
Object.setPrototypeOf(BufferView.prototype, Buffer.prototype);
Object.defineProperty(BufferView.prototype, 'constructor', {
  value: Buffer,
  writable: true,
  enumerable: false,
  configurable: true,
});
// setPrototypeOf leaves BufferView.prototype in dictionary mode, and code that reads through a
// dictionary-mode prototype never stays optimised (V8 drops every compilation that depends on its
// map). A property load through an instance makes V8 turn the prototypes it walks back into fast
// mode.
void (new BufferView(0) as unknown as Buffer).toString;

/**
 * A Buffer of `length` bytes of `memory` from `offset` on (`memory` and `offset` being a chunk's
 * `buffer` and `byteOffset` plus the start, which a caller making many views of one chunk reads once:
 * those getters cost as much as the view itself).
 */
export function viewIn(memory: ArrayBuffer, offset: number, length: number): Buffer {
  return new BufferView(memory, offset, length) as unknown as Buffer;
}

/** A Buffer sharing the memory of b[start, end); the caller keeps start <= end <= b.length. */
export function viewOf(b: Buffer, start: number, end: number): Buffer {
  return new BufferView(b.buffer as ArrayBuffer, b.byteOffset + start, end - start) as unknown as Buffer;
}
