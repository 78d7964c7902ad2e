import type { BackupApi } from './backup/index.ts';
import type { CacheApi } from './cache/index.ts';
import type { ResolvedConfig } from './config/index.ts';
import type { DownloadJob, DownloadOptions } from './download/index.ts';
import { toHangarError, type HangarError } from './errors/index.ts';
import type { MetricsSnapshot } from './metrics/index.ts';
import type { Dtype, HardwareProfile } from './probe/index.ts';
import type { ModelPlan } from './plan/index.ts';
import type { StoreEvent } from './store/index.ts';
import { Emitter } from './util/index.ts';

/** Work the manager does on its own (no call of yours waits for it) that failed. */
export interface BackgroundFailure {
  /** `auto-clean`: the clean at start-up or after a download (`cache.autoClean`): the cache may stay over `maxSize`. */
  task: 'auto-clean';
  error: HangarError;
}

/** The events of a ModelManager. */
export interface ManagerEvents extends Record<string, unknown> {
  change: StoreEvent;
  download: DownloadJob;
  error: BackgroundFailure;
}

/** Tells this tab's listeners about each job the manager starts and each failure of its background work. */
export class ManagerEmitter extends Emitter<Pick<ManagerEvents, 'download' | 'error'>> {
  started(job: DownloadJob): void {
    this.emit('download', job);
  }
  /** Reports a background failure to `error` listeners, or to the console when there is none. */
  failed(task: BackgroundFailure['task'], thrown: unknown): void {
    const error = toHangarError(thrown);
    if (!this.emit('error', { task, error })) console.warn(`Hangar: ${task} failed (${error.code}): ${error.message}`);
  }
  close(): void {
    this.clear();
  }
}

/** A model manager: the one entry point of Hangar. */
export interface ModelManager {
  /** The options in force, after defaults and parsing. */
  readonly config: ResolvedConfig;
  /** Starts downloading a repo revision (all files, or `files`) into the store. */
  download(repo: string, options?: DownloadOptions): DownloadJob;
  readonly cache: CacheApi;
  /** Backs the store's models up into a folder (scheduled, incremental) and restores them offline. */
  readonly backup: BackupApi;
  /** What this device offers (WebGPU, WASM features, cores, memory, storage) and the backend/dtypes/threads to use. Probed once per page; `refresh` probes again. */
  probe(options?: { refresh?: boolean }): Promise<HardwareProfile>;
  /** The files of a repo revision this device should fetch (variant per graph, its external data, configs); `profile` simulates another device, `dtype` picks one variant (default 'auto'). */
  plan(
    repo: string,
    options?: {
      revision?: string;
      dtype?: 'auto' | Dtype;
      profile?: Pick<HardwareProfile, 'recommendation'> & Partial<Pick<HardwareProfile, 'storage'>>;
      signal?: AbortSignal;
    },
  ): Promise<ModelPlan>;
  /** Download and session timings measured so far: bytes fetched and saved by the cache, create/first-run/steady latency per backend. */
  metrics(): MetricsSnapshot;
  /** The downloads of this manager that have not ended yet. */
  downloads(): DownloadJob[];
  /**
   * Listens to `change`: store changes from this tab and every other tab of the origin (added, deleted,
   * cleaned, progress...), to `download`: every download this manager starts, or to `error`: background
   * work of this manager that failed (without a listener it goes to the console). Returns the unsubscribe.
   */
  on<K extends keyof ManagerEvents>(type: K, listener: (event: ManagerEvents[K]) => void): () => void;
  /**
   * Stops the download workers and closes the store. Running jobs and calls fail with AbortError
   * (`details.reason: 'close'`) and jobs keep their partials for a later resume. Final: every later
   * call rejects at once the same way, and nothing is opened or started again.
   */
  close(): void;
}
