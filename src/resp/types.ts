// The values the RESP decoder produces, protocol-neutral: RESP2 and RESP3 frames map onto the same
// JS types. Error replies are values (they can sit inside an EXEC array); push frames are wrapped
// so they can never be mistaken for a command's reply.
import type { ReplyError } from '../errors.js';

export type RespValue =
  string | Buffer | number | bigint | boolean | null | ReplyError | RespValue[] | RespMap | RespObject;

/** RESP3 map (`%`); keys keep their decoded type. Attribute frames are not values. */
export type RespMap = Map<RespValue, RespValue>;

/**
 * A map reply (RESP3 map, or a RESP2 flat array of pairs) decoded straight into a plain object, when
 * the caller asks for it (RespDecoder#next's `asObject`): keys are UTF-8 strings, own data properties.
 */
export interface RespObject {
  [key: string]: RespValue;
}

/** A RESP3 push frame (`>`): pub/sub messages, invalidations, monitor lines. */
export class RespPush {
  constructor(readonly data: RespValue[]) {}
}

/** Arguments the encoder accepts. */
export type RespArgument = string | Buffer | number | bigint;
