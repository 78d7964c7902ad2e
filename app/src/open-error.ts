import { isHangarError, RuntimeError, type HangarError } from 'hangar';

/** Why a pipeline did not open: Hangar's own error when one is in the cause chain, else RuntimeError SESSION_FAILED around the runtime's. */
export function openError(error: unknown, what: string): HangarError {
  for (let cause = error; cause !== undefined && cause !== null; cause = (cause as { cause?: unknown }).cause) {
    if (isHangarError(cause)) return cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new RuntimeError('SESSION_FAILED', `${what} could not be opened: ${message}`, { cause: error });
}
