import type { ResolvedConfig } from '../config/index.ts';
import { DownloadError, HangarError, toHangarError } from '../errors/index.ts';
import { blobKey, type Store } from '../store/index.ts';
import { withRetry, type RetryBudget, type RetryOptions, type Semaphore } from '../util/index.ts';
import type { CrossOriginEvent } from './cross-origin-storage.ts';
import { fetchFile, type FetchFileRequest } from './fetch-file.ts';
import type { FileEntry } from './job-progress.ts';
import type { PauseGate } from './pause-gate.ts';
import { quotaError } from './quota-error.ts';
import type { WorkerPool } from './worker-pool.ts';

/** What one file of a job needs: the job's parts, its retry policy and where to report. */
export interface FileDownload {
  config: ResolvedConfig;
  store: Store;
  /** Each attempt borrows a worker of its own (up to one per slot), so files run on separate threads. */
  workers: WorkerPool;
  slots: Semaphore;
  gate: PauseGate;
  repo: string;
  commit: string;
  /** The job's retry policy; `signal` is the job's current round (it aborts when another file fails). */
  retry: RetryOptions & { signal: AbortSignal };
  /** Retries and time used, kept across the job's rounds while the file stays the same. */
  budget: RetryBudget;
  /** Runs before a retry: it throws to end the round (the job found a new listing). */
  beforeRetry: (error: HangarError) => Promise<void>;
  onRetry: (info: { path: string; attempt: number; delayMs: number; error: HangarError }) => void;
  /** A change to report: at once (`now`, state changes) or paced (bytes). */
  onProgress: (now: boolean) => void;
  /** Bytes that came over the network, refetched ones included. */
  onFetched: (bytes: number) => void;
  /** How a look-up in Cross-Origin Storage ended (at most one per file). */
  onCrossOrigin?: (event: CrossOriginEvent) => void;
  /** True once the job's user refused Cross-Origin Storage or left its prompt unanswered: its other files do not ask again. */
  crossOriginRefused?: () => boolean;
  /** Bytes the job still has to fetch (for a quota error). */
  pendingBytes: () => Promise<number>;
}

/**
 * Fetches `entry`'s file with the job's retry policy, unless its blob is stored already. Waits while
 * the job is paused (a pause aborts the attempt in flight; it does not count as a failure) and for a
 * download slot. Throws the file's error (also set on `entry`), or the round's reason once it aborts.
 */
export async function downloadFile(run: FileDownload, entry: FileEntry): Promise<void> {
  const { store, repo, commit, gate, retry, config } = run;
  const { file } = entry;
  const { signal } = retry;
  if (await store.addFileIfStored(repo, commit, file)) {
    entry.loaded = file.size;
    entry.state = 'cached';
    return;
  }
  entry.loaded = Math.min(file.size, await store.partialSize(blobKey(file.hash)));
  const { timeout } = config.download;
  // download.timeout is wall-clock for the file: attempts and the waits between them, not time spent paused or queued.
  const timedOut = (cause?: HangarError): DownloadError =>
    new DownloadError('TIMEOUT', `${file.path}: not downloaded within ${timeout} ms`, {
      cause,
      details: { path: file.path, timeoutMs: timeout },
    });
  let loadedBefore = entry.loaded;
  // Cross-Origin Storage is asked once per file, whatever the number of attempts.
  let asked = false;
  const crossOrigin = {
    ask: (): boolean => !asked && !(run.crossOriginRefused?.() ?? false) && (asked = true),
    report: (event: CrossOriginEvent) => run.onCrossOrigin?.(event),
  };
  try {
    await withRetry(
      async (remainingMs) => {
        loadedBefore = entry.loaded;
        entry.state = 'downloading';
        entry.attempts++;
        entry.rate.reset();
        run.onProgress(true);
        await attempt(run, entry, remainingMs, crossOrigin);
      },
      {
        ...retry,
        budget: run.budget,
        timeout: { ms: timeout, error: timedOut },
        // A slot, once the job runs (a pause while queued waits again).
        acquire: async () => {
          for (;;) {
            await gate.whenRunning(signal);
            const release = await run.slots.acquire(signal);
            if (!gate.paused) return release;
            release();
          }
        },
        // An attempt a pause stopped runs again once the job runs, also when resume() came before the attempt ended.
        paused: (error) => {
          if (error.code !== 'ABORTED' || error.details.reason !== 'pause' || signal.aborted) return undefined;
          if (gate.paused) {
            entry.state = 'paused';
            run.onProgress(true);
          }
          return gate.whenRunning(signal);
        },
        // An attempt that stored more bytes does not use up a retry: a flaky link that keeps advancing finishes (download.timeout bounds it).
        progressed: (error) => error.code !== 'INTEGRITY_MISMATCH' && entry.loaded > loadedBefore,
        beforeRetry: run.beforeRetry,
        onRetry: ({ attempt, delayMs, error }) => {
          entry.state = 'retrying';
          if (error.code === 'INTEGRITY_MISMATCH') entry.loaded = 0;
          run.onRetry({ path: file.path, attempt, delayMs, error });
          run.onProgress(true);
        },
      },
    );
  } catch (thrown) {
    const error = toHangarError(thrown);
    // Stopped from outside (cancel, pause-then-cancel, another file's failure): not this file's error.
    if (error.code === 'ABORTED' || signal.aborted) throw error;
    entry.state = 'error';
    entry.error = error.code === 'QUOTA_EXCEEDED' ? await quotaError(store, error, run.pendingBytes) : error;
    throw entry.error;
  }
  entry.loaded = file.size;
  entry.state = 'done';
}

/** One attempt at the file: the round's end or a pause aborts it; progress and fetched bytes are counted. */
async function attempt(
  run: FileDownload,
  entry: FileEntry,
  timeoutMs: number,
  crossOrigin: NonNullable<FetchFileRequest['crossOrigin']>,
): Promise<void> {
  const controller = new AbortController();
  const stops = [run.retry.signal, run.gate.signal];
  const stop = (): void => controller.abort(stops.find((signal) => signal.aborted)?.reason);
  for (const signal of stops) signal.addEventListener('abort', stop, { once: true });
  if (stops.some((signal) => signal.aborted)) stop();
  // Bytes that came over the network this attempt, refetched ones (after a restart from byte 0) included.
  let counted = 0;
  const lease = run.workers.lease();
  try {
    await fetchFile({
      config: run.config,
      store: run.store,
      worker: lease.worker,
      hashThread: lease.hashThread,
      repo: run.repo,
      commit: run.commit,
      file: entry.file,
      timeoutMs,
      signal: controller.signal,
      crossOrigin,
      onWriting: () => (entry.wrote = true),
      onProgress: (loaded, received) => {
        run.onFetched(received - counted);
        counted = received;
        entry.loaded = loaded;
        entry.rate.sample(loaded);
        run.onProgress(false);
      },
    });
  } finally {
    lease.release();
    for (const signal of stops) signal.removeEventListener('abort', stop);
  }
}
