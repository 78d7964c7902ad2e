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
  | 'SESSION_FAILED'
  | 'MODEL_INVALID'
  | 'INTERNAL';

/** Structured extra facts an error carries (URL, status, hashes...); plain JSON so it survives a worker hop. */
export type ErrorDetails = Record<string, string | number | boolean | null | undefined>;

export interface HangarErrorOptions {
  cause?: unknown;
  details?: ErrorDetails;
}

/** Base class of every error Hangar throws. */
export class HangarError extends Error {
  override name = 'HangarError';
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, message: string, options: HangarErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.details = options.details ?? {};
  }

  /** Whether fetching again may succeed (network hiccups, 429, 5xx, stalls, bytes that failed their hash). */
  get retryable(): boolean {
    return RETRYABLE.has(this.code);
  }
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
export class ConfigError extends HangarError {
  override name = 'ConfigError';
}

/** The Hub (or mirror) refused or failed a request: unknown repo, revision or file, auth, rate limit, outage. */
export class HubError extends HangarError {
  override name = 'HubError';
}

/** Moving bytes failed: network error, timeout, stall, a response that is not the file, cancellation. */
export class DownloadError extends HangarError {
  override name = 'DownloadError';
}

/** Bytes did not match the hash or size the Hub listed; `details.expected` and `details.actual` say how. */
export class IntegrityError extends HangarError {
  override name = 'IntegrityError';
}

/** The local store cannot answer: not cached, storage missing or full, corrupt records. */
export class StoreError extends HangarError {
  override name = 'StoreError';
}

/** ONNX Runtime could not open or run a stored model. */
export class RuntimeError extends HangarError {
  override name = 'RuntimeError';
}

/** The caller aborted the operation (cancel, AbortSignal). */
export class AbortError extends HangarError {
  override name = 'AbortError';
  constructor(message = 'The operation was aborted', options: HangarErrorOptions = {}) {
    super('ABORTED', message, options);
  }
}
