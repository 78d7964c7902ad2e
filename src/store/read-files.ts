import { StoreError } from '../errors/index.ts';
import { blobKey } from './blob-key.ts';
import type { SnapshotRecord } from './meta-db.ts';
import type { Store } from './store.ts';
import type { FileOptions, LocalModel } from './types.ts';

/** StoreError NOT_CACHED for `repo@revision` (and `path`), saying why. */
export function notCached(repo: string, revision: string, why: string, path?: string): StoreError {
  const what = path === undefined ? `${repo}@${revision}` : `${repo}@${revision}: ${path}`;
  return new StoreError('NOT_CACHED', `${what} is not cached (${why})`, { details: { repo, revision, path } });
}

/** The stored bytes of `path` in `repo` at `revision`, as a File; never touches the network; counts as a use. */
export async function readFile(store: Store, repo: string, path: string, options: FileOptions): Promise<File> {
  const { revision, snapshot } = await resolve(store, repo, options);
  const entry = snapshot.files[path];
  if (entry === undefined) throw notCached(repo, revision, `${path} was never downloaded`, path);
  const blob = await store.blob(blobKey(entry.hash), entry.size);
  if (blob === undefined) throw notCached(repo, revision, `the bytes of ${path} are missing`, path);
  await touchForRead(store, repo, snapshot.commit);
  return new File([blob], path.slice(path.lastIndexOf('/') + 1), { lastModified: blob.lastModified });
}

/** The stored revision with every file checked present; offline; counts as a use. Throws NOT_CACHED. */
export async function loadModel(store: Store, repo: string, options: FileOptions): Promise<LocalModel> {
  const { revision, snapshot } = await resolve(store, repo, options);
  const files = Object.entries(snapshot.files).map(([path, file]) => ({ path, size: file.size, hash: file.hash }));
  for (const file of files) {
    if (!(await store.hasBlobBytes(blobKey(file.hash), file.size))) {
      throw notCached(repo, revision, `the bytes of ${file.path} are missing`, file.path);
    }
  }
  await touchForRead(store, repo, snapshot.commit);
  return { repo, revision, commit: snapshot.commit, files: files.sort((a, b) => (a.path < b.path ? -1 : 1)) };
}

async function resolve(store: Store, repo: string, options: FileOptions): Promise<{ revision: string; snapshot: SnapshotRecord }> {
  const revision = options.revision ?? 'main';
  const commit = await store.localCommit(repo, revision);
  const snapshot = commit === undefined ? undefined : await store.snapshot(repo, commit);
  if (snapshot === undefined) throw notCached(repo, revision, 'this revision was never downloaded');
  return { revision, snapshot };
}

/** A read that cannot record its use (storage full, say) still returns what it read. */
async function touchForRead(store: Store, repo: string, commit: string): Promise<void> {
  await store.touch(repo, commit).catch(() => {});
}
