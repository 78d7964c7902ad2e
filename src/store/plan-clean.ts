import type { SnapshotRecord } from './meta-db.ts';
import { blobKey } from './blob-key.ts';

/** What `clean()` should do; every limit is optional. */
export interface CleanPolicy {
  /** Evict least-recently-used snapshots until the blobs they use fit in this many bytes. */
  maxSize?: number;
  /** Evict snapshots not used for this many milliseconds. */
  retention?: number;
  /** Report what would go without changing anything. */
  dryRun?: boolean;
  /** Stops a clean between deletions (what was deleted stays deleted; the store stays consistent). */
  signal?: AbortSignal;
}

/** The outcome of planning: snapshots to remove, blobs no snapshot will use, and the sizes involved. */
export interface CleanPlan {
  remove: Array<{ repo: string; commit: string; reason: 'retention' | 'maxSize' }>;
  orphanBlobs: string[];
  bytesFreed: number;
  sizeBefore: number;
  sizeAfter: number;
}

type PlannedSnapshot = Pick<SnapshotRecord, 'repo' | 'commit' | 'lastUsed' | 'pinned' | 'files'>;

/**
 * Plans a clean, as a pure function: expired snapshots go first, then LRU snapshots while the
 * unique blobs still used exceed `maxSize`. Pinned snapshots and `protect`ed ones always stay;
 * a blob shared by several snapshots counts once and is freed only when none of them stays.
 */
export function planClean(
  snapshots: readonly PlannedSnapshot[],
  blobSizes: ReadonlyMap<string, number>,
  policy: CleanPolicy,
  now: number,
  protect: (snapshot: PlannedSnapshot) => boolean = () => false,
): CleanPlan {
  const keysOf = new Map<PlannedSnapshot, Set<string>>();
  const refs = new Map<string, number>();
  let size = 0;
  for (const snapshot of snapshots) {
    const keys = new Set(Object.values(snapshot.files).map((file) => blobKey(file.hash)));
    keysOf.set(snapshot, keys);
    for (const key of keys) {
      const count = refs.get(key) ?? 0;
      if (count === 0) size += blobSizes.get(key) ?? 0;
      refs.set(key, count + 1);
    }
  }
  const sizeBefore = size;
  const remove: CleanPlan['remove'] = [];
  const drop = (snapshot: PlannedSnapshot, reason: 'retention' | 'maxSize'): void => {
    remove.push({ repo: snapshot.repo, commit: snapshot.commit, reason });
    for (const key of keysOf.get(snapshot)!) {
      const count = refs.get(key)! - 1;
      refs.set(key, count);
      if (count === 0) size -= blobSizes.get(key) ?? 0;
    }
  };
  const evictable = snapshots.filter((snapshot) => !snapshot.pinned && !protect(snapshot)).sort((a, b) => a.lastUsed - b.lastUsed);
  const kept: PlannedSnapshot[] = [];
  for (const snapshot of evictable) {
    if (policy.retention !== undefined && now - snapshot.lastUsed > policy.retention) drop(snapshot, 'retention');
    else kept.push(snapshot);
  }
  for (const snapshot of kept) {
    if (policy.maxSize === undefined || size <= policy.maxSize) break;
    drop(snapshot, 'maxSize');
  }
  const orphanBlobs = [...blobSizes.keys()].filter((key) => (refs.get(key) ?? 0) === 0);
  const bytesFreed = orphanBlobs.reduce((sum, key) => sum + (blobSizes.get(key) ?? 0), 0);
  return { remove, orphanBlobs, bytesFreed, sizeBefore, sizeAfter: size };
}
