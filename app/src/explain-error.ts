import { isHangarError, type ErrorCode } from 'hangar';

/** An error in words a person understands, with the code kept for bug reports. */
export function explainError(error: unknown, endpoint: string): string {
  if (!isHangarError(error)) return `Something went wrong: ${error instanceof Error ? error.message : String(error)}`;
  const words: Partial<Record<ErrorCode, string>> = {
    NETWORK: `Could not reach ${endpoint}. Check the connection (or the mirror address in Settings) and try again; finished files are kept.`,
    TIMEOUT: `${endpoint} is not answering. Try again later; finished files are kept.`,
    STALLED: `The download stalled. Try again; it resumes where it stopped.`,
    HUB_UNAVAILABLE: `${endpoint} is unavailable right now. Try again later; finished files are kept.`,
    RATE_LIMITED: `${endpoint} asks us to slow down. Wait a minute and try again.`,
    REPO_NOT_FOUND: `This model does not exist on ${endpoint}.`,
    REVISION_NOT_FOUND: `This model has no such revision on ${endpoint}.`,
    ENTRY_NOT_FOUND: `A file of this model is missing on ${endpoint}.`,
    AUTH_REQUIRED: `This model needs a Hugging Face access token.`,
    AUTH_FORBIDDEN: `Your access token may not read this model.`,
    GATED_REPO: `This model is gated: accept its terms on the Hub first.`,
    INTEGRITY_MISMATCH: `A downloaded file was damaged on the way (its checksum did not match). Nothing damaged was kept; try the download again.`,
    QUOTA_EXCEEDED: `This device has no room left for the model. Delete other models or free some disk space.`,
    STORAGE_UNAVAILABLE: `This browser does not let the app store files (private window?).`,
    NOT_CACHED: `This model is not on this device yet: download it first (you need a connection for that).`,
    ABORTED: `Cancelled.`,
    SESSION_FAILED: `The model could not be started on this device.`,
    MODEL_INVALID: `The model files are not a valid model.`,
    HUB_BAD_RESPONSE: `${endpoint} sent an answer that makes no sense (damaged on the way, or not a model hub). Try again later.`,
    INTERNAL: `Something unexpected went wrong in the app. Reloading the page may help; finished files are kept.`,
  };
  return `${words[error.code] ?? error.message} (${error.code})`;
}
