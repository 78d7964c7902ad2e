import { StoreError, type HangarError } from '../errors/index.ts';
import type { Store } from '../store/index.ts';

/** A quota error from the worker, with what the job still needs and what the browser says is left. */
export async function quotaError(store: Store, error: HangarError, pending: () => Promise<number>): Promise<HangarError> {
  if (typeof error.details.needed === 'number') return error;
  const needed = await pending();
  const { quota, used } = await store.usage();
  const available = quota === undefined || used === undefined ? 0 : Math.max(0, quota - used);
  return new StoreError('QUOTA_EXCEEDED', `Storage is full: ${needed} more bytes needed, ${available} available (the partial was freed)`, {
    cause: error,
    details: { ...error.details, needed, available },
  });
}
