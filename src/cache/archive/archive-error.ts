import { StoreError, type ErrorDetails } from '../../errors/index.ts';

/** Why an archive was refused: the `details.reason` of its StoreError ARCHIVE_INVALID. */
export type ArchiveInvalidReason =
  'not-an-archive' | 'bad-header' | 'truncated' | 'bad-manifest' | 'unsafe-path' | 'mismatch' | 'oversized';

/** A StoreError ARCHIVE_INVALID whose `details.reason` says what is wrong. */
export function archiveError(reason: ArchiveInvalidReason, message: string, details: ErrorDetails = {}, cause?: unknown): StoreError {
  return new StoreError('ARCHIVE_INVALID', `Invalid model archive: ${message}`, { cause, details: { ...details, reason } });
}
