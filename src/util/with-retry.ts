import { HangarError, toHangarError } from '../errors/index.ts';
import { backoffDelay } from './backoff-delay.ts';
import { sleep } from './sleep.ts';

export interface RetryOptions {
  retries: number;
  baseDelay: number;
  signal?: AbortSignal | undefined;
  onRetry?: (info: { attempt: number; delayMs: number; error: HangarError }) => void;
}

/** Runs `fn`, retrying retryable HangarErrors with exponential backoff plus jitter (Retry-After wins). */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (thrown) {
      const error = toHangarError(thrown);
      if (!error.retryable || attempt >= options.retries || options.signal?.aborted) throw error;
      const retryAfter = error.details.retryAfterMs;
      const delayMs = backoffDelay(attempt + 1, options.baseDelay, typeof retryAfter === 'number' ? retryAfter : undefined);
      options.onRetry?.({ attempt: attempt + 1, delayMs, error });
      await sleep(delayMs, options.signal);
    }
  }
}
