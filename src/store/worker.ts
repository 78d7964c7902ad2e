/** What the download worker uses of the store: partial writers for both backends, and the storage probe. */
export { blobKey } from './blob-key.ts';
export { partialLockName, withLock } from './locks.ts';
export { openIdbPartial } from './idb-backend.ts';
export { openOpfsPartial } from './opfs-backend.ts';
export { probeStorage } from './probe-storage.ts';
export type { BackendKind, BlobStorage, ChunkValues, PartialWriter } from './blob-backend.ts';
