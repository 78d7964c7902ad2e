export {
  Store,
  type FileOptions,
  type StoredModel,
  type DeleteReport,
  type CleanReport,
  type StorageUsage,
  type BlobUse,
  type BlobInfo,
  type StoreOptions,
} from './store.ts';
export { blobKey } from './blob-key.ts';
export type { BackendKind, BlobStorage, ChunkValues } from './blob-backend.ts';
export { blobLockName, withLock } from './locks.ts';
export type { CleanPolicy, CleanPlan } from './plan-clean.ts';
export type { CachedModel, CachedRevision } from './list-models.ts';
export { StoreEvents, type StoreChange, type StoreEvent } from './store-events.ts';
export type { SnapshotRecord, SnapshotFile, RefRecord, BlobRecord } from './meta-db.ts';
