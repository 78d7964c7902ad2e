import type { RepoFile } from '../hub/index.ts';
import { blobKey, type Store } from '../store/index.ts';

/** Bytes still to fetch for `files`: those not stored yet, minus what their partials hold. */
export async function bytesToFetch(store: Store, files: RepoFile[]): Promise<number> {
  let bytes = 0;
  for (const file of files) {
    const key = blobKey(file.hash);
    if (!(await store.hasBlobBytes(key, file.size))) bytes += file.size - Math.min(file.size, await store.partialSize(key));
  }
  return bytes;
}
