import type { DownloadWorker } from '../download/index.ts';
import { abortedBy, isHangarError, StoreError } from '../errors/index.ts';
import type { FileHash } from '../hub/index.ts';
import { blobLockName, withLock, type Store } from '../store/index.ts';

/** A blob to store from bytes this device already holds (an archive entry, a backup file). */
export interface LocalBlob {
  key: string;
  size: number;
  hash: FileHash;
  bytes: Blob;
}

/**
 * Streams `blob.bytes` into the store through the download worker, hashed as they are written (a
 * mismatch throws IntegrityError and stores nothing), unless the store holds them already; then runs
 * `record` still holding the blob's lock, so garbage collection cannot take the blob in between.
 * An abort stops the copy mid-blob; the partial stays for a later try.
 */
export async function storeLocalBlob(
  store: Store,
  worker: DownloadWorker,
  blob: LocalBlob,
  record: () => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const url = URL.createObjectURL(blob.bytes);
  try {
    await withLock(blobLockName(store.name, blob.key), {}, async () => {
      if (!(await store.hasBlobBytes(blob.key, blob.size))) {
        const task = {
          url,
          headers: {},
          storeName: store.name,
          storage: store.storage,
          path: blob.key,
          size: blob.size,
          hash: blob.hash,
          timeoutMs: 3_600_000,
          stallMs: 60_000,
          // Local reads are fast: hashing is what limits a copy, so it gets a thread of its own.
          hashThread: true,
        };
        await worker.fetchBlob(task, () => {}, signal);
      }
      await record();
    });
  } catch (error) {
    if (signal?.aborted) throw abortedBy(signal);
    throw isHangarError(error)
      ? error
      : new StoreError('STORAGE_UNAVAILABLE', `Storing ${blob.key} failed: ${(error as Error).message}`, { cause: error });
  } finally {
    URL.revokeObjectURL(url);
  }
}
