import type { ResolvedConfig } from '../config/index.ts';
import { toHangarError } from '../errors/index.ts';
import { authHeaders, resolveUrl, type RepoFile } from '../hub/index.ts';
import { blobKey, blobLockName, withLock, type Store } from '../store/index.ts';
import type { DownloadWorker } from './connect-download-worker.ts';
import { crossOriginStorage, lookupShared, offerShared, sharable, type CrossOriginEvent } from './cross-origin-storage.ts';
import type { FetchBlobTask } from './fetch-blob.ts';

/** One attempt at one file of a job. */
export interface FetchFileRequest {
  config: ResolvedConfig;
  store: Store;
  worker: DownloadWorker;
  /** Hash a large file on a thread of its own (the device has a core to spare). */
  hashThread: boolean;
  repo: string;
  commit: string;
  file: RepoFile;
  /** What is left of `download.timeout` for this file. */
  timeoutMs: number;
  /** Stops the attempt (its reason is the attempt's error); the partial stays. */
  signal: AbortSignal;
  /** Bytes stored so far (`loaded`) and fetched over the network in this attempt (`received`). */
  onProgress: (loaded: number, received: number) => void;
  /** Called holding the blob's lock, before bytes go to its partial download. */
  onWriting?: () => void;
  /** Cross-Origin Storage for this file of a job: `ask()` says whether it may be asked now (once per file at most), `report` hears how it ended. Without it, never asked. */
  crossOrigin?: { ask: () => boolean; report: (event: CrossOriginEvent) => void };
}

/**
 * Fetches one file into the store under its blob's Web Lock and records it before the lock is
 * released. Verified bytes already in place without a record are adopted instead (re-hashed first);
 * an LFS file that Cross-Origin Storage holds is copied from there (hashed as it is written), and
 * one fetched from the network is offered to it afterwards, in the background.
 */
export async function fetchFile(request: FetchFileRequest): Promise<void> {
  const { config, store, worker, repo, commit, file, signal } = request;
  const key = blobKey(file.hash);
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
    hashThread: request.hashThread,
  };
  let fetched = false;
  try {
    await withLock(blobLockName(config.storeName, key), { signal }, async () => {
      if (!(await store.hasBlob(key)) && !(await adopted(store, worker, file)) && !(await copiedFromShared(request, task))) {
        request.onWriting?.();
        await worker.fetchBlob(task, request.onProgress, signal);
        fetched = true;
      }
      await store.addFile(repo, commit, file);
    });
  } catch (error) {
    if (signal.aborted) throw toHangarError(signal.reason);
    throw error;
  }
  const shared = fetched && sharable(file) ? crossOriginStorage(config.cache.crossOrigin) : undefined;
  // Never waited for: the job goes on (and may end) while the stored bytes are written there.
  if (shared !== undefined) void offerShared(shared, file, () => store.blob(key, file.size));
}

/**
 * Copies `file` from Cross-Origin Storage into the store, through the download worker like a
 * download (hashed as it is written, committed only if it matches). False, with the outcome
 * reported, when there is no usable copy: not asked (no API, `cache.crossOrigin: 'off'`, not an
 * LFS file, asked already, a partial download under way, the job's prompt refused or unanswered), not stored, refused, no
 * answer in time, or a copy that does not hash right (its bytes are dropped). Throws only when the
 * attempt is aborted. Call it holding the blob's lock.
 */
async function copiedFromShared(request: FetchFileRequest, task: FetchBlobTask): Promise<boolean> {
  const { config, store, worker, file, signal, crossOrigin } = request;
  if (crossOrigin === undefined || !sharable(file)) return false;
  const manager = crossOriginStorage(config.cache.crossOrigin);
  const key = blobKey(file.hash);
  if (manager === undefined || (await store.partialSize(key)) > 0 || !crossOrigin.ask()) return false;
  const found = await lookupShared(manager, file, signal);
  if (found.outcome !== 'found') {
    crossOrigin.report(found);
    return false;
  }
  const url = URL.createObjectURL(found.bytes);
  request.onWriting?.();
  try {
    // Copied bytes advance `loaded` but are never `received`: none came over the network.
    await worker.fetchBlob({ ...task, url, headers: {} }, (loaded) => request.onProgress(loaded, 0), signal);
    crossOrigin.report({ path: file.path, outcome: 'copied' });
    return true;
  } catch (thrown) {
    const error = toHangarError(thrown);
    if (signal.aborted || error.code === 'ABORTED') throw error;
    crossOrigin.report({ path: file.path, outcome: error.code === 'INTEGRITY_MISMATCH' ? 'rejected' : 'failed', error });
    await store.discardPartial(key).catch(() => {});
    request.onProgress(0, 0);
    return false;
  } finally {
    URL.revokeObjectURL(url);
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
