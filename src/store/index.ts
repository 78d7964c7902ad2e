export { Store, type FileOptions } from './store.ts';
export { blobKey } from './blob-key.ts';
export type { SnapshotRecord, SnapshotFile, RefRecord, BlobRecord } from './meta-db.ts';
