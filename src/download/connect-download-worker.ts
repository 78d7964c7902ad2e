import * as Comlink from 'comlink';
import { AbortError, DownloadError, StoreError, isHangarError, throwIfAborted } from '../errors/index.ts';
import { untilAborted } from '../util/index.ts';
import { installErrorTransfer } from './comlink-errors.ts';
import type { DownloadWorkerApi } from './download-worker-api.ts';
import type { FileHash } from '../hub/index.ts';
import type { FetchBlobResult, FetchBlobTask } from './fetch-blob.ts';
import type { BlobHashReport } from './hash-blob.ts';
import { WORKER_READY } from './worker-ready.ts';

/**
 * A running download worker: its API (`DownloadWorkerApi`) as the page calls it. Calls still pending
 * when it is terminated or crashes reject instead of hanging.
 */
export interface DownloadWorker extends Pick<DownloadWorkerApi, 'probeStorage'> {
  /** False once the worker crashed, did not start or was terminated: every call fails, start a new one. */
  readonly alive: boolean;
  /** One fetch attempt into the store (`fetchBlob` in the worker); `signal` stops it, also when it aborted before the call. */
  fetchBlob(task: FetchBlobTask, onProgress: (loaded: number, received: number) => void, signal?: AbortSignal): Promise<FetchBlobResult>;
  /** Hashes any Blob off the main thread: stored blobs (verify), archive entries (import); `signal` stops it between 8 MiB slices. */
  hashBlob(blob: Blob, hash: FileHash, signal?: AbortSignal): Promise<BlobHashReport>;
  terminate(): void;
}

/** How long a started worker may take to say it is ready (script loaded, API exposed) before it is replaced, once. */
const READY_MS = 10_000;

/**
 * Starts the download worker (`download.worker.ts` beside it; `spawn` gives another, for tests).
 * Calls wait for the worker's ready message; a worker that fails to load or says nothing for
 * `readyMs` is replaced once, then every call fails with a retryable DownloadError NETWORK
 * (`probeStorage` with StoreError STORAGE_UNAVAILABLE) that says so.
 */
export function connectDownloadWorker(
  spawn = (): Worker => new Worker(new URL('./download.worker.ts', import.meta.url), { type: 'module', name: 'hangar-download' }),
  { readyMs = READY_MS }: { readyMs?: number } = {},
): DownloadWorker {
  installErrorTransfer();
  let alive = true;
  let worker: Worker | undefined;
  let api: Comlink.Remote<DownloadWorkerApi> | undefined;
  let readyTimer: ReturnType<typeof setTimeout> | undefined;
  let stop: (error: Error) => void = () => {};
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => {});
  const end = (error: Error): void => {
    alive = false;
    clearTimeout(readyTimer);
    stop(error);
    api?.[Comlink.releaseProxy]();
    api = undefined;
    worker?.terminate();
  };
  let isReady: () => void = () => {};
  const ready = new Promise<void>((resolve) => (isReady = resolve));

  const start = (attempt: number): void => {
    const current = spawn();
    worker = current;
    api = Comlink.wrap<DownloadWorkerApi>(current);
    let up = false;
    const notUp = (why: string): void => {
      if (worker !== current || !alive) return;
      clearTimeout(readyTimer);
      api?.[Comlink.releaseProxy]();
      api = undefined;
      current.terminate();
      if (attempt < 2) {
        try {
          return start(attempt + 1);
        } catch (error) {
          return end(new DownloadError('NETWORK', `The download worker could not be started again: ${String(error)}`, { cause: error }));
        }
      }
      end(new DownloadError('NETWORK', `The download worker did not start, twice: ${why}`, { details: { readyMs } }));
    };
    const failed = (why: string): void => {
      if (!up) return notUp(why);
      if (worker === current && alive) end(new DownloadError('NETWORK', `The download worker failed: ${why}`));
    };
    readyTimer = setTimeout(() => notUp(`it said nothing within ${readyMs} ms`), readyMs);
    current.addEventListener('message', (event: MessageEvent) => {
      if (event.data !== WORKER_READY || up || worker !== current) return;
      up = true;
      clearTimeout(readyTimer);
      isReady();
    });
    current.addEventListener('error', (event) => failed(event.message || 'its script did not load'));
    current.addEventListener('messageerror', () => failed('a message from it could not be read'));
  };
  start(1);

  /** Resolves once the worker is ready; rejects once it stopped or `signal` aborted first. */
  const whenReady = (signal?: AbortSignal): Promise<void> => untilAborted(Promise.race([ready, stopped]), signal);

  /** A call to the ready worker, failing with the reason it stopped (typed) once it has, instead of comlink's raw error. */
  const call = <T>(send: (remote: Comlink.Remote<DownloadWorkerApi>) => Promise<T>, signal?: AbortSignal): Promise<T> =>
    alive ? Promise.race([whenReady(signal).then(() => send(api!)), stopped]) : stopped;
  /**
   * A call the worker runs under a fresh id that `signal` aborts there. The signal is checked and
   * heard before the call is posted: the abort message then always follows the call, never gets lost.
   */
  const abortable = <T>(
    signal: AbortSignal | undefined,
    send: (remote: Comlink.Remote<DownloadWorkerApi>, id: string) => Promise<T>,
  ): Promise<T> =>
    call(async (remote) => {
      const id = Math.random().toString(36).slice(2);
      const onAbort = (): void => void remote.abort(id, 'aborted').catch(() => {});
      throwIfAborted(signal);
      signal?.addEventListener('abort', onAbort, { once: true });
      try {
        return await send(remote, id);
      } finally {
        signal?.removeEventListener('abort', onAbort);
      }
    }, signal);
  return {
    get alive() {
      return alive;
    },
    fetchBlob: (task, onProgress, signal) => abortable(signal, (remote, id) => remote.fetchBlob(id, task, Comlink.proxy(onProgress))),
    hashBlob: (blob, hash, signal) => abortable(signal, (remote, id) => remote.hashBlob(id, blob, hash)),
    probeStorage: (storeName, wanted) =>
      call((remote) => remote.probeStorage(storeName, wanted)).catch((error: unknown) => {
        // The worker, not the storage, failed: the store cannot be reached.
        if (!isHangarError(error, 'NETWORK')) throw error;
        throw new StoreError('STORAGE_UNAVAILABLE', `The store cannot be reached: ${error.message}`, { cause: error });
      }),
    terminate: () => end(new AbortError('The download worker was stopped', { details: { reason: 'close' } })),
  };
}
