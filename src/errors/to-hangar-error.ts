import { AbortError, DownloadError, HangarError } from './hangar-error.ts';

/** Wraps an unknown thrown value as a HangarError (a DOMException AbortError becomes AbortError). */
export function toHangarError(error: unknown, fallback = 'Unexpected error'): HangarError {
  if (error instanceof HangarError) return error;
  if (isAbort(error)) return new AbortError(undefined, { cause: error });
  const message = error instanceof Error ? error.message : String(error);
  return new DownloadError('NETWORK', `${fallback}: ${message}`, { cause: error });
}

/** True for DOMException('AbortError'), AbortError and errors whose code is ABORTED. */
export function isAbort(error: unknown): boolean {
  if (error instanceof HangarError) return error.code === 'ABORTED';
  return error instanceof Error && error.name === 'AbortError';
}
