import { HangarError, toHangarError, isHangarError } from '../errors/index.ts';
import { retryWait, type BackoffPolicy } from './backoff-delay.ts';
import { sleep } from './sleep.ts';

export interface RetryOptions extends BackoffPolicy {
  retries: number;
  signal?: AbortSignal | undefined;
  onRetry?: (info: { attempt: number; delayMs: number; error: HangarError }) => void;
}

/** Runs `fn`, retrying retryable HangarErrors with exponential backoff plus jitter (a Retry-After up to `retryAfterMax` wins). */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (thrown) {
      const error = toHangarError(thrown);
      if (!error.retryable || attempt >= options.retries || options.signal?.aborted) throw error;
      const wait = retryWait(error, attempt + 1, options);
      if (isHangarError(wait)) throw wait;
      options.onRetry?.({ attempt: attempt + 1, delayMs: wait, error });
      await sleep(wait, options.signal);
    }
  }
}
