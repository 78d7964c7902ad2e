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
