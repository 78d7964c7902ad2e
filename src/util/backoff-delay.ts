import type { ErrorCode, HangarError, HangarErrorOptions } from '../errors/index.ts';

const MAX_DELAY_MS = 30_000;

/**
 * Delay before retry number `attempt` (1-based): `base * 2^(attempt-1)` capped at 30 s, with full jitter
 * in [50%, 100%]. A server-given `retryAfterMs` wins when it is longer.
 */
export function backoffDelay(attempt: number, base: number, retryAfterMs?: number, random = Math.random): number {
  const exp = Math.min(MAX_DELAY_MS, base * 2 ** Math.max(0, attempt - 1));
  const jittered = Math.round(exp * (0.5 + random() / 2));
  return retryAfterMs !== undefined && retryAfterMs > jittered ? retryAfterMs : jittered;
}

/** Parses Retry-After (delta seconds or HTTP date) into milliseconds, or undefined. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** How retries back off: the first delay (doubling) and the longest server-given Retry-After honoured. */
export interface BackoffPolicy {
  baseDelay: number;
  retryAfterMax: number;
}

/**
 * The wait before retry number `attempt` (1-based) after `error`: backoff with jitter, or the
 * error's Retry-After when longer. A Retry-After beyond `retryAfterMax` gives an error instead
 * (the same kind, saying so): retrying sooner than the server asked is pointless, waiting longer
 * than the caller allows is a hang.
 */
export function retryWait(error: HangarError, attempt: number, policy: BackoffPolicy): number | HangarError {
  const retryAfter = typeof error.details.retryAfterMs === 'number' ? error.details.retryAfterMs : undefined;
  if (retryAfter !== undefined && retryAfter > policy.retryAfterMax) {
    const Kind = error.constructor as new (code: ErrorCode, message: string, options: HangarErrorOptions) => HangarError;
    const message = `${error.message} (the server asked to wait ${Math.ceil(retryAfter / 1000)} s, more than download.retryAfterMax (${Math.ceil(policy.retryAfterMax / 1000)} s))`;
    return new Kind(error.code, message, { cause: error, details: { ...error.details, retryAfterMaxMs: policy.retryAfterMax } });
  }
  return backoffDelay(attempt, policy.baseDelay, retryAfter);
}
