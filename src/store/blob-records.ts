import type { RepoFile } from '../hub/index.ts';
import { blobKey } from './blob-key.ts';
import { blobLockName, withLock } from './locks.ts';
import { stampRepos, type MetaDb, type SnapshotRecord } from './meta-db.ts';
import type { StoreParts } from './store-parts.ts';
import type { BlobInfo, BlobUse } from './types.ts';

/**
 * Records `file` of `repo` at `commit` in its snapshot, and its blob unless `createBlob` is false:
 * then only when the blob is recorded already (false otherwise). One transaction.
 */
export async function recordFile(
  db: MetaDb,
  repo: string,
  commit: string,
  file: RepoFile,
  createBlob: boolean,
  now: number,
): Promise<boolean> {
  const key = blobKey(file.hash);
  const tx = db.transaction(['blobs', 'snapshots', 'stamps'], 'readwrite');
  const blobs = tx.objectStore('blobs');
  if ((await blobs.get(key)) === undefined) {
    if (!createBlob) {
      await tx.done;
      return false;
    }
    await blobs.put({ key, size: file.size, createdAt: now });
  }
  const snapshots = tx.objectStore('snapshots');
  const snapshot: SnapshotRecord = (await snapshots.get([repo, commit])) ?? {
    repo,
    commit,
    files: {},
    createdAt: now,
    lastUsed: now,
    pinned: false,
  };
  snapshot.files[file.path] = { size: file.size, hash: file.hash };
  snapshot.lastUsed = now;
  await Promise.all([snapshots.put(snapshot), stampRepos(tx, [repo])]);
  await tx.done;
  return true;
}

/** Every blob used by `repo` (or by any repo), with the snapshots and paths that use it. */
export async function blobUses(db: MetaDb, repo?: string): Promise<BlobUse[]> {
  const snapshots = repo === undefined ? await db.getAll('snapshots') : await db.getAllFromIndex('snapshots', 'repo', repo);
  const uses = new Map<string, BlobUse>();
  for (const snapshot of snapshots) {
    for (const [path, file] of Object.entries(snapshot.files)) {
      const key = blobKey(file.hash);
      const use = uses.get(key) ?? { key, hash: file.hash, size: file.size, uses: [] };
      use.uses.push({ repo: snapshot.repo, commit: snapshot.commit, path });
      uses.set(key, use);
    }
  }
  return [...uses.values()];
}

/** `blobUses` with when each blob was stored (hashed on arrival) and its last verification. */
export async function blobInfo(db: MetaDb, repo?: string): Promise<BlobInfo[]> {
  const uses = await blobUses(db, repo);
  const records = new Map((await db.getAll('blobs')).map((record) => [record.key, record]));
  return uses.map((use) => {
    const record = records.get(use.key);
    return {
      ...use,
      ...(record === undefined ? {} : { storedAt: record.createdAt }),
      ...(record?.verifiedAt === undefined ? {} : { verifiedAt: record.verifiedAt }),
      ...(record?.verifiedOk === undefined ? {} : { verifiedOk: record.verifiedOk }),
    };
  });
}

/** Records the outcome of re-hashing blob `key`. */
export async function markVerified(db: MetaDb, key: string, ok: boolean, now: number): Promise<void> {
  const tx = db.transaction('blobs', 'readwrite');
  const record = await tx.store.get(key);
  if (record !== undefined) await tx.store.put({ ...record, verifiedAt: now, verifiedOk: ok });
  await tx.done;
}

/**
 * Drops every snapshot entry using blob `key` and its record in one transaction, then its bytes
 * under its lock unless a record came back. Returns the entries that were dropped.
 */
export async function dropBlob(store: StoreParts, key: string): Promise<Array<{ repo: string; commit: string; path: string }>> {
  const dropped: Array<{ repo: string; commit: string; path: string }> = [];
  const tx = store.db.transaction(['snapshots', 'blobs', 'stamps'], 'readwrite');
  const snapshots = tx.objectStore('snapshots');
  for (const snapshot of await snapshots.getAll()) {
    const paths = Object.entries(snapshot.files).filter(([, file]) => blobKey(file.hash) === key);
    if (paths.length === 0) continue;
    for (const [path] of paths) {
      delete snapshot.files[path];
      dropped.push({ repo: snapshot.repo, commit: snapshot.commit, path });
    }
    await snapshots.put(snapshot);
  }
  await Promise.all([
    tx.objectStore('blobs').delete(key),
    stampRepos(
      tx,
      dropped.map((entry) => entry.repo),
    ),
  ]);
  await tx.done;
  await withLock(blobLockName(store.name, key), {}, async () => {
    if ((await store.db.get('blobs', key)) === undefined) await store.backend.removeBlob(key);
  });
  return dropped;
}
