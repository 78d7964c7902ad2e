import type { BlobInfo, CachedModel, Dtype } from '../index.ts';
// The panel's bundle must not pull in the store and the Hub client: package.json's `sideEffects` lets the
// bundler keep only what is used of these indexes (bench `panel` lists the modules it ships).
import { parseGraphPath } from '../plan/index.ts';
import { blobKey } from '../store/index.ts';

/** One stored file as the panel shows it. */
export interface FileDetails {
  path: string;
  size: number;
  /** `sha256:<hex>` or `git-sha1:<hex>`. */
  hash: string;
  /** The transformers.js variant of an ONNX graph (`q8` for `_quantized`...), when the file is one. */
  variant?: Dtype;
  /** Other files (any repo or revision) that share this file's blob. */
  sharedWith: number;
  /**
   * What the last `verify()` found; `at-download` when it has not run since the bytes were stored
   * (hashed as they arrived); `never` for a blob without a record.
   */
  integrity: 'ok' | 'bad' | 'at-download' | 'never';
  /** When `integrity` was established. */
  verifiedAt?: number;
}

/** A cached model with everything the panel shows, and what "copy as JSON" copies. */
export interface ModelDetails {
  repo: string;
  size: number;
  lastUsed: number;
  pinned: boolean;
  revisions: Array<{ commit: string; refs: string[]; size: number; lastUsed: number; pinned: boolean; files: FileDetails[] }>;
}

/** Joins a cached model with the store's blob records (shared blobs, last verification). */
export function modelDetails(model: CachedModel, blobs: readonly BlobInfo[]): ModelDetails {
  const byKey = new Map(blobs.map((blob) => [blob.key, blob]));
  return {
    repo: model.repo,
    size: model.size,
    lastUsed: model.lastUsed,
    pinned: model.pinned,
    revisions: model.revisions.map((revision) => ({
      commit: revision.commit,
      refs: revision.refs,
      size: revision.size,
      lastUsed: revision.lastUsed,
      pinned: revision.pinned,
      files: revision.files.map((file) => {
        const blob = byKey.get(blobKey(file.hash));
        const variant = parseGraphPath(file.path)?.dtype;
        return {
          path: file.path,
          size: file.size,
          hash: `${file.hash.algorithm}:${file.hash.value}`,
          ...(variant === undefined ? {} : { variant }),
          sharedWith: Math.max(0, (blob?.uses.length ?? 1) - 1),
          integrity:
            blob?.verifiedOk !== undefined ? (blob.verifiedOk ? 'ok' : 'bad') : blob?.storedAt !== undefined ? 'at-download' : 'never',
          ...(blob?.verifiedAt === undefined
            ? blob?.storedAt === undefined
              ? {}
              : { verifiedAt: blob.storedAt }
            : { verifiedAt: blob.verifiedAt }),
        };
      }),
    })),
  };
}
