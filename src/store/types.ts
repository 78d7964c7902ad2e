import type { FileHash } from '../hub/index.ts';
import type { BackendKind, BlobStorage } from './blob-backend.ts';
import type { CleanPlan } from './plan-clean.ts';

/** Options of `Store.file` and `Store.load`. */
export interface FileOptions {
  /**
   * Branch, tag or commit.
   * @default 'main'
   */
  revision?: string;
}

/** A model revision on this device with its files, as `download()` and `cache.load()` give it. */
export interface LocalModel {
  repo: string;
  revision: string;
  commit: string;
  files: Array<{ path: string; size: number; hash: FileHash }>;
}

/** What `delete()` removed. */
export interface DeleteReport {
  repo: string;
  commits: string[];
  blobs: number;
  bytesFreed: number;
}

/** What `clean()` removed (or would remove, with `dryRun`). */
export interface CleanReport extends CleanPlan {
  dryRun: boolean;
  /** Blobs actually deleted (a blob another tab is writing or reading stays for the next clean). */
  blobs: number;
  partials: number;
}

/** Storage use: the cache's own bytes and the origin's quota as the browser reports it. */
export interface StorageUsage {
  /** Where blob bytes live. */
  backend: BackendKind;
  /** How the backend was chosen (what was tried and why), and how IndexedDB chunks are kept. */
  storage: BlobStorage;
  cacheBytes: number;
  /** `navigator.storage.estimate()`; undefined where the browser has no StorageManager or does not answer within 2 s. */
  used: number | undefined;
  quota: number | undefined;
  /** `navigator.storage.persisted()`: whether the browser will keep the data under storage pressure (undefined: unknown). */
  persisted: boolean | undefined;
}

/** Where a blob is used: by which snapshots and paths. */
export interface BlobUse {
  key: string;
  hash: FileHash;
  size: number;
  uses: Array<{ repo: string; commit: string; path: string }>;
}

/** A stored blob, who uses it, when it was stored, and what the last `verify()` found. */
export interface BlobInfo extends BlobUse {
  /** When its bytes were stored: they were hashed as they arrived (download, adoption or import) and matched. */
  storedAt?: number;
  verifiedAt?: number;
  verifiedOk?: boolean;
}
