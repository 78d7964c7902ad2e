import { StoreError, type ErrorDetails } from '../errors/index.ts';

/** A browser error as text: its name (the DOMException's kind) and message. */
export function errorText(error: unknown): string {
  const { causeName, causeMessage } = errorDetails(error);
  return `${causeName}: ${causeMessage}`;
}

/** The browser error's name and message as error details, so they survive the worker hop and logs that drop `cause`. */
export function errorDetails(error: unknown): { causeName: string; causeMessage: string } {
  const { name, message } = (typeof error === 'object' && error !== null ? error : {}) as { name?: unknown; message?: unknown };
  return {
    causeName: typeof name === 'string' ? name : 'Error',
    causeMessage: typeof message === 'string' ? message : String(error),
  };
}

/** StoreError STORAGE_UNAVAILABLE for `what` failing, with the browser's error as `cause` and its name and message in the message and `details`. */
export function storageUnavailable(what: string, error: unknown, details: ErrorDetails = {}): StoreError {
  if (error instanceof StoreError) return error;
  return new StoreError('STORAGE_UNAVAILABLE', `${what} (${errorText(error)})`, {
    cause: error,
    details: { ...details, ...errorDetails(error) },
  });
}

/** A failed write as a StoreError: QUOTA_EXCEEDED for a full disk or quota, STORAGE_UNAVAILABLE otherwise. */
export function storageWriteError(error: unknown, offset: number): StoreError {
  if ((error as DOMException | undefined)?.name === 'QuotaExceededError') {
    return new StoreError('QUOTA_EXCEEDED', `Storage quota exceeded while writing at byte ${offset}`, {
      cause: error,
      details: { offset, ...errorDetails(error) },
    });
  }
  return storageUnavailable(`Write failed at byte ${offset}`, error, { offset });
}
