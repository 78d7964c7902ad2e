export { createModelManager } from './create-model-manager.ts';
export type { ModelManager, ManagerEvents, BackgroundFailure } from './model-manager.ts';
export type { CacheApi, VerifyReport, VerifyProblem } from './cache/index.ts';
export type { BackupApi, BackupOptions, BackupStatus, BackupReport, BackupRun, RestoreReport, DamagedBlob } from './backup/index.ts';
export type { HangarOptions, ResolvedConfig, Size, Duration } from './config/index.ts';
export { parseSize, parseDuration } from './config/index.ts';
export { formatBytes, formatEta } from './util/index.ts';
export * from './errors/index.ts';
export { installErrorTransfer } from './download/index.ts';
export { planVariants } from './plan/index.ts';
export type {
  DownloadJob,
  DownloadOptions,
  DownloadProgress,
  DownloadEvents,
  CrossOriginEvent,
  CrossOriginOutcome,
  FileProgress,
  FileState,
  JobState,
} from './download/index.ts';
export type { FileHash, HashAlgorithm, RepoFile } from './hub/index.ts';
export type {
  BlobInfo,
  FileOptions,
  LocalModel,
  CachedModel,
  CachedRevision,
  CleanPolicy,
  CleanReport,
  DeleteReport,
  StorageUsage,
  StoreChange,
  StoreEvent,
  BackendKind,
  BlobStorage,
  ChunkValues,
} from './store/index.ts';
export { DTYPES } from './probe/index.ts';
export type { HardwareProfile, HardwareFacts, Recommendation, WebGpuInfo, Dtype, Backend } from './probe/index.ts';
export type { ModelPlan, PlannedSession, VariantPlan } from './plan/index.ts';
export type { MetricsSnapshot, BackendMetrics, DownloadMetrics } from './metrics/index.ts';
