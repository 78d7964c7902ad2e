export { DownloadJob, type DownloadOptions, type DownloadEvents, type DownloadDeps } from './download-job.ts';
export type { CrossOriginEvent, CrossOriginOutcome } from './cross-origin-storage.ts';
export type { DownloadProgress, FileProgress, FileState, JobState } from './job-progress.ts';
export { connectDownloadWorker, type DownloadWorker } from './connect-download-worker.ts';
export { WorkerPool, type WorkerLease } from './worker-pool.ts';
export type { FetchBlobResult } from './fetch-blob.ts';
export type { BlobHashReport } from './hash-blob.ts';
export { installErrorTransfer } from './comlink-errors.ts';
