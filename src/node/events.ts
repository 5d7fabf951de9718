// The events a node reports (and the client re-emits): connects, readiness, reconnect attempts,
// background failures, the end, and RESP3 push frames no subscription consumed.
import type { RespValue } from '../resp/types.js';

export interface ClientEvents {
  /** A connection to the server was opened and its handshake finished. */
  connect: [];
  /** The client can serve commands (after connect and after every reconnect). */
  ready: [];
  /** A background failure (a dropped connection); command failures reject their promise instead. */
  error: [error: Error];
  /** A reconnect attempt is about to start; `attempt` counts from 1, `error` is why. */
  reconnecting: [info: { attempt: number; error: unknown }];
  /** The client was closed; no more commands are accepted. */
  end: [];
  /** A RESP3 push frame that no subscription consumed. */
  push: [data: RespValue[]];
}
