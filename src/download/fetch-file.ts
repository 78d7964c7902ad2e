import type { ResolvedConfig } from '../config/index.ts';
import { toHangarError } from '../errors/index.ts';
import { authHeaders, resolveUrl, type RepoFile } from '../hub/index.ts';
import { blobKey, blobLockName, withLock, type Store } from '../store/index.ts';
import type { DownloadWorker } from './connect-download-worker.ts';
import type { FetchBlobTask } from './fetch-blob.ts';

/** One attempt at one file of a job. */
export interface FetchFileRequest {
  config: ResolvedConfig;
  store: Store;
  worker: DownloadWorker;
  repo: string;
  commit: string;
  file: RepoFile;
  /** What is left of `download.timeout` for this file. */
  timeoutMs: number;
  /** Stops the attempt (its reason is the attempt's error); the partial stays. */
  signal: AbortSignal;
  /** Bytes stored so far (`loaded`) and fetched over the network in this attempt (`received`). */
  onProgress: (loaded: number, received: number) => void;
}

/**
 * Fetches one file into the store under its blob's Web Lock and records it before the lock is
 * released. Verified bytes already in place without a record are adopted instead (re-hashed first).
 */
export async function fetchFile(request: FetchFileRequest): Promise<void> {
  const { config, store, worker, repo, commit, file, signal } = request;
  const key = blobKey(file.hash);
  const id = `${key}:${Math.random().toString(36).slice(2)}`;
  const onAbort = (): void => worker.abort(id);
  signal.addEventListener('abort', onAbort, { once: true });
  const url = resolveUrl(config.endpoint, repo, commit, file.path);
  const task: FetchBlobTask = {
    url,
    headers: authHeaders(config, url),
    storeName: config.storeName,
    storage: store.storage,
    path: file.path,
    size: file.size,
    hash: file.hash,
    timeoutMs: request.timeoutMs,
    stallMs: config.download.stallTimeout,
  };
  try {
    await withLock(blobLockName(config.storeName, key), { signal }, async () => {
      if (!(await store.hasBlob(key)) && !(await adopted(store, worker, file))) await worker.fetchBlob(id, task, request.onProgress);
      await store.addFile(repo, commit, file);
    });
  } catch (error) {
    if (signal.aborted) throw toHangarError(signal.reason);
    throw error;
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Whether verified bytes of `file` are already in place without a record (their tab went away
 * before recording them) and still hash right: then they are used, not fetched again. Bytes that
 * do not match are deleted. Call it holding the blob's lock.
 */
async function adopted(store: Store, worker: DownloadWorker, file: RepoFile): Promise<boolean> {
  const key = blobKey(file.hash);
  const bytes = await store.blob(key, file.size);
  if (bytes === undefined) return false;
  if ((await worker.hashBlob(bytes, file.hash)).ok) return true;
  await store.dropUnrecordedBytes(key);
  return false;
}
