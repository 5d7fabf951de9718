// Public surface of the RESP codec: the command encoder, the incremental decoder and its limits,
// and the value types both sides share.
export { encodeCommand, encodeCommandText, PASSTHROUGH_MIN, TEXT_ARGUMENT_MAX } from './encoder.js';
export {
  DEFAULT_MAX_AGGREGATE_LENGTH,
  DEFAULT_MAX_BULK_LENGTH,
  DEFAULT_MAX_DEPTH,
  DEFAULT_MAX_LINE_LENGTH,
  NEED_MORE,
  RespDecoder,
  type DecoderOptions,
} from './decoder.js';
export { RespPush, type RespArgument, type RespMap, type RespObject, type RespValue } from './types.js';
