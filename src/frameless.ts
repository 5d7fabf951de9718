// Errors made without stack frames: for the errors of error replies, which are made inside the
// decoder, in a socket callback, so that their frames would name only redspec's own functions,
// never the caller's code. Capturing and formatting those frames (which RedisError does at once,
// so as not to pin the objects they ran on) was most of what an error reply cost: 1,000 INCRs in
// flight that all failed ran at 0.4x of ioredis's errors per second, and 3.3x without the frames.
// Not part of the public API (src/index.ts re-exports errors.ts, not this).

/** Whether Error.stackTraceLimit may be set (not under --frozen-intrinsics). */
const stackLimitSettable = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit')?.writable === true;

/** `make()`, with no stack frames captured for the errors it creates. */
export function withoutFrames<T>(make: () => T): T {
  if (!stackLimitSettable) return make();
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
