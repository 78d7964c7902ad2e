import { AbortError, HangarError, StoreError, isHangarError } from './hangar-error.ts';

/**
 * Wraps an unknown thrown value as a HangarError: a DOMException AbortError becomes AbortError, a
 * QuotaExceededError StoreError QUOTA_EXCEEDED, anything else HangarError INTERNAL, which is not
 * retried (fetching again cannot fix what nobody foresaw). The original is the `cause`.
 */
export function toHangarError(error: unknown, fallback = 'Unexpected error'): HangarError {
  if (isHangarError(error)) return error;
  if (isAbort(error)) return new AbortError(undefined, { cause: error });
  const name = (error as { name?: unknown } | undefined)?.name;
  const message = error instanceof Error ? error.message : String(error);
  const details = { causeName: typeof name === 'string' ? name : 'Error', causeMessage: message };
  if (name === 'QuotaExceededError') return new StoreError('QUOTA_EXCEEDED', `Storage is full (${message})`, { cause: error, details });
  return new HangarError('INTERNAL', `${fallback}: ${details.causeName}: ${message}`, { cause: error, details });
}

/** True for DOMException('AbortError'), AbortError and errors whose code is ABORTED. */
export function isAbort(error: unknown): boolean {
  if (isHangarError(error)) return error.code === 'ABORTED';
  return error instanceof Error && error.name === 'AbortError';
}

/** The error for an aborted `signal`: its reason when that is a HangarError, else AbortError ABORTED (`details.reason: 'signal'`) with the reason as cause. */
export function abortedBy(signal: AbortSignal): HangarError {
  const reason: unknown = signal.reason;
  return isHangarError(reason) ? reason : new AbortError('The operation was aborted', { cause: reason, details: { reason: 'signal' } });
}

/** Throws `abortedBy(signal)` when `signal` has aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortedBy(signal);
}
