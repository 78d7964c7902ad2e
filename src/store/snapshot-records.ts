import { blobKey } from './blob-key.ts';
import { stampRepos, type MetaDb, type SnapshotRecord } from './meta-db.ts';

/** Points `ref` of `repo` at `commit`, stamping the repo, in one transaction. */
export async function putRef(db: MetaDb, repo: string, ref: string, commit: string, now: number): Promise<void> {
  const tx = db.transaction(['refs', 'stamps'], 'readwrite');
  await Promise.all([tx.objectStore('refs').put({ repo, ref, commit, updatedAt: now }), stampRepos(tx, [repo]), tx.done]);
}

/** Sets the last use of a snapshot (when it exists). */
export async function touchSnapshot(db: MetaDb, repo: string, commit: string, now: number): Promise<void> {
  const tx = db.transaction(['snapshots', 'stamps'], 'readwrite');
  const snapshots = tx.objectStore('snapshots');
  const snapshot = await snapshots.get([repo, commit]);
  if (snapshot !== undefined) await Promise.all([snapshots.put({ ...snapshot, lastUsed: now }), stampRepos(tx, [repo])]);
  await tx.done;
}

/** Pins or unpins the snapshots of `repo` at `commits`; the repo is stamped only when one changed. */
export async function pinSnapshots(db: MetaDb, repo: string, commits: readonly string[], pinned: boolean): Promise<void> {
  const tx = db.transaction(['snapshots', 'stamps'], 'readwrite');
  const snapshots = tx.objectStore('snapshots');
  let changed = false;
  for (const commit of commits) {
    const snapshot = await snapshots.get([repo, commit]);
    if (snapshot === undefined) continue;
    await snapshots.put({ ...snapshot, pinned });
    changed = true;
  }
  if (changed) await stampRepos(tx, [repo]);
  await tx.done;
}

/** Deletes snapshots and every ref that points at them, in one transaction. */
export async function removeSnapshots(db: MetaDb, list: ReadonlyArray<{ repo: string; commit: string }>): Promise<void> {
  if (list.length === 0) return;
  const tx = db.transaction(['snapshots', 'refs', 'stamps'], 'readwrite');
  await stampRepos(
    tx,
    list.map(({ repo }) => repo),
  );
  const refs = tx.objectStore('refs');
  for (const { repo, commit } of list) {
    await tx.objectStore('snapshots').delete([repo, commit]);
    for (const ref of await refs.index('repo').getAll(repo)) if (ref.commit === commit) await refs.delete([repo, ref.ref]);
  }
  await tx.done;
}

/** What a clean plans from: every snapshot, and each blob's size (from the snapshots; only unused blob records are read). */
export async function cleanInputs(db: MetaDb): Promise<{ snapshots: SnapshotRecord[]; sizes: Map<string, number> }> {
  const tx = db.transaction(['snapshots', 'blobs']);
  const [snapshots, keys] = await Promise.all([tx.objectStore('snapshots').getAll(), tx.objectStore('blobs').getAllKeys()]);
  const sizes = new Map<string, number>();
  for (const snapshot of snapshots) for (const file of Object.values(snapshot.files)) sizes.set(blobKey(file.hash), file.size);
  for (const key of keys) if (!sizes.has(key)) sizes.set(key, (await tx.objectStore('blobs').get(key))?.size ?? 0);
  return { snapshots, sizes };
}
