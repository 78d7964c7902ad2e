export { createModelManager, type ModelManager } from './create-model-manager.ts';
export type { CacheApi, VerifyReport, VerifyProblem } from './create-cache-api.ts';
export type { HangarOptions, ResolvedConfig, Size, Duration } from './config/index.ts';
export { parseSize, parseDuration } from './config/index.ts';
export * from './errors/index.ts';
export { installErrorTransfer } from './download/index.ts';
export { planVariants } from './runtime/index.ts';
export type {
  DownloadJob,
  DownloadOptions,
  DownloadProgress,
  DownloadEvents,
  FileProgress,
  FileState,
  JobState,
  LocalModel,
} from './download/index.ts';
export type { FileHash, HashAlgorithm, RepoFile } from './hub/index.ts';
export type {
  BlobInfo,
  FileOptions,
  StoredModel,
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
export type {
  ModelPlan,
  PlannedSession,
  VariantPlan,
  SessionOptions,
  HangarSession,
  OnnxHeader,
  OnnxValueInfo,
  ValidateOptions,
  ValidationReport,
  BenchmarkOptions,
  BackendBenchmark,
  BackendTiming,
  InputOptions,
  TransformersCache,
  ConfigureTransformersOptions,
  TransformersEnv,
  TransformersCacheOptions,
  TransformersProgress,
} from './runtime/index.ts';
export type { MetricsSnapshot, BackendMetrics, DownloadMetrics } from './metrics/index.ts';
