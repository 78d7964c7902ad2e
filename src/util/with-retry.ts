import { HangarError, toHangarError, isHangarError } from '../errors/index.ts';
import { retryWait, type BackoffPolicy } from './backoff-delay.ts';
import { sleep } from './sleep.ts';

/** What a retried operation has used: kept by the caller when retries must outlive one call. */
export interface RetryBudget {
  /** Failed attempts that counted against `retries`. */
  failures: number;
  /** Time spent in attempts and in the waits between them. */
  spentMs: number;
}

export interface RetryOptions extends BackoffPolicy {
  retries: number;
  signal?: AbortSignal | undefined;
  onRetry?: (info: { attempt: number; delayMs: number; error: HangarError }) => void;
  /** Counts to continue from (and update); a fresh budget by default. */
  budget?: RetryBudget;
  /** Wall-clock limit on attempts and waits together (not on `acquire` or pauses); past it `timeout.error` is thrown. */
  timeout?: { ms: number; error: (last: HangarError | undefined) => HangarError };
  /** Waits for what an attempt needs (a download slot); the function it returns lets go of it, also during the wait before a retry. */
  acquire?: () => Promise<() => void>;
  /** For a failure that is a pause, what to wait for before the same attempt runs again, uncounted. */
  paused?: (error: HangarError) => Promise<void> | undefined;
  /** Whether the attempt that just failed made progress: it then does not use up a retry. */
  progressed?: (error: HangarError) => boolean;
  /** Runs after a retryable failure was counted, before the wait; it may throw to stop retrying (a cheaper check first). */
  beforeRetry?: (error: HangarError) => Promise<void>;
}

/**
 * Runs `fn`, retrying retryable HangarErrors with exponential backoff plus jitter (a Retry-After up to
 * `retryAfterMax` wins). `fn` gets the time left under `timeout`. Used for Hub metadata calls as is,
 * and by download jobs with a budget per file, a deadline, slots, pauses and progress.
 */
export async function withRetry<T>(fn: (remainingMs: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const budget = options.budget ?? { failures: 0, spentMs: 0 };
  const limit = options.timeout?.ms ?? Infinity;
  let last: HangarError | undefined;
  for (;;) {
    const release = (await options.acquire?.()) ?? (() => {});
    let released = false;
    const letGo = (): void => {
      if (released) return;
      released = true;
      release();
    };
    try {
      if (budget.spentMs >= limit) throw options.timeout!.error(last);
      const started = performance.now();
      try {
        return await fn(limit - budget.spentMs);
      } finally {
        budget.spentMs += performance.now() - started;
      }
    } catch (thrown) {
      const error = toHangarError(thrown);
      const pause = options.paused?.(error);
      if (pause !== undefined) {
        letGo();
        await pause;
        continue;
      }
      if (error.code === 'ABORTED' || error.code === 'TIMEOUT' || options.signal?.aborted) throw error;
      const progressed = options.progressed?.(error) ?? false;
      if (!error.retryable || (!progressed && budget.failures >= options.retries)) throw error;
      if (!progressed) budget.failures++;
      await options.beforeRetry?.(error);
      const wait = retryWait(error, Math.max(1, budget.failures), options);
      if (isHangarError(wait)) throw wait;
      if (wait >= limit - budget.spentMs) throw options.timeout!.error(error);
      last = error;
      options.onRetry?.({ attempt: budget.failures, delayMs: wait, error });
      letGo();
      const sleptFrom = performance.now();
      await sleep(wait, options.signal);
      budget.spentMs += performance.now() - sleptFrom;
    } finally {
      letGo();
    }
  }
}
