import { isHangarError, type ErrorCode } from 'hangar';

/** Where the failed action went. */
export interface ErrorContext {
  /** The Hub or mirror asked. */
  endpoint: string;
  /** What the browser says of the network (navigator.onLine). */
  online: boolean;
}

/** An error in words a person understands, with the code kept for bug reports. Raw runtime messages are not shown. */
export function explainError(error: unknown, { endpoint, online }: ErrorContext): string {
  if (!isHangarError(error)) return 'Something unexpected went wrong in the app. Reloading the page may help; finished files are kept.';
  // An app worker that failed (worker-connection.ts): its message is written for people, and names the stage it reached.
  if (typeof error.details['worker'] === 'string') return `${error.message} (${error.code})`;
  const unreachable = online
    ? `${endpoint} is unreachable right now (this device is online). Check the address in Settings, or try again later; finished files are kept.`
    : 'You are offline. Models already on this device still work; downloads continue once you are back online.';
  const words: Partial<Record<ErrorCode, string>> = {
    NETWORK: unreachable,
    TIMEOUT: online ? `${endpoint} is not answering. Try again later; finished files are kept.` : unreachable,
    STALLED: online ? 'The download stalled. Try again; it resumes where it stopped.' : unreachable,
    HUB_UNAVAILABLE: `${endpoint} is unavailable right now. Try again later; finished files are kept.`,
    RATE_LIMITED: `${endpoint} asks us to slow down. Wait a minute and try again.`,
    REPO_NOT_FOUND: `This model does not exist on ${endpoint}.`,
    REVISION_NOT_FOUND: `This model has no such version on ${endpoint}.`,
    ENTRY_NOT_FOUND: `A file of this model is missing on ${endpoint}.`,
    // The Hub answers 401 for a repo that does not exist as well as for a private one.
    AUTH_REQUIRED: `This model was not found on ${endpoint}: it does not exist, or it is private and needs an access token.`,
    AUTH_FORBIDDEN: 'Your access token may not read this model.',
    GATED_REPO: 'This model is gated: accept its terms on the Hub first.',
    INTEGRITY_MISMATCH:
      'A downloaded file was damaged on the way (its checksum did not match). Nothing damaged was kept; try the download again.',
    QUOTA_EXCEEDED: 'This device has no room left for the model. Delete other models or free some disk space.',
    STORAGE_UNAVAILABLE: 'This browser does not let the app store files here (a private window may not allow it).',
    NOT_CACHED: 'This model is not on this device yet: download it first (you need a connection for that).',
    ABORTED: 'Cancelled.',
    SESSION_FAILED:
      'The model could not be opened on this device: a file of it is missing or unusable. Try again; if it keeps failing, delete it from this device and download it again.',
    MODEL_INVALID: 'The model files are not a valid model.',
    HUB_BAD_RESPONSE: `${endpoint} sent an answer that makes no sense (damaged on the way, or not a model hub). Try again later.`,
    CONFIG_INVALID: 'That address or model name is not valid. Check it in Settings.',
    BACKUP_NOT_CONFIGURED: 'Choose a backup folder first.',
    BACKUP_PERMISSION: 'The app may not write to that folder. Allow access when the browser asks, or choose the folder again.',
    BACKUP_UNSUPPORTED: 'This browser cannot back up models to a folder.',
    BACKUP_INVALID: 'That folder holds no backup made by this app, or its backup is damaged.',
    BACKUP_FAILED: 'The backup could not be written to the folder. Is the disk full, or was the folder moved?',
    INTERNAL: 'Something unexpected went wrong in the app. Reloading the page may help; finished files are kept.',
  };
  return `${words[error.code] ?? 'Something went wrong.'} (${error.code})`;
}
