import type { FileHash } from '../hub/index.ts';
import { blobKey } from './blob-key.ts';
import type { RefRecord, SnapshotRecord } from './meta-db.ts';

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

/**
 * Groups snapshots and refs into models, sorted by repo, revisions most recently used first. Sizes
 * come from the snapshots' files (a blob's size is its content's), a blob counted once per revision
 * and once per repo.
 */
export function listModels(snapshots: readonly SnapshotRecord[], refs: readonly RefRecord[]): CachedModel[] {
  const refsOf = new Map<string, string[]>();
  for (const ref of refs) {
    const id = `${ref.repo}\0${ref.commit}`;
    const list = refsOf.get(id);
    if (list === undefined) refsOf.set(id, [ref.ref]);
    else list.push(ref.ref);
  }
  const byRepo = new Map<string, SnapshotRecord[]>();
  for (const snapshot of snapshots) {
    const list = byRepo.get(snapshot.repo);
    if (list === undefined) byRepo.set(snapshot.repo, [snapshot]);
    else list.push(snapshot);
  }
  const models: CachedModel[] = [];
  for (const [repo, list] of byRepo) {
    const repoBlobs = new Map<string, number>();
    const revisions = list.map((snapshot): CachedRevision => {
      const blobs = new Map<string, number>();
      const files = Object.entries(snapshot.files).map(([path, file]) => {
        blobs.set(blobKey(file.hash), file.size);
        return { path, size: file.size, hash: file.hash };
      });
      let size = 0;
      for (const [key, bytes] of blobs) {
        size += bytes;
        repoBlobs.set(key, bytes);
      }
      return {
        commit: snapshot.commit,
        refs: (refsOf.get(`${repo}\0${snapshot.commit}`) ?? []).sort(),
        files: files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)),
        size,
        lastUsed: snapshot.lastUsed,
        pinned: snapshot.pinned,
      };
    });
    revisions.sort((a, b) => b.lastUsed - a.lastUsed);
    let size = 0;
    for (const bytes of repoBlobs.values()) size += bytes;
    models.push({ repo, revisions, size, lastUsed: revisions[0]?.lastUsed ?? 0, pinned: revisions.some((revision) => revision.pinned) });
  }
  return models.sort((a, b) => (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : 0));
}
