import { AbortError } from './hangar-error.ts';

/** What a closed model manager's jobs and calls end with: AbortError, `details.reason: 'close'`. */
export function closedError(cause?: unknown): AbortError {
  return new AbortError('The model manager was closed', { cause, details: { reason: 'close' } });
}
