import type { FileHash } from '../hub/index.ts';
import { blobKey } from './blob-key.ts';
import type { BlobRecord, RefRecord, SnapshotRecord } from './meta-db.ts';

/** One stored revision of a repo. */
export interface CachedRevision {
  commit: string;
  /** Branches, tags and PR refs that point at this commit (empty: detached). */
  refs: string[];
  files: Array<{ path: string; size: number; hash: FileHash }>;
  /** Bytes of the distinct blobs this revision uses. */
  size: number;
  lastUsed: number;
  pinned: boolean;
}

/** A repo in the cache with its stored revisions. */
export interface CachedModel {
  repo: string;
  revisions: CachedRevision[];
  /** Bytes on disk for the repo, a blob shared by several revisions counted once. */
  size: number;
  lastUsed: number;
  /** True when any revision is pinned. */
  pinned: boolean;
}

/** Groups snapshots and refs into models, sorted by repo, revisions most recently used first. */
export function listModels(snapshots: readonly SnapshotRecord[], refs: readonly RefRecord[], blobs: readonly BlobRecord[]): CachedModel[] {
  const blobSize = new Map(blobs.map((blob) => [blob.key, blob.size]));
  const refsOf = new Map<string, string[]>();
  for (const ref of refs) {
    const id = `${ref.repo}\0${ref.commit}`;
    refsOf.set(id, [...(refsOf.get(id) ?? []), ref.ref]);
  }
  const byRepo = new Map<string, SnapshotRecord[]>();
  for (const snapshot of snapshots) byRepo.set(snapshot.repo, [...(byRepo.get(snapshot.repo) ?? []), snapshot]);
  const sizeOf = (keys: Iterable<string>): number => [...new Set(keys)].reduce((sum, key) => sum + (blobSize.get(key) ?? 0), 0);
  return [...byRepo.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([repo, list]) => {
      const revisions = list
        .map((snapshot): CachedRevision => ({
          commit: snapshot.commit,
          refs: (refsOf.get(`${repo}\0${snapshot.commit}`) ?? []).sort(),
          files: Object.entries(snapshot.files)
            .map(([path, file]) => ({ path, size: file.size, hash: file.hash }))
            .sort((a, b) => (a.path < b.path ? -1 : 1)),
          size: sizeOf(Object.values(snapshot.files).map((file) => blobKey(file.hash))),
          lastUsed: snapshot.lastUsed,
          pinned: snapshot.pinned,
        }))
        .sort((a, b) => b.lastUsed - a.lastUsed);
      return {
        repo,
        revisions,
        size: sizeOf(list.flatMap((snapshot) => Object.values(snapshot.files).map((file) => blobKey(file.hash)))),
        lastUsed: Math.max(...revisions.map((revision) => revision.lastUsed)),
        pinned: revisions.some((revision) => revision.pinned),
      };
    });
}
