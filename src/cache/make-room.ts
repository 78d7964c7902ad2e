import type { ResolvedConfig } from '../config/index.ts';
import { StoreError } from '../errors/index.ts';
import type { Store } from '../store/index.ts';

/**
 * Before a download of `bytes` more: evicts least-recently-used snapshots (never `keep`, never
 * pinned ones) until the cache budget and the browser's quota have room, or throws StoreError
 * QUOTA_EXCEEDED with `details.needed` and `details.available`.
 */
export async function makeRoom(store: Store, config: ResolvedConfig, bytes: number, keep: { repo: string; commit: string }): Promise<void> {
  if (bytes === 0) return;
  const protect = (snapshot: { repo: string; commit: string }): boolean => snapshot.repo === keep.repo && snapshot.commit === keep.commit;
  const { maxSize } = config.cache;
  const full = (needed: number, available: number, limit: string): StoreError =>
    new StoreError('QUOTA_EXCEEDED', `Not enough room: ${needed} bytes needed, ${Math.max(0, available)} available (${limit})`, {
      details: { needed, available: Math.max(0, available), limit },
    });
  if (bytes > maxSize) throw full(bytes, maxSize, 'cache.maxSize');
  let usage = await store.usage();
  if (usage.cacheBytes + bytes > maxSize) {
    await store.clean({ maxSize: maxSize - bytes }, protect);
    usage = await store.usage();
    if (usage.cacheBytes + bytes > maxSize)
      throw full(bytes, maxSize - usage.cacheBytes, 'cache.maxSize, after evicting what is not pinned');
  }
  if (usage.quota === undefined || usage.used === undefined || bytes <= usage.quota - usage.used) return;
  await store.clean({ maxSize: Math.max(0, usage.cacheBytes - (bytes - (usage.quota - usage.used))) }, protect);
  usage = await store.usage();
  if (usage.quota !== undefined && usage.used !== undefined && bytes > usage.quota - usage.used) {
    throw full(bytes, usage.quota - usage.used, 'browser storage quota');
  }
}
