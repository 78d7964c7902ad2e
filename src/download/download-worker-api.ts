import * as Comlink from 'comlink';
import { AbortError } from '../errors/index.ts';
import type { FileHash } from '../hub/index.ts';
import { fetchBlob, type FetchBlobResult, type FetchBlobTask } from './fetch-blob.ts';
import { hashBlob, type BlobHashReport } from './hash-blob.ts';
import { probeStorage, type BackendKind, type BlobStorage } from '../store/worker.ts';

/** What the download worker exposes through comlink: one fetch attempt or one hashing per call, abortable by id. */
export function createDownloadWorkerApi() {
  const running = new Map<string, AbortController>();
  return {
    async fetchBlob(id: string, task: FetchBlobTask, onProgress: (loaded: number, received: number) => void): Promise<FetchBlobResult> {
      const controller = new AbortController();
      running.set(id, controller);
      try {
        return await fetchBlob(task, controller.signal, onProgress);
      } finally {
        running.delete(id);
        (onProgress as Partial<Comlink.Remote<unknown>>)[Comlink.releaseProxy]?.();
      }
    },
    async hashBlob(id: string, blob: Blob, hash: FileHash): Promise<BlobHashReport> {
      const controller = new AbortController();
      running.set(id, controller);
      try {
        return await hashBlob(blob, hash, controller.signal);
      } finally {
        running.delete(id);
      }
    },
    probeStorage(storeName: string, wanted: 'auto' | BackendKind): Promise<BlobStorage> {
      return probeStorage(storeName, wanted);
    },
    abort(id: string, reason: string): void {
      running.get(id)?.abort(new AbortError(`Download ${reason}`, { details: { reason } }));
    },
  };
}

export type DownloadWorkerApi = ReturnType<typeof createDownloadWorkerApi>;
