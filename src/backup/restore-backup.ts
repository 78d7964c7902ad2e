import { storeLocalBlob } from '../cache/index.ts';
import type { DownloadWorker } from '../download/index.ts';
import { BackupError, isHangarError, throwIfAborted } from '../errors/index.ts';
import { blobKey, type Store } from '../store/index.ts';
import type { BackupFolder } from './backup-folder.ts';

/** A backup file that was refused: missing, of the wrong size, or with bytes that do not match its hash. */
export interface DamagedBlob {
  key: string;
  reason: 'missing' | 'size' | 'hash';
  /** The hash of the bytes found (reason `hash`). */
  actual?: string;
  /** The files that needed it. */
  uses: Array<{ repo: string; commit: string; path: string }>;
}

/** What `restore()` did. */
export interface RestoreReport {
  snapshot: string;
  /** Each revision of the snapshot and whether all its files are in the store now. */
  models: Array<{ repo: string; commit: string; refs: string[]; restored: boolean }>;
  /** Blobs copied from the folder (hashed as they were written), and those the store held already. */
  blobsRestored: number;
  bytesRestored: number;
  blobsPresent: number;
  damaged: DamagedBlob[];
}

/**
 * Restores the latest snapshot of `folder` into the store. Every blob the store lacks is streamed in
 * and hashed on the way (a mismatch stores nothing); a missing or damaged one is reported in
 * `damaged`, and the revisions that need it stay incomplete (their refs are not set). A ref the
 * store already has keeps its commit. Works offline.
 */
export async function restoreBackup(
  store: Store,
  worker: DownloadWorker,
  folder: BackupFolder,
  signal?: AbortSignal,
): Promise<RestoreReport> {
  const latest = await folder.latestSnapshot();
  if (latest === undefined) throw new BackupError('BACKUP_INVALID', 'The backup folder holds no snapshot to restore');
  const { name, manifest } = latest;
  const report: RestoreReport = { snapshot: name, models: [], blobsRestored: 0, bytesRestored: 0, blobsPresent: 0, damaged: [] };
  const damaged = new Map<string, DamagedBlob>();
  const done = new Set<string>();
  for (const model of manifest.models) {
    let complete = true;
    for (const file of model.files) {
      throwIfAborted(signal);
      const key = blobKey(file.hash);
      const use = { repo: model.repo, commit: model.commit, path: file.path };
      const known = damaged.get(key);
      if (known !== undefined) {
        known.uses.push(use);
        complete = false;
        continue;
      }
      const record = () => store.addFile(model.repo, model.commit, { ...file, lfs: file.hash.algorithm === 'sha256' });
      if (done.has(key) || (await store.hasBlobBytes(key, file.size))) {
        if (!done.has(key)) report.blobsPresent++;
        done.add(key);
        await record();
        continue;
      }
      const bytes = await folder.readBlob(key);
      const problem: DamagedBlob | undefined =
        bytes === undefined
          ? { key, reason: 'missing', uses: [use] }
          : bytes.size !== file.size
            ? { key, reason: 'size', uses: [use] }
            : undefined;
      if (problem === undefined && bytes !== undefined) {
        try {
          await storeLocalBlob(store, worker, { key, size: file.size, hash: file.hash, bytes }, record, signal);
          done.add(key);
          report.blobsRestored++;
          report.bytesRestored += file.size;
          continue;
        } catch (error) {
          if (!isHangarError(error, 'INTEGRITY_MISMATCH')) throw error;
          damaged.set(key, { key, reason: 'hash', actual: String(error.details.actual ?? ''), uses: [use] });
        }
      } else if (problem !== undefined) damaged.set(key, problem);
      complete = false;
    }
    // A ref the store has already (a newer download) is not moved back to the backup's commit.
    if (complete)
      for (const ref of model.refs)
        if ((await store.localCommit(model.repo, ref)) === undefined) await store.setRef(model.repo, ref, model.commit);
    report.models.push({ repo: model.repo, commit: model.commit, refs: model.refs, restored: complete });
    if (complete) store.events.post({ type: 'imported', repo: model.repo, commit: model.commit });
  }
  report.damaged = [...damaged.values()];
  return report;
}
