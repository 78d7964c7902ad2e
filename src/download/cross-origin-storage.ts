import { HangarError, IntegrityError, abortedBy, toHangarError } from '../errors/index.ts';
import type { RepoFile } from '../hub/index.ts';

// The part of the WICG Cross-Origin Storage API (https://github.com/WICG/cross-origin-storage) Hangar uses.

/** A file's hash as Cross-Origin Storage names it: `{ algorithm: 'SHA-256', value: <hex> }`. */
export interface CrossOriginStorageHash {
  algorithm: string;
  value: string;
}

/** A writable from a handle requested with `create: true`. */
export interface CrossOriginStorageWritable {
  write(data: Blob): Promise<void>;
  close(): Promise<void>;
  abort?(reason?: unknown): Promise<void>;
}

/** A handle: readable (`getFile`) when requested without `create`, writable (`createWritable`) with it. */
export interface CrossOriginStorageFileHandle {
  getFile(): Promise<File>;
  createWritable(): Promise<CrossOriginStorageWritable>;
}

/** `navigator.crossOriginStorage`: rejects with NotFoundError (not stored) or NotAllowedError (not granted). */
export interface CrossOriginStorageManager {
  requestFileHandles(hashes: CrossOriginStorageHash[], options?: { create?: boolean }): Promise<CrossOriginStorageFileHandle[]>;
}

/**
 * How long Hangar waits for Cross-Origin Storage to answer a request (its permission prompt
 * included) or to hand over a file; then it fetches from the network as if the API were absent.
 */
export const CROSS_ORIGIN_ANSWER_MS = 3000;

/** How a look-up in Cross-Origin Storage ended (the `cross-origin` event of a job). */
export type CrossOriginOutcome =
  /** The shared copy hashed right and is now in the store: no byte of the file came from the network. */
  | 'copied'
  /** Not stored there (NotFoundError). */
  | 'not-found'
  /** The user or the browser refused (NotAllowedError). */
  | 'denied'
  /** No answer within CROSS_ORIGIN_ANSWER_MS (a prompt nobody answers). */
  | 'no-answer'
  /** The shared copy did not match the listing (size or hash): ignored, `error` is the IntegrityError. */
  | 'rejected'
  /** Any other failure (`error` says which). */
  | 'failed';

/** One look-up of a file in Cross-Origin Storage; the file is then fetched from the network unless `outcome` is `copied`. */
export interface CrossOriginEvent {
  path: string;
  outcome: CrossOriginOutcome;
  error?: HangarError;
}

/** `navigator.crossOriginStorage` when it exists and `setting` allows it, else undefined. */
export function crossOriginStorage(setting: 'auto' | 'off'): CrossOriginStorageManager | undefined {
  if (setting === 'off' || typeof navigator === 'undefined') return undefined;
  const manager = (navigator as Navigator & { crossOriginStorage?: Partial<CrossOriginStorageManager> }).crossOriginStorage;
  return typeof manager?.requestFileHandles === 'function' ? (manager as CrossOriginStorageManager) : undefined;
}

/** Whether Cross-Origin Storage can hold `file`: LFS files, named by their SHA-256 (the git SHA-1 of small files is not a content hash it knows). */
export function sharable(file: RepoFile): boolean {
  return file.lfs && file.hash.algorithm === 'sha256';
}

function hashOf(file: RepoFile): CrossOriginStorageHash {
  return { algorithm: 'SHA-256', value: file.hash.value };
}

const NO_ANSWER = Symbol('no answer');

/** `promise`, or NO_ANSWER after CROSS_ORIGIN_ANSWER_MS; an abort of `signal` rejects with its reason. */
async function bounded<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T | typeof NO_ANSWER> {
  promise.catch(() => {});
  let timer: ReturnType<typeof setTimeout> | undefined;
  let onAbort = (): void => {};
  const timeout = new Promise<typeof NO_ANSWER>((resolve) => (timer = setTimeout(() => resolve(NO_ANSWER), CROSS_ORIGIN_ANSWER_MS)));
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(abortedBy(signal!));
    if (signal?.aborted) onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([promise, timeout, aborted]);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** What a look-up found: the shared copy to hash into the store, or why there is none. */
export type CrossOriginLookup = { outcome: 'found'; bytes: Blob } | CrossOriginEvent;

/**
 * Asks Cross-Origin Storage for `file` by its SHA-256, waiting at most CROSS_ORIGIN_ANSWER_MS for
 * the answer and as long again for the File. Never throws, except the abort of `signal`; the bytes
 * found are not trusted: the caller hashes them into the store.
 */
export async function lookupShared(manager: CrossOriginStorageManager, file: RepoFile, signal: AbortSignal): Promise<CrossOriginLookup> {
  const { path } = file;
  try {
    const handles = await bounded(manager.requestFileHandles([hashOf(file)]), signal);
    if (handles === NO_ANSWER) return { path, outcome: 'no-answer' };
    const handle = handles[0];
    if (handle === undefined) return { path, outcome: 'not-found' };
    const found = await bounded(handle.getFile(), signal);
    if (found === NO_ANSWER) return { path, outcome: 'no-answer' };
    if (found.size !== file.size) {
      const error = new IntegrityError(
        'INTEGRITY_MISMATCH',
        `${path}: the shared copy holds ${found.size} bytes, the Hub lists ${file.size}`,
        {
          details: { path, algorithm: 'size', expected: String(file.size), actual: String(found.size) },
        },
      );
      return { path, outcome: 'rejected', error };
    }
    // A slice has no type: the copy is read as plain bytes whatever type the shared File claims.
    return { outcome: 'found', bytes: found.slice(0, found.size) };
  } catch (error) {
    if (signal.aborted) throw abortedBy(signal);
    const name = (error as { name?: unknown } | null)?.name;
    if (name === 'NotFoundError') return { path, outcome: 'not-found' };
    if (name === 'NotAllowedError') return { path, outcome: 'denied' };
    return { path, outcome: 'failed', error: toHangarError(error, `${path}: Cross-Origin Storage failed`) };
  }
}

/**
 * Offers a verified file to Cross-Origin Storage for other sites, in the background: asks for a
 * writable handle (`create: true`), writes the stored bytes that `read` gives and closes it.
 * Waits at most CROSS_ORIGIN_ANSWER_MS for the handle; every failure is swallowed. The promise
 * (which never rejects) says whether the file was written, for tests; callers do not wait for it.
 */
export async function offerShared(
  manager: CrossOriginStorageManager,
  file: RepoFile,
  read: () => Promise<Blob | undefined>,
): Promise<boolean> {
  let writable: CrossOriginStorageWritable | undefined;
  try {
    const handles = await bounded(manager.requestFileHandles([hashOf(file)], { create: true }));
    if (handles === NO_ANSWER || handles[0] === undefined) return false;
    const bytes = await read();
    if (bytes === undefined || bytes.size !== file.size) return false;
    writable = await handles[0].createWritable();
    await writable.write(bytes);
    await writable.close();
    return true;
  } catch {
    await writable?.abort?.().catch(() => {});
    return false;
  }
}
