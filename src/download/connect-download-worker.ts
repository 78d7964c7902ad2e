import * as Comlink from 'comlink';
import { AbortError, DownloadError } from '../errors/index.ts';
import { installErrorTransfer } from './comlink-errors.ts';
import type { DownloadWorkerApi } from './download-worker-api.ts';
import type { FileHash } from '../hub/index.ts';
import type { FetchBlobResult, FetchBlobTask } from './fetch-blob.ts';
import type { BlobHashReport } from './hash-blob.ts';
import type { BackendKind, BlobStorage } from '../store/index.ts';

/** A running download worker. Calls still pending when it is terminated or crashes reject instead of hanging. */
export interface DownloadWorker {
  fetchBlob(id: string, task: FetchBlobTask, onProgress: (loaded: number, received: number) => void): Promise<FetchBlobResult>;
  abort(id: string): void;
  /** Hashes any Blob off the main thread: stored blobs (verify), archive entries (import). */
  hashBlob(blob: Blob, hash: FileHash): Promise<BlobHashReport>;
  /** Finds by trying where blob bytes can live in this browser (see `probeStorage`). */
  probeStorage(storeName: string, wanted: 'auto' | BackendKind): Promise<BlobStorage>;
  terminate(): void;
}

/** Starts the download worker (`workers/download.worker.ts`). */
export function connectDownloadWorker(): DownloadWorker {
  installErrorTransfer();
  const worker = new Worker(new URL('../../workers/download.worker.ts', import.meta.url), { type: 'module', name: 'hangar-download' });
  const api = Comlink.wrap<DownloadWorkerApi>(worker);
  let alive = true;
  let stop: (error: Error) => void = () => {};
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => {});
  worker.addEventListener('error', (event) => {
    stop(new DownloadError('NETWORK', `The download worker failed: ${event.message}`));
  });
  return {
    fetchBlob: (id, task, onProgress) => Promise.race([api.fetchBlob(id, task, Comlink.proxy(onProgress)), stopped]),
    hashBlob: (blob, hash) => Promise.race([api.hashBlob(blob, hash), stopped]),
    probeStorage: (storeName, wanted) => Promise.race([api.probeStorage(storeName, wanted), stopped]),
    abort: (id) => {
      if (alive) void api.abort(id, 'aborted').catch(() => {});
    },
    terminate: () => {
      alive = false;
      stop(new AbortError('The download worker was stopped', { details: { reason: 'close' } }));
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
