import { within } from '../util/index.ts';
import type { BackendKind, BlobStorage } from './blob-backend.ts';
import type { MetaDb } from './meta-db.ts';
import type { StorageUsage } from './types.ts';

/** How long usage() waits for the StorageManager, which answers at once in every engine tried: a bound, not a delay. */
const STORAGE_MANAGER_MS = 2000;

/** Bytes the cache holds (distinct blobs) and the origin's usage, quota and persistence. */
export async function storageUsage(db: MetaDb, backend: BackendKind, storage: BlobStorage): Promise<StorageUsage> {
  const cacheBytes = (await db.getAll('blobs')).reduce((sum, blob) => sum + blob.size, 0);
  const manager = typeof navigator === 'undefined' ? undefined : navigator.storage;
  const [estimate, persisted] = await Promise.all([
    within(manager?.estimate?.(), STORAGE_MANAGER_MS),
    within(manager?.persisted?.(), STORAGE_MANAGER_MS),
  ]);
  return { backend, storage, cacheBytes, used: estimate?.usage, quota: estimate?.quota, persisted };
}
