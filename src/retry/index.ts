// Public surface of the retry module: Retry and the backoff policies.
export {
  ConstantBackoff,
  DecorrelatedJitterBackoff,
  EqualJitterBackoff,
  ExponentialBackoff,
  FullJitterBackoff,
  MAX_DELAY_MS,
  NoBackoff,
  type Backoff,
  type RandomSource,
} from './backoff.js';
export { Retry, type ErrorClass, type RetryCallOptions, type RetryOptions } from './retry.js';
