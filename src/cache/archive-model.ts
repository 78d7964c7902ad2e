import type { DownloadWorker } from '../download/index.ts';
import { StoreError, throwIfAborted } from '../errors/index.ts';
import { blobKey, type FileOptions, type Store, type LocalModel } from '../store/index.ts';
import { readArchive, writeArchive, type ArchiveManifest } from './archive/index.ts';
import { storeLocalBlob } from './store-local-blob.ts';

/** Packs a stored revision into one tar File (manifest + blobs); blob bytes are referenced, not copied. */
export async function exportModel(store: Store, repo: string, options: FileOptions & { signal?: AbortSignal }, now: number): Promise<File> {
  throwIfAborted(options.signal);
  const model = await store.load(repo, options);
  const blobs = new Map<string, Blob>();
  for (const file of model.files) {
    const key = blobKey(file.hash);
    const blob = await store.blob(key, file.size);
    if (blob === undefined)
      throw new StoreError('NOT_CACHED', `${repo}: the bytes of ${file.path} are missing`, { details: { repo, path: file.path } });
    blobs.set(key, blob);
    throwIfAborted(options.signal);
  }
  const manifest: ArchiveManifest = {
    format: 'hangar-archive',
    version: 1,
    createdAt: new Date(now).toISOString(),
    repo,
    commit: model.commit,
    refs: await store.refsOf(repo, model.commit),
    files: model.files,
  };
  return writeArchive(manifest, blobs);
}

/**
 * Reads an archive into the store. Its structure is checked and every entry re-hashed (in the
 * worker) before anything is written, so a bad archive (truncated, wrong hash, unsafe path,
 * oversized) throws StoreError ARCHIVE_INVALID and leaves the store as it was. Then each blob is
 * streamed into the store through the download pipeline (hashed again as it is written) and the
 * snapshot and refs are recorded.
 */
export async function importModel(store: Store, worker: DownloadWorker, file: Blob, signal?: AbortSignal): Promise<LocalModel> {
  const { manifest, entries } = await readArchive(file);
  for (const entry of entries) {
    throwIfAborted(signal);
    const report = await worker.hashBlob(file.slice(entry.offset, entry.offset + entry.size), entry.hash, signal);
    if (!report.ok) {
      throw new StoreError('ARCHIVE_INVALID', `Invalid model archive: blob ${entry.key} does not match its hash (got ${report.actual})`, {
        details: { reason: 'bad-hash', key: entry.key, expected: entry.hash.value, actual: report.actual },
      });
    }
  }
  for (const entry of entries) {
    throwIfAborted(signal);
    const bytes = file.slice(entry.offset, entry.offset + entry.size);
    await storeLocalBlob(
      store,
      worker,
      { key: entry.key, size: entry.size, hash: entry.hash, bytes },
      async () => {
        for (const path of manifest.files.filter((f) => blobKey(f.hash) === entry.key)) {
          await store.addFile(manifest.repo, manifest.commit, { ...path, lfs: path.hash.algorithm === 'sha256' });
        }
      },
      signal,
    );
  }
  for (const ref of manifest.refs) await store.setRef(manifest.repo, ref, manifest.commit);
  store.events.post({ type: 'imported', repo: manifest.repo, commit: manifest.commit });
  return store.load(manifest.repo, { revision: manifest.commit });
}
