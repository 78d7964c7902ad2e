export { backoffDelay, parseRetryAfter, retryWait, type BackoffPolicy } from './backoff-delay.ts';
export { Emitter } from './emitter.ts';
export { formatBytes, formatEta } from './format.ts';
export { RateMeter } from './rate-meter.ts';
export { Semaphore } from './semaphore.ts';
export { sleep } from './sleep.ts';
export { withRetry, type RetryBudget, type RetryOptions } from './with-retry.ts';
export { within } from './within.ts';
export { untilAborted } from './until-aborted.ts';
