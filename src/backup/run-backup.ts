import { throwIfAborted } from '../errors/index.ts';
import { blobKey, type Store } from '../store/index.ts';
import type { BackupFolder } from './backup-folder.ts';
import type { BackupManifest, BackupModel } from './backup-manifest.ts';

/** What one backup run did. */
export interface BackupReport {
  /** The snapshot file that describes the backup (a new one, or the latest when nothing changed). */
  snapshot: string;
  /** Whether the store held exactly what the latest snapshot lists: no new snapshot was written. */
  unchanged: boolean;
  /** Complete revisions in the snapshot. */
  models: number;
  /** Distinct blobs those revisions use, and how many of them this run wrote (the folder lacked them). */
  blobs: number;
  blobsWritten: number;
  bytesWritten: number;
  /** Revisions left out because the store does not hold all their bytes (a download in progress, an eviction). */
  skipped: Array<{ repo: string; commit: string }>;
}

/**
 * Copies every complete revision in the store to `folder`: only blobs the folder lacks (by key and
 * size) are written, then a snapshot manifest unless it would repeat the latest. Reads do not count
 * as uses (a backup keeps nothing from eviction) and take no lock a download needs.
 */
export async function runBackup(
  store: Store,
  folder: BackupFolder,
  now: number,
  signal?: AbortSignal,
  onBlob?: (written: { key: string; size: number }) => void,
): Promise<BackupReport> {
  const models: BackupModel[] = [];
  const skipped: BackupReport['skipped'] = [];
  const blobs = new Map<string, File>();
  for (const cached of await store.list()) {
    for (const { commit } of cached.revisions) {
      throwIfAborted(signal);
      const snapshot = await store.snapshot(cached.repo, commit);
      if (snapshot === undefined) continue;
      const files = Object.entries(snapshot.files)
        .map(([path, file]) => ({ path, size: file.size, hash: file.hash }))
        .sort((a, b) => (a.path < b.path ? -1 : 1));
      const bytes = await Promise.all(files.map((file) => store.blob(blobKey(file.hash), file.size)));
      if (bytes.some((blob) => blob === undefined)) {
        skipped.push({ repo: cached.repo, commit });
        continue;
      }
      files.forEach((file, index) => blobs.set(blobKey(file.hash), bytes[index] as File));
      models.push({ repo: cached.repo, commit, refs: await store.refsOf(cached.repo, commit), files });
    }
  }
  let blobsWritten = 0;
  let bytesWritten = 0;
  for (const [key, bytes] of blobs) {
    throwIfAborted(signal);
    if ((await folder.blobSize(key)) === bytes.size) continue;
    await folder.writeBlob(key, bytes, signal);
    blobsWritten++;
    bytesWritten += bytes.size;
    onBlob?.({ key, size: bytes.size });
  }
  const latest = await folder.latestSnapshot().catch(() => undefined);
  const unchanged = latest !== undefined && JSON.stringify(latest.manifest.models) === JSON.stringify(models);
  const manifest: BackupManifest = { format: 'hangar-backup', version: 1, createdAt: new Date(now).toISOString(), models };
  throwIfAborted(signal);
  const snapshot = unchanged ? latest.name : await folder.writeSnapshot(manifest);
  return { snapshot, unchanged, models: models.length, blobs: blobs.size, blobsWritten, bytesWritten, skipped };
}
