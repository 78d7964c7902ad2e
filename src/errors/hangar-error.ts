/** Every error code Hangar throws. Codes are stable: match on them, not on messages. */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'REPO_NOT_FOUND'
  | 'REVISION_NOT_FOUND'
  | 'ENTRY_NOT_FOUND'
  | 'GATED_REPO'
  | 'AUTH_REQUIRED'
  | 'AUTH_FORBIDDEN'
  | 'RATE_LIMITED'
  | 'HUB_UNAVAILABLE'
  | 'HUB_BAD_RESPONSE'
  | 'UNSAFE_PATH'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'STALLED'
  | 'BAD_RESPONSE'
  | 'ABORTED'
  | 'INTEGRITY_MISMATCH'
  | 'NOT_CACHED'
  | 'STORAGE_UNAVAILABLE'
  | 'QUOTA_EXCEEDED'
  | 'ARCHIVE_INVALID'
  | 'STORE_UPGRADED'
  | 'SESSION_FAILED'
  | 'MODEL_INVALID'
  | 'BACKUP_NOT_CONFIGURED'
  | 'BACKUP_PERMISSION'
  | 'BACKUP_UNSUPPORTED'
  | 'BACKUP_INVALID'
  | 'BACKUP_FAILED'
  | 'INTERNAL';

/** Structured extra facts an error carries (URL, status, hashes...); plain JSON so it survives a worker hop. */
export type ErrorDetails = Record<string, string | number | boolean | null | undefined>;

export interface HangarErrorOptions {
  cause?: unknown;
  details?: ErrorDetails;
}

/** Codes of each error class. */
export type ConfigErrorCode = 'CONFIG_INVALID';
export type HubErrorCode =
  | 'REPO_NOT_FOUND'
  | 'REVISION_NOT_FOUND'
  | 'ENTRY_NOT_FOUND'
  | 'GATED_REPO'
  | 'AUTH_REQUIRED'
  | 'AUTH_FORBIDDEN'
  | 'RATE_LIMITED'
  | 'HUB_UNAVAILABLE'
  | 'HUB_BAD_RESPONSE'
  | 'UNSAFE_PATH'
  | 'NETWORK';
export type DownloadErrorCode = 'NETWORK' | 'STALLED' | 'TIMEOUT' | 'BAD_RESPONSE';
export type IntegrityErrorCode = 'INTEGRITY_MISMATCH';
export type StoreErrorCode = 'NOT_CACHED' | 'STORAGE_UNAVAILABLE' | 'QUOTA_EXCEEDED' | 'ARCHIVE_INVALID' | 'STORE_UPGRADED';
export type RuntimeErrorCode = 'SESSION_FAILED' | 'MODEL_INVALID';
export type BackupErrorCode = 'BACKUP_NOT_CONFIGURED' | 'BACKUP_PERMISSION' | 'BACKUP_UNSUPPORTED' | 'BACKUP_INVALID' | 'BACKUP_FAILED';

/** The `name` of each error class. */
export type HangarErrorName =
  | 'HangarError'
  | 'ConfigError'
  | 'HubError'
  | 'DownloadError'
  | 'IntegrityError'
  | 'StoreError'
  | 'RuntimeError'
  | 'BackupError'
  | 'AbortError';

/** Marks Hangar's errors in a way `isHangarError` recognises across realms (iframes, a second copy of the library). */
const BRAND = Symbol.for('hangar.error');

/** Base class of every error Hangar throws. */
export class HangarError<Code extends ErrorCode = ErrorCode> extends Error {
  override readonly name: HangarErrorName = 'HangarError';
  readonly code: Code;
  readonly details: ErrorDetails;

  constructor(code: Code, message: string, options: HangarErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }

  /** Whether fetching again may succeed (network hiccups, 429, 5xx, stalls, bytes that failed their hash). */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
}
Object.defineProperty(HangarError.prototype, BRAND, { value: true });

/**
 * Whether `error` is a HangarError (with `code`, when given). Unlike `instanceof` it also holds for
 * an error from another realm or another copy of Hangar (an iframe, a worker's rebuilt error).
 */
export function isHangarError<C extends ErrorCode>(error: unknown, code?: C): error is HangarError<C> {
  if (typeof error !== 'object' || error === null) return false;
  if (!(error instanceof HangarError) && (error as Record<symbol, unknown>)[BRAND] !== true) return false;
  return code === undefined || (error as HangarError).code === code;
}

const RETRYABLE = new Set<ErrorCode>([
  'RATE_LIMITED',
  'HUB_UNAVAILABLE',
  'HUB_BAD_RESPONSE',
  'NETWORK',
  'STALLED',
  'BAD_RESPONSE',
  'INTEGRITY_MISMATCH',
]);

/** A bad option passed to `createModelManager`; `details.key` names it. */
export class ConfigError extends HangarError<ConfigErrorCode> {
  override readonly name = 'ConfigError';
}

/** The Hub (or mirror) refused or failed a request: unknown repo, revision or file, auth, rate limit, outage. */
export class HubError extends HangarError<HubErrorCode> {
  override readonly name = 'HubError';
}

/** Moving bytes failed: network error, timeout, stall, a response that is not the file. */
export class DownloadError extends HangarError<DownloadErrorCode> {
  override readonly name = 'DownloadError';
}

/** Bytes did not match the hash or size the Hub listed; `details.expected` and `details.actual` say how. */
export class IntegrityError extends HangarError<IntegrityErrorCode> {
  override readonly name = 'IntegrityError';
}

/** The local store cannot answer: not cached, storage missing or full, a bad archive. */
export class StoreError extends HangarError<StoreErrorCode> {
  override readonly name = 'StoreError';
}

/** ONNX Runtime could not open or run a stored model. */
export class RuntimeError extends HangarError<RuntimeErrorCode> {
  override readonly name = 'RuntimeError';
}

/** A backup folder cannot be used: none chosen, no permission, an engine that cannot write it, a snapshot that is not Hangar's, a write that failed. */
export class BackupError extends HangarError<BackupErrorCode> {
  override readonly name = 'BackupError';
}

/** The caller aborted the operation (cancel, close, pause, an AbortSignal); `details.reason` says which. */
export class AbortError extends HangarError<'ABORTED'> {
  override readonly name = 'AbortError';
  constructor(message = 'The operation was aborted', options: HangarErrorOptions = {}) {
    super('ABORTED', message, options);
  }
}
