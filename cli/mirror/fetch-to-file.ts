import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import {
  DownloadError,
  IntegrityError,
  abortedBy,
  isAbort,
  isHangarError,
  toHangarError,
  type HangarError,
} from '../../src/errors/index.ts';
import type { FileHash, HubContext } from '../../src/hub/index.ts';
import { checkFileResponse } from './check-file-response.ts';
import { createFileHasher, type FileHasher } from './create-file-hasher.ts';
import { fetchFollowing } from './fetch-following.ts';

/** One file to fetch into the mirror. */
export interface FetchToFileTask {
  /** `{endpoint}/{repo}/resolve/{commit}/{path}` */
  url: string;
  /** The path in the repo, for messages. */
  path: string;
  size: number;
  hash: FileHash;
  /** Where the bytes go while they arrive (kept between attempts and runs, to resume). */
  partial: string;
  /** Where the file goes once its size and hash match. */
  final: string;
}

export interface FetchToFileOptions {
  context: Pick<HubContext, 'endpoint' | 'accessToken'>;
  /** No byte for this long: STALLED. */
  stallMs: number;
  /** The attempt's wall-clock limit: TIMEOUT. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Bytes that came over the network so far in this attempt. */
  onBytes?: (received: number) => void;
}

/** What an attempt did: `resumedFrom` bytes were on disk already, `received` came over the network. */
export interface FetchToFileResult {
  resumedFrom: number;
  received: number;
  /** The server ignored Range (or the partial was unusable): the file started again from byte 0. */
  restarted: boolean;
}

/**
 * One attempt at a file: continues the partial with `Range: bytes={length}-` (hashing what is on disk
 * first), streams the body into it while hashing (SHA-256 or git blob SHA-1), and renames it to its
 * final path only when size and hash match the listing. Bytes that fail the hash are deleted
 * (IntegrityError, retryable); on any other failure the partial stays for the next attempt.
 */
export async function fetchToFile(task: FetchToFileTask, options: FetchToFileOptions): Promise<FetchToFileResult> {
  await mkdir(dirname(task.partial), { recursive: true });
  const handle = await open(task.partial, 'r+').catch(() => open(task.partial, 'w+'));
  let hasher = createFileHasher(task.hash, task.size);
  let offset = 0;
  let received = 0;
  let restarted = false;
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  const restart = async (): Promise<void> => {
    await handle.truncate(0);
    hasher = createFileHasher(task.hash, task.size);
    offset = 0;
    restarted = true;
  };

  const controller = new AbortController();
  const onAbort = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const details = { path: task.path, url: task.url };
  const timeout = setTimeout(
    () => controller.abort(new DownloadError('TIMEOUT', `${task.path}: no complete download within ${options.timeoutMs} ms`, { details })),
    options.timeoutMs,
  );
  let lastByteAt = Date.now();
  const stallCheck = setInterval(
    () => {
      if (Date.now() - lastByteAt < options.stallMs) return;
      controller.abort(
        new DownloadError('STALLED', `${task.path}: no data for ${options.stallMs} ms`, { details: { ...details, offset } }),
      );
    },
    Math.max(10, Math.min(1000, options.stallMs / 4)),
  );
  const failure = (error: unknown): HangarError => {
    if (controller.signal.aborted) return abortedBy(controller.signal);
    if (isHangarError(error) || isAbort(error)) return toHangarError(error);
    return new DownloadError('NETWORK', `${task.path}: network error after ${offset} bytes (${(error as Error).message})`, {
      cause: error,
      details: { ...details, offset },
    });
  };

  try {
    const onDisk = (await handle.stat()).size;
    if (onDisk > task.size) await restart();
    else offset = await hashExisting(handle, onDisk, hasher);
    const resumedFrom = offset;
    if (offset < task.size) {
      const request = (from: number) =>
        fetchFollowing(options.context, task.url, from > 0 ? { Range: `bytes=${from}-` } : {}, controller.signal).catch(
          (error: unknown) => {
            throw failure(error);
          },
        );
      let { response, sentToken } = await request(offset);
      lastByteAt = Date.now();
      if (response.status === 416 && offset > 0) {
        void response.body?.cancel().catch(() => {});
        await restart();
        ({ response, sentToken } = await request(0));
      }
      const start = await checkFileResponse(response, task.path, task.size, offset, sentToken);
      if (start === 0 && offset > 0) await restart();
      const reader = response.body!.getReader();
      try {
        for (;;) {
          const { done, value } = await reader.read().catch((error: unknown) => {
            throw failure(error);
          });
          if (done) break;
          lastByteAt = Date.now();
          if (offset + value.byteLength > task.size) {
            throw new DownloadError('BAD_RESPONSE', `${task.path}: the server sent more than the ${task.size} bytes listed`, { details });
          }
          await handle.write(value, 0, value.byteLength, offset);
          hasher.update(value);
          offset += value.byteLength;
          received += value.byteLength;
          options.onBytes?.(received);
        }
      } finally {
        void reader.cancel().catch(() => {});
      }
      if (controller.signal.aborted) throw abortedBy(controller.signal);
      if (offset < task.size) {
        throw new DownloadError('NETWORK', `${task.path}: the connection closed after ${offset} of ${task.size} bytes`, {
          details: { ...details, offset, size: task.size },
        });
      }
    }
    const actual = hasher.digest();
    if (actual !== task.hash.value) {
      await close();
      await rm(task.partial, { force: true });
      throw new IntegrityError('INTEGRITY_MISMATCH', `${task.path}: ${task.hash.algorithm} is ${actual}, expected ${task.hash.value}`, {
        details: { path: task.path, algorithm: task.hash.algorithm, expected: task.hash.value, actual },
      });
    }
    await handle.sync();
    await close();
    await mkdir(dirname(task.final), { recursive: true });
    await rename(task.partial, task.final);
    return { resumedFrom, received, restarted };
  } catch (error) {
    throw failure(error);
  } finally {
    clearTimeout(timeout);
    clearInterval(stallCheck);
    controller.abort();
    options.signal?.removeEventListener('abort', onAbort);
    await close();
  }
}

/** Feeds the first `length` bytes of the partial to the hasher; returns `length`. */
async function hashExisting(handle: FileHandle, length: number, hasher: FileHasher): Promise<number> {
  const buffer = Buffer.alloc(Math.min(length, 4 * 2 ** 20));
  for (let at = 0; at < length;) {
    const { bytesRead } = await handle.read(buffer, 0, Math.min(buffer.length, length - at), at);
    if (bytesRead === 0) return at;
    hasher.update(buffer.subarray(0, bytesRead));
    at += bytesRead;
  }
  return length;
}
