import { throwIfAborted } from '../errors/index.ts';
import { blobKey } from './blob-key.ts';
import { blobLockName, partialLockName, withLock } from './locks.ts';
import type { StoreParts } from './store-parts.ts';

const GC_PARALLEL = 8;
/** How long verified bytes without a record wait to be adopted by a download before garbage collection takes them. */
const UNRECORDED_GRACE_MS = 86_400_000;

/**
 * Deletes blobs no snapshot uses: their records, then their bytes (under each blob's lock). Bytes
 * that never had a record (a tab closed between moving a verified download into place and
 * recording it) stay for a day, for the next download to adopt; older ones go.
 */
export async function collectGarbage(store: StoreParts, signal?: AbortSignal): Promise<{ blobs: number; bytes: number }> {
  const tx = store.db.transaction(['snapshots', 'blobs'], 'readwrite');
  const used = new Set<string>();
  for (const snapshot of await tx.objectStore('snapshots').getAll()) {
    for (const file of Object.values(snapshot.files)) used.add(blobKey(file.hash));
  }
  const blobStore = tx.objectStore('blobs');
  const sizes = new Map<string, number>();
  for (const key of await blobStore.getAllKeys()) {
    if (used.has(key)) continue;
    sizes.set(key, (await blobStore.get(key))?.size ?? 0);
    await blobStore.delete(key);
  }
  await tx.done;
  let blobs = 0;
  let bytes = 0;
  const orphans = (await store.backend.listBlobs()).filter(
    ({ key, committed }) => !used.has(key) && (sizes.has(key) || store.now() - committed > UNRECORDED_GRACE_MS),
  );
  await eachLimited(orphans, GC_PARALLEL, async ({ key, size }) => {
    throwIfAborted(signal);
    await withLock(blobLockName(store.name, key), { ifAvailable: true }, async (held) => {
      if (!held || (await store.db.get('blobs', key)) !== undefined) return;
      await store.backend.removeBlob(key);
      blobs++;
      bytes += sizes.get(key) ?? size;
    });
  });
  return { blobs, bytes };
}

/**
 * Deletes partial downloads nobody is writing whose blob is already stored, whose checkpoint lost
 * its partial, or (with `olderThan`) that were not written for that long.
 */
export async function removeStalePartials(store: StoreParts, olderThan?: number, signal?: AbortSignal): Promise<number> {
  let removed = 0;
  for (const partial of await store.backend.listPartials()) {
    throwIfAborted(signal);
    const stale = async (): Promise<boolean> =>
      partial.orphan || (await store.hasBlob(partial.key)) || (olderThan !== undefined && store.now() - partial.modified > olderThan);
    if (await removeIdlePartial(store, partial.key, 0, stale)) removed++;
  }
  return removed;
}

/**
 * Removes the partial download of `key` when nobody uses it: no page holds the blob's lock (a job
 * writing it, or waiting to) and its worker, if one still has it open, lets go within `waitMs` (0:
 * at once). `remove` decides, holding both locks. True when it was removed.
 */
export async function removeIdlePartial(
  store: Pick<StoreParts, 'name' | 'backend'>,
  key: string,
  waitMs: number,
  remove: () => Promise<boolean> = async () => true,
): Promise<boolean> {
  try {
    return await withLock(blobLockName(store.name, key), { ifAvailable: true }, async (held) => {
      if (!held) return false;
      const options = waitMs > 0 ? { signal: AbortSignal.timeout(waitMs) } : { ifAvailable: true };
      return withLock(partialLockName(store.name, key), options, async (idle) => {
        if (!idle || !(await remove())) return false;
        await store.backend.removePartial(key);
        return true;
      });
    });
  } catch (error) {
    // Its writer kept it open past `waitMs`: the partial is still in use.
    if (error instanceof DOMException && (error.name === 'TimeoutError' || error.name === 'AbortError')) return false;
    throw error;
  }
}

/** Runs `fn` over `items`, at most `limit` at a time. */
async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}
