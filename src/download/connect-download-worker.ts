import * as Comlink from 'comlink';
import { AbortError, DownloadError, throwIfAborted } from '../errors/index.ts';
import { installErrorTransfer } from './comlink-errors.ts';
import type { DownloadWorkerApi } from './download-worker-api.ts';
import type { FileHash } from '../hub/index.ts';
import type { FetchBlobResult, FetchBlobTask } from './fetch-blob.ts';
import type { BlobHashReport } from './hash-blob.ts';

/**
 * A running download worker: its API (`DownloadWorkerApi`) as the page calls it. Calls still pending
 * when it is terminated or crashes reject instead of hanging.
 */
export interface DownloadWorker extends Pick<DownloadWorkerApi, 'probeStorage'> {
  /** False once the worker crashed or was terminated: every call fails, start a new one. */
  readonly alive: boolean;
  /** One fetch attempt into the store (`fetchBlob` in the worker); `signal` stops it, also when it aborted before the call. */
  fetchBlob(task: FetchBlobTask, onProgress: (loaded: number, received: number) => void, signal?: AbortSignal): Promise<FetchBlobResult>;
  /** Hashes any Blob off the main thread: stored blobs (verify), archive entries (import); `signal` stops it between 8 MiB slices. */
  hashBlob(blob: Blob, hash: FileHash, signal?: AbortSignal): Promise<BlobHashReport>;
  terminate(): void;
}

/** Starts the download worker (`download.worker.ts` beside it; `spawn` gives another, for tests). */
export function connectDownloadWorker(
  spawn = (): Worker => new Worker(new URL('./download.worker.ts', import.meta.url), { type: 'module', name: 'hangar-download' }),
): DownloadWorker {
  installErrorTransfer();
  const worker = spawn();
  const api = Comlink.wrap<DownloadWorkerApi>(worker);
  let alive = true;
  let stop: (error: Error) => void = () => {};
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => {});
  worker.addEventListener('error', (event) => {
    alive = false;
    stop(new DownloadError('NETWORK', `The download worker failed: ${event.message}`));
    worker.terminate();
  });
  /** A call to the worker, failing with the reason it stopped (typed) once it has, instead of comlink's raw error. */
  const call = <T>(send: () => Promise<T>): Promise<T> => (alive ? Promise.race([send(), stopped]) : stopped);
  /**
   * A call the worker runs under a fresh id that `signal` aborts there. The signal is checked and
   * heard before the call is posted: the abort message then always follows the call, never gets lost.
   */
  const abortable = <T>(signal: AbortSignal | undefined, send: (id: string) => Promise<T>): Promise<T> =>
    call(async () => {
      const id = Math.random().toString(36).slice(2);
      const onAbort = (): void => void api.abort(id, 'aborted').catch(() => {});
      throwIfAborted(signal);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        return await send(id);
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    });
  return {
    get alive() {
      return alive;
    },
    fetchBlob: (task, onProgress, signal) => abortable(signal, (id) => api.fetchBlob(id, task, Comlink.proxy(onProgress))),
    hashBlob: (blob, hash, signal) => abortable(signal, (id) => api.hashBlob(id, blob, hash)),
    probeStorage: (storeName, wanted) => call(() => api.probeStorage(storeName, wanted)),
    terminate: () => {
      alive = false;
      stop(new AbortError('The download worker was stopped', { details: { reason: 'close' } }));
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
