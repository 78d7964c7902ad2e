import {
  AbortError,
  DownloadError,
  HangarError,
  IntegrityError,
  StoreError,
  abortedBy,
  isAbort,
  toHangarError,
  isHangarError,
} from '../errors/index.ts';
import type { FileHash } from '../hub/index.ts';
import { blobKey, openIdbPartial, openOpfsPartial, partialLockName, withLock, type BlobStorage } from '../store/worker.ts';
import { checkResponse } from './check-response.ts';
import { encodeCheckpoint, restore } from './checkpoint.ts';
import { chunkReader, type ChunkReader } from './chunk-reader.ts';
import { createHasher } from './create-hasher.ts';
import { inlineHasher, startHashThread, type StreamHasher } from './hash-thread.ts';

/** One attempt at fetching one file into the store (runs in the download worker). */
export interface FetchBlobTask {
  url: string;
  /** Request headers for the first hop (the token, when the URL is on the endpoint's origin). */
  headers: Record<string, string>;
  storeName: string;
  /** Where the store keeps blob bytes (the probe's answer). */
  storage: BlobStorage;
  path: string;
  size: number;
  hash: FileHash;
  /** Wall-clock budget of this attempt. */
  timeoutMs: number;
  /** Abort when no byte arrives for this long. */
  stallMs: number;
  /** Hash on a thread of its own if the file is large enough to gain from it (the page saw a core to spare). */
  hashThread: boolean;
}

/** What an attempt did: `resumedFrom` bytes were already stored, `received` came over the network. */
export interface FetchBlobResult {
  size: number;
  resumedFrom: number;
  received: number;
  /** The server ignored Range (or the partial was unusable) and the file restarted from byte 0. */
  restarted: boolean;
  /** Hashed on a thread of its own beside the fetch (large files where the engine can start one), not inline. */
  hashThread: boolean;
}

// Checkpoints bound how much of a partial is re-hashed after a crash; they do not bound what is refetched.
const CHECKPOINT_BYTES = 64 * 2 ** 20;
const CHECKPOINT_MS = 2000;
const PROGRESS_MS = 100;
// How long an attempt that ended waits for the hash thread's state to checkpoint.
const CHECKPOINT_GRACE_MS = 1000;
// Below this a file is hashed where it is fetched: starting a thread would cost more than it saves.
const HASH_THREAD_MIN = 8 * 2 ** 20;

/**
 * Streams `task.url` into the partial download of its blob (OPFS sync access handle, or IndexedDB
 * chunks) while hashing it, resuming after the partial's last stored byte with a Range request. The
 * blob becomes visible only after its size and hash match; bytes that fail the hash are deleted
 * (IntegrityError).
 * On any other failure the partial and a checkpoint (offset + hasher state) stay for the next attempt;
 * if the page dies first, the next attempt re-hashes what was written after the last checkpoint.
 */
export async function fetchBlob(
  task: FetchBlobTask,
  signal: AbortSignal,
  onProgress: (loaded: number, received: number) => void,
): Promise<FetchBlobResult> {
  const key = blobKey(task.hash);
  // A writer that outlives its page (a closed or reloading tab) still has the partial open: wait for it, a bounded time.
  const waiting = new AbortController();
  const onAbort = (): void => waiting.abort(signal.reason);
  if (signal.aborted) onAbort();
  signal.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(
    () =>
      waiting.abort(
        new DownloadError('STALLED', `${task.path}: another writer kept the partial download open for ${task.stallMs} ms`, {
          details: { path: task.path },
        }),
      ),
    task.stallMs,
  );
  try {
    return await withLock(partialLockName(task.storeName, key), { signal: waiting.signal }, () => {
      clearTimeout(timer);
      return fetchInto(task, key, signal, onProgress);
    });
  } catch (error) {
    throw waiting.signal.aborted && !signal.aborted ? waiting.signal.reason : error;
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/** One attempt, holding the partial's lock. */
async function fetchInto(
  task: FetchBlobTask,
  key: string,
  signal: AbortSignal,
  onProgress: (loaded: number, received: number) => void,
): Promise<FetchBlobResult> {
  const opened =
    task.storage.backend === 'indexeddb'
      ? await openIdbPartial(task.storeName, key, task.storage.chunks ?? 'blob', task.size)
      : await openOpfsPartial(task.storeName, key, task.size);
  if (opened === 'stored') return { size: task.size, resumedFrom: task.size, received: 0, restarted: false, hashThread: false };
  const partial = opened;
  let offset: number;
  let thread: StreamHasher | undefined;
  let stream: StreamHasher;
  // Whatever throws before the attempt's own try (a hasher that cannot start, an abort during the catch-up) releases the partial.
  try {
    const { hasher, reset } = await createHasher(task.hash, task.size);
    offset = await restore(partial, hasher, reset, key, task.size, signal);
    // Hashing runs beside fetching and writing, on its own thread, from the restored state on.
    thread =
      task.hashThread && task.size >= HASH_THREAD_MIN && offset < task.size
        ? startHashThread(task.hash, task.size, hasher.save(), { stallMs: task.stallMs })
        : undefined;
    stream = thread ?? inlineHasher(hasher, reset);
  } catch (error) {
    await (partial.size() === 0 ? partial.discard() : partial.close()).catch(() => partial.close());
    throw toHangarError(error, task.path);
  }
  const resumedFrom = offset;
  let received = 0;
  let restarted = false;
  let state: 'open' | 'done' | 'discarded' = 'open';
  let lastCheckpoint = { offset, at: Date.now() };

  const writeCheckpoint = async (signal: AbortSignal): Promise<void> => {
    const at = offset;
    await partial.checkpoint(encodeCheckpoint(key, at, await hashing(stream.save(signal))));
    lastCheckpoint = { offset: at, at: Date.now() };
  };
  const restart = async (): Promise<void> => {
    await partial.truncate(0);
    stream.reset();
    offset = 0;
    restarted = true;
  };
  const discard = async (): Promise<void> => {
    state = 'discarded';
    await partial.discard();
  };

  const controller = new AbortController();
  const stop = (reason: unknown): void => controller.abort(reason);
  const onAbort = (): void => stop(new AbortError('Download aborted', { cause: signal.reason, details: { path: task.path } }));
  if (signal.aborted) onAbort();
  signal.addEventListener('abort', onAbort, { once: true });
  const timeout = setTimeout(
    () =>
      stop(
        new DownloadError('TIMEOUT', `${task.path}: no complete download within ${task.timeoutMs} ms`, { details: { path: task.path } }),
      ),
    task.timeoutMs,
  );
  let lastByteAt = Date.now();
  // Waits on the hash thread are bounded by the thread's own stall timeout, and do not count as the network's silence.
  let waitingOnHash = false;
  const hashing = async <T>(wait: Promise<T>): Promise<T> => {
    waitingOnHash = true;
    try {
      return await wait;
    } finally {
      waitingOnHash = false;
      lastByteAt = Date.now();
    }
  };
  const stallCheck = setInterval(
    () => {
      if (!waitingOnHash && Date.now() - lastByteAt >= task.stallMs) {
        stop(new DownloadError('STALLED', `${task.path}: no data for ${task.stallMs} ms`, { details: { path: task.path, offset } }));
      }
    },
    Math.max(10, Math.min(1000, task.stallMs / 4)),
  );
  let lastProgressAt = 0;
  let reader: ChunkReader | undefined;

  try {
    if (offset < task.size) {
      let response = await request(task, offset, controller.signal);
      if (response.status === 416 && offset > 0) {
        await restart();
        response = await request(task, 0, controller.signal);
      }
      const start = await checkResponse(response, task, offset);
      if (start === 0 && offset > 0) await restart();
      reader = chunkReader(response.body!);
      for (;;) {
        const { done, value } = await reader.read(stream.spare()).catch((error: unknown) => {
          throw readError(error, controller.signal, task, offset);
        });
        if (done) break;
        lastByteAt = Date.now();
        if (offset + value.byteLength > task.size) {
          throw new DownloadError('BAD_RESPONSE', `${task.path}: the server sent more than the ${task.size} bytes listed`, {
            details: { path: task.path, size: task.size },
          });
        }
        await partial.append(value);
        offset += value.byteLength;
        received += value.byteLength;
        // Last: the hash thread takes the buffer over.
        await hashing(stream.update(value, controller.signal));
        if (offset - lastCheckpoint.offset >= CHECKPOINT_BYTES || lastByteAt - lastCheckpoint.at >= CHECKPOINT_MS) {
          await writeCheckpoint(controller.signal);
        }
        if (lastByteAt - lastProgressAt >= PROGRESS_MS) {
          lastProgressAt = lastByteAt;
          onProgress(offset, received);
        }
      }
      if (controller.signal.aborted) throw controller.signal.reason;
      if (offset < task.size) {
        throw new DownloadError('NETWORK', `${task.path}: the connection closed after ${offset} of ${task.size} bytes`, {
          details: { path: task.path, offset, size: task.size },
        });
      }
    }
    const actual = await hashing(stream.digest(controller.signal));
    if (actual !== task.hash.value) {
      await discard();
      throw new IntegrityError('INTEGRITY_MISMATCH', `${task.path}: ${task.hash.algorithm} is ${actual}, expected ${task.hash.value}`, {
        details: { path: task.path, algorithm: task.hash.algorithm, expected: task.hash.value, actual },
      });
    }
    if (!(await partial.commit())) {
      // Written bytes went missing behind the writer (another tab, an outside edit): never recorded; the next attempt starts over.
      await discard();
      throw new IntegrityError('INTEGRITY_MISMATCH', `${task.path}: the stored bytes are incomplete`, {
        details: { path: task.path, algorithm: task.hash.algorithm, expected: task.hash.value, reason: 'incomplete' },
      });
    }
    state = 'done';
    onProgress(offset, received);
    return { size: task.size, resumedFrom, received, restarted, hashThread: thread !== undefined };
  } catch (error) {
    if (error instanceof StoreError && error.code === 'QUOTA_EXCEEDED' && state === 'open') await discard();
    throw toHangarError(error, task.path);
  } finally {
    void reader?.cancel();
    controller.abort(); // ends a response body left unread after an error
    clearTimeout(timeout);
    clearInterval(stallCheck);
    signal.removeEventListener('abort', onAbort);
    if (state === 'open') {
      onProgress(offset, received); // the bytes of a failed attempt count as fetched too
      // Nothing stored (a response refused before its first byte): leave no empty partial behind.
      if (offset === 0) await discard().catch(() => partial.close());
      else {
        // A hash thread that does not give its state at once (a stalled one, or a cancel overtaking it) leaves the last checkpoint.
        await writeCheckpoint(AbortSignal.timeout(Math.min(task.stallMs, CHECKPOINT_GRACE_MS))).catch(() => {});
        await partial.close();
      }
    }
    stream.close();
  }
}

async function request(task: FetchBlobTask, offset: number, signal: AbortSignal): Promise<Response> {
  const headers = new Headers(task.headers);
  if (offset > 0) headers.set('Range', `bytes=${offset}-`);
  try {
    return await fetch(task.url, { headers, signal, cache: 'no-store' });
  } catch (error) {
    throw readError(error, signal, task, offset);
  }
}

function readError(error: unknown, signal: AbortSignal, task: FetchBlobTask, offset: number): HangarError {
  if (signal.aborted) return abortedBy(signal);
  if (isHangarError(error) || isAbort(error)) return toHangarError(error);
  return new DownloadError('NETWORK', `${task.path}: network error after ${offset} bytes (${(error as Error).message})`, {
    cause: error,
    details: { path: task.path, offset },
  });
}
