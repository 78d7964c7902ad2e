import type { HangarError } from '../errors/index.ts';
import type { RepoFile } from '../hub/index.ts';
import type { RateMeter } from '../util/index.ts';

export type FileState = 'queued' | 'downloading' | 'paused' | 'retrying' | 'done' | 'cached' | 'error' | 'cancelled';
export type JobState = 'resolving' | 'downloading' | 'paused' | 'done' | 'error' | 'cancelled';

/** Progress of one file. `etaSeconds` is null while the rate is unknown. */
export interface FileProgress {
  path: string;
  total: number;
  loaded: number;
  state: FileState;
  bytesPerSecond: number;
  etaSeconds: number | null;
  attempts: number;
  error?: { code: string; message: string };
}

/** A snapshot of a job's progress, per file and in total. */
export interface DownloadProgress {
  repo: string;
  revision: string;
  commit: string | undefined;
  state: JobState;
  loaded: number;
  total: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
  files: FileProgress[];
}

/** What a job tracks of one file. */
export interface FileEntry {
  file: RepoFile;
  loaded: number;
  state: FileState;
  attempts: number;
  rate: RateMeter;
  error?: HangarError;
  /** This job held the blob's lock and wrote to its partial download: a cancel may discard that partial. */
  wrote?: boolean;
}

/** A job's progress from its file entries: per file, and in total with the summed rate and an ETA. */
export function jobProgress(
  repo: string,
  revision: string,
  commit: string | undefined,
  state: JobState,
  entries: Iterable<FileEntry>,
): DownloadProgress {
  const files = [...entries].map((entry): FileProgress => {
    const bytesPerSecond = entry.state === 'downloading' ? entry.rate.bytesPerSecond : 0;
    const remaining = entry.file.size - entry.loaded;
    const progress: FileProgress = {
      path: entry.file.path,
      total: entry.file.size,
      loaded: entry.loaded,
      state: entry.state,
      bytesPerSecond,
      etaSeconds: remaining === 0 ? 0 : bytesPerSecond > 0 ? remaining / bytesPerSecond : null,
      attempts: entry.attempts,
    };
    if (entry.error !== undefined) progress.error = { code: entry.error.code, message: entry.error.message };
    return progress;
  });
  const loaded = files.reduce((sum, file) => sum + file.loaded, 0);
  const total = files.reduce((sum, file) => sum + file.total, 0);
  const bytesPerSecond = files.reduce((sum, file) => sum + file.bytesPerSecond, 0);
  const finished = state === 'done' || (total > 0 && loaded === total);
  return {
    repo,
    revision,
    commit,
    state,
    loaded,
    total,
    bytesPerSecond,
    etaSeconds: finished ? 0 : bytesPerSecond > 0 ? (total - loaded) / bytesPerSecond : null,
    files,
  };
}
