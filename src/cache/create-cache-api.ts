import { exportModel, importModel } from './archive-model.ts';
import type { ResolvedConfig } from '../config/index.ts';
import type { DownloadWorker } from '../download/index.ts';
import { throwIfAborted } from '../errors/index.ts';
import type {
  BlobInfo,
  CachedModel,
  CleanPolicy,
  CleanReport,
  DeleteReport,
  FileOptions,
  StorageUsage,
  Store,
  LocalModel,
} from '../store/index.ts';

/** One blob that failed `verify()`: missing or with other bytes than its hash; the entries that used it were dropped. */
export interface VerifyProblem {
  key: string;
  expected: string;
  /** The hash of the bytes found, or null when the bytes were missing. */
  actual: string | null;
  dropped: Array<{ repo: string; commit: string; path: string }>;
}

/** The outcome of `verify()`. */
export interface VerifyReport {
  checked: number;
  ok: number;
  bad: VerifyProblem[];
}

/** `mm.cache`: list, load, read, delete, pin, clean, verify and measure what the browser holds. */
export interface CacheApi {
  /**
   * Every cached repo: revisions (commit, refs, files), size on disk with shared blobs counted once,
   * last use, pins. Kept between calls while nothing changed in any tab (then one read); the models
   * are frozen.
   */
  list(): Promise<CachedModel[]>;
  /** A stored revision with every file present; offline only: throws StoreError NOT_CACHED, never touches the network. */
  load(repo: string, options?: FileOptions): Promise<LocalModel>;
  /** The stored bytes of `path` as a File (lazily read from disk); throws NOT_CACHED. Counts as a use. */
  file(repo: string, path: string, options?: FileOptions): Promise<File>;
  /** Deletes one revision (or every revision) of `repo`; blobs other snapshots use stay. */
  delete(repo: string, options?: { revision?: string }): Promise<DeleteReport>;
  /** Pins a revision (or every revision) so `clean()` never evicts it. */
  pin(repo: string, options?: { revision?: string }): Promise<string[]>;
  unpin(repo: string, options?: { revision?: string }): Promise<string[]>;
  /** Evicts by `policy` (default: the configured maxSize and retention); `dryRun` reports without deleting. */
  clean(policy?: CleanPolicy): Promise<CleanReport>;
  /** Re-hashes every blob of `repo` (or of the whole cache); bad or missing blobs are dropped so the next download refetches them. */
  verify(repo?: string, options?: { signal?: AbortSignal }): Promise<VerifyReport>;
  /** Every stored blob (or those `repo` uses) with the files that use it (shared blobs have several) and the last `verify()` outcome. */
  blobs(repo?: string): Promise<BlobInfo[]>;
  /** Cache bytes, and the origin's usage, quota and whether storage is persisted. */
  usage(): Promise<StorageUsage>;
  /** One archive File (tar: manifest with hashes + blobs) of a stored revision, for backup or sideloading. */
  export(repo: string, options?: FileOptions & { signal?: AbortSignal }): Promise<File>;
  /** Stores the model in an archive after checking every hash; a bad archive throws StoreError ARCHIVE_INVALID and changes nothing. */
  import(file: Blob, options?: { signal?: AbortSignal }): Promise<LocalModel>;
}

/** Builds `mm.cache` over a lazily opened store and the download worker (which re-hashes for `verify`). */
export function createCacheApi(config: ResolvedConfig, store: () => Promise<Store>, worker: () => DownloadWorker): CacheApi {
  const pin = async (repo: string, pinned: boolean, options: { revision?: string } = {}) =>
    (await store()).setPinned(repo, pinned, options);
  return {
    list: async () => (await store()).list(),
    load: async (repo, options) => (await store()).load(repo, options),
    file: async (repo, path, options) => (await store()).file(repo, path, options),
    delete: async (repo, options) => (await store()).delete(repo, options),
    pin: (repo, options) => pin(repo, true, options),
    unpin: (repo, options) => pin(repo, false, options),
    clean: async (policy = {}) => (await store()).clean({ maxSize: config.cache.maxSize, retention: config.cache.retention, ...policy }),
    usage: async () => (await store()).usage(),
    blobs: async (repo) => (await store()).blobInfo(repo),
    export: async (repo, options = {}) => exportModel(await store(), repo, options, config.now()),
    import: async (file, options = {}) => importModel(await store(), worker(), file, options.signal),
    async verify(repo, options = {}) {
      const opened = await store();
      const uses = await opened.blobUses(repo);
      const bad: VerifyProblem[] = [];
      for (const use of uses) {
        throwIfAborted(options.signal);
        const bytes = await opened.blob(use.key, use.size);
        const actual = bytes === undefined ? null : (await worker().hashBlob(bytes, use.hash, options.signal)).actual;
        const ok = actual === use.hash.value;
        await opened.markVerified(use.key, ok);
        if (!ok) bad.push({ key: use.key, expected: use.hash.value, actual, dropped: await opened.dropBlob(use.key) });
      }
      opened.events.post({ type: 'verified', repo, checked: uses.length, bad: bad.length });
      return { checked: uses.length, ok: uses.length - bad.length, bad };
    },
  };
}
