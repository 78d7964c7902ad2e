export { createModelManager, type ModelManager, type CacheApi } from './create-model-manager.ts';
export type { HangarOptions, ResolvedConfig, Size, Duration } from './config/index.ts';
export { parseSize, parseDuration } from './config/index.ts';
export * from './errors/index.ts';
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
export type { FileOptions } from './store/index.ts';
