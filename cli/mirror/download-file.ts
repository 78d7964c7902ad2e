import { DownloadError } from '../../src/errors/index.ts';
import type { HubContext } from '../../src/hub/index.ts';
import { withRetry } from '../../src/util/index.ts';
import { fetchToFile, type FetchToFileTask } from './fetch-to-file.ts';

/** How a file's download retries and when it gives up. */
export interface DownloadPolicy {
  /** Retries after the first attempt (an attempt that stored more bytes does not use one up). */
  retries: number;
  /** First backoff delay, doubling with jitter (capped at 30 s). */
  retryDelayMs: number;
  /** The longest Retry-After honoured; a server asking for longer fails the file at once. */
  retryAfterMaxMs: number;
  /** No byte for this long: the attempt is STALLED and retried. */
  stallMs: number;
  /** Wall-clock limit per file, attempts and waits together: TIMEOUT. */
  timeoutMs: number;
}

export interface DownloadFileOptions extends DownloadPolicy {
  context: Pick<HubContext, 'endpoint' | 'accessToken'>;
  signal?: AbortSignal | undefined;
  /** Called before each wait for a retry. */
  onRetry?: (info: { path: string; attempt: number; delayMs: number; code: string; message: string }) => void;
}

/** Bytes that came over the network for the file, over all its attempts. */
export interface DownloadFileResult {
  received: number;
  /** Bytes of a partial left by an earlier run that were kept (resumed with Range). */
  resumedFrom: number;
}

/**
 * `fetchToFile` with the library's retry rules (`withRetry`): network errors, stalls, 408/429/5xx,
 * short or damaged answers and bytes that fail their hash are retried with exponential backoff and
 * jitter (Retry-After honoured up to a limit); an attempt that stored more bytes does not use up a
 * retry; everything within `timeoutMs`.
 */
export async function downloadFile(task: FetchToFileTask, options: DownloadFileOptions): Promise<DownloadFileResult> {
  let received = 0;
  let attemptReceived = 0;
  let resumedFrom: number | undefined;
  await withRetry(
    async (remainingMs) => {
      attemptReceived = 0;
      const result = await fetchToFile(task, {
        context: options.context,
        stallMs: options.stallMs,
        timeoutMs: remainingMs,
        signal: options.signal,
        onBytes: (bytes) => (attemptReceived = bytes),
      }).finally(() => (received += attemptReceived));
      resumedFrom ??= result.resumedFrom;
    },
    {
      retries: options.retries,
      baseDelay: options.retryDelayMs,
      retryAfterMax: options.retryAfterMaxMs,
      signal: options.signal,
      timeout: {
        ms: options.timeoutMs,
        error: (last) =>
          new DownloadError(
            'TIMEOUT',
            `${task.path}: not downloaded within ${options.timeoutMs} ms${last ? ` (last: ${last.message})` : ''}`,
            {
              cause: last,
              details: { path: task.path },
            },
          ),
      },
      progressed: (error) => error.code !== 'INTEGRITY_MISMATCH' && attemptReceived > 0,
      onRetry: ({ attempt, delayMs, error }) =>
        options.onRetry?.({ path: task.path, attempt, delayMs, code: error.code, message: error.message }),
    },
  );
  return { received, resumedFrom: resumedFrom ?? 0 };
}
