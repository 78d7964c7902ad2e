import { throwIfAborted } from '../errors/index.ts';
import { collectGarbage, removeStalePartials } from './collect-garbage.ts';
import { planClean, type CleanPolicy } from './plan-clean.ts';
import { cleanInputs, removeSnapshots } from './snapshot-records.ts';
import type { StoreEvents } from './store-events.ts';
import type { StoreParts } from './store-parts.ts';
import type { CleanReport } from './types.ts';

/**
 * Evicts by `policy` (retention first, then LRU down to maxSize; pins and `protect`ed snapshots
 * stay), then deletes orphan blobs and stale partials, and tells every tab. With `dryRun` it only reports.
 */
export async function cleanStore(
  store: StoreParts,
  events: StoreEvents,
  policy: CleanPolicy,
  protect?: (snapshot: { repo: string; commit: string }) => boolean,
): Promise<CleanReport> {
  const { snapshots, sizes } = await cleanInputs(store.db);
  const plan = planClean(snapshots, sizes, policy, store.now(), protect);
  if (policy.dryRun === true) return { ...plan, dryRun: true, blobs: plan.orphanBlobs.length, partials: 0 };
  throwIfAborted(policy.signal);
  await removeSnapshots(store.db, plan.remove);
  const { blobs, bytes } = await collectGarbage(store, policy.signal);
  const partials = await removeStalePartials(store, policy.retention, policy.signal);
  events.post({ type: 'cleaned', removed: plan.remove.map(({ repo, commit }) => ({ repo, commit })), blobs, bytesFreed: bytes });
  return { ...plan, bytesFreed: bytes, dryRun: false, blobs, partials };
}
