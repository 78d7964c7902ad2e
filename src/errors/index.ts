export {
  HangarError,
  ConfigError,
  HubError,
  DownloadError,
  IntegrityError,
  StoreError,
  RuntimeError,
  BackupError,
  AbortError,
  isHangarError,
  type ErrorCode,
  type ConfigErrorCode,
  type HubErrorCode,
  type DownloadErrorCode,
  type IntegrityErrorCode,
  type StoreErrorCode,
  type RuntimeErrorCode,
  type BackupErrorCode,
  type HangarErrorName,
  type ErrorDetails,
  type HangarErrorOptions,
} from './hangar-error.ts';
export { serializeError, deserializeError, type SerializedError } from './serialize-error.ts';
export { toHangarError, isAbort, abortedBy, throwIfAborted } from './to-hangar-error.ts';
export { closedError } from './closed-error.ts';
