import type { ResolvedConfig } from '../config/index.ts';
import { AbortError, HangarError, closedError, toHangarError } from '../errors/index.ts';
import type { FileHash, RepoFile } from '../hub/index.ts';
import type { CommitMetadata } from '../plan/index.ts';
import { blobKey, type LocalModel, type Store } from '../store/index.ts';
import type { Dtype } from '../probe/index.ts';
import { Emitter, RateMeter, type RetryBudget, type RetryOptions, type Semaphore, withRetry } from '../util/index.ts';
import { bytesToFetch } from './bytes-to-fetch.ts';
import type { CrossOriginEvent } from './cross-origin-storage.ts';
import { downloadFile, type FileDownload } from './download-file.ts';
import { JobListing } from './job-listing.ts';
import { jobProgress, type DownloadProgress, type FileEntry, type JobState } from './job-progress.ts';
import { PauseGate } from './pause-gate.ts';
import { ProgressReporter } from './progress-reporter.ts';
import { selectFiles } from './select-files.ts';
import type { WorkerPool } from './worker-pool.ts';

/** Options of `download()`. */
export interface DownloadOptions {
  /**
   * Branch, tag, PR ref (`refs/pr/1`) or commit.
   * @default 'main'
   */
  revision?: string;
  /**
   * Paths to fetch. An unknown path fails with ENTRY_NOT_FOUND before any byte moves.
   * @default every file of the revision
   */
  files?: string[];
  /** Fetch only the files `plan()` picks: for this device (`'auto'`) or for one dtype (`'q8'`, `'fp16'`...). Not with `files`. */
  dtype?: 'auto' | Dtype;
  /** Aborting it cancels the job. */
  signal?: AbortSignal;
}

/** Events of a DownloadJob. */
export interface DownloadEvents extends Record<string, unknown> {
  progress: DownloadProgress;
  'file-done': { path: string; size: number; hash: FileHash; cached: boolean };
  retry: { path: string | undefined; attempt: number; delayMs: number; error: HangarError };
  error: { error: HangarError };
  /** A look-up of an LFS file in the browser's Cross-Origin Storage (`cache.crossOrigin`) and how it ended. */
  'cross-origin': CrossOriginEvent;
}

/** What a job needs from its manager. */
export interface DownloadDeps {
  config: ResolvedConfig;
  store: () => Promise<Store>;
  /** The revision's commit, and the listing at it (read once per commit, then kept). */
  metadata: CommitMetadata;
  /** Download workers: each file attempt borrows one. */
  workers: WorkerPool;
  slots: Semaphore;
  /** Aborts when the manager closes: jobs stop and keep their partials, as on a page reload. */
  closed: AbortSignal;
  /** Makes room for `bytes` more (cache budget, browser quota) or throws StoreError QUOTA_EXCEEDED. */
  makeRoom: (bytes: number, keep: { repo: string; commit: string }) => Promise<void>;
  /** Runs after a successful download (automatic clean). */
  afterDownload: (model: { repo: string; commit: string }) => Promise<void>;
  /** Told how each job ended: files, bytes fetched and bytes the cache already had. */
  record: (stats: { ok: boolean; files: number; bytesFetched: number; bytesFromCache: number; durationMs: number }) => void;
  /** The paths a variant plan picks from a listing (for `dtype`). */
  planFiles: (repo: string, commit: string, listed: RepoFile[], dtype: 'auto' | Dtype, signal: AbortSignal) => Promise<string[]>;
}

/** One download of a repo revision: progress, events, pause/resume/cancel, and `done`. */
export class DownloadJob extends Emitter<DownloadEvents> {
  readonly repo: string;
  readonly revision: string;
  /** Resolves to the stored model, or rejects with the first error that stopped the job. */
  readonly done: Promise<LocalModel>;

  readonly #deps: DownloadDeps;
  readonly #options: DownloadOptions;
  readonly #cancel = new AbortController();
  readonly #files = new Map<string, FileEntry>();
  readonly #gate = new PauseGate();
  #state: JobState = 'resolving';
  #commit: string | undefined;
  readonly #reporter = new ProgressReporter(
    () => this.progress,
    (progress) => this.emit('progress', progress),
  );
  #bytesFetched = 0;
  /** A look-up of this job was refused or left unanswered: the others are not asked (one prompt, one wait). */
  #crossOriginRefused = false;
  readonly #budgets = new Map<string, RetryBudget>();

  constructor(deps: DownloadDeps, repo: string, options: DownloadOptions = {}) {
    super();
    this.repo = repo;
    this.revision = options.revision ?? 'main';
    this.#deps = deps;
    this.#options = options;
    const onSignal = (): void => this.cancel();
    const onClose = (): void => this.#stop(closedError());
    if (deps.closed.aborted) onClose();
    else if (options.signal?.aborted) this.cancel();
    options.signal?.addEventListener('abort', onSignal, { once: true });
    deps.closed.addEventListener('abort', onClose, { once: true });
    this.done = this.#run().finally(() => {
      options.signal?.removeEventListener('abort', onSignal);
      deps.closed.removeEventListener('abort', onClose);
    });
    this.done.catch(() => {});
  }

  /** The current progress snapshot. */
  get progress(): DownloadProgress {
    return jobProgress(this.repo, this.revision, this.#commit, this.#state, this.#files.values());
  }

  /** Stops moving bytes; partial files stay and continue from where they are on `resume()`. */
  pause(): void {
    if (this.#state !== 'downloading' && this.#state !== 'resolving') return;
    if (this.#gate.pause()) this.#setState('paused');
  }

  /** Continues a paused job (Range requests from the stored partials). */
  resume(): void {
    if (this.#state !== 'paused') return;
    for (const entry of this.#files.values()) entry.rate.reset();
    this.#setState(this.#commit === undefined ? 'resolving' : 'downloading');
    this.#gate.resume();
  }

  /** Stops the job for good: partial files are deleted, finished files stay in the store. `done` rejects with AbortError. */
  cancel(): void {
    this.#stop(new AbortError('Download cancelled', { details: { reason: 'cancel' } }));
  }

  #stop(reason: AbortError): void {
    if (this.#state === 'done' || this.#state === 'error' || this.#state === 'cancelled') return;
    this.#cancel.abort(reason);
    this.#gate.release();
  }

  async #run(): Promise<LocalModel> {
    const { config } = this.#deps;
    const signal = this.#cancel.signal;
    const retry = {
      retries: config.download.retries,
      baseDelay: config.download.retryDelay,
      retryAfterMax: config.download.retryAfterMax,
      signal,
      onRetry: (info: { attempt: number; delayMs: number; error: HangarError }) => this.emit('retry', { path: undefined, ...info }),
    };
    const started = performance.now();
    const record = (ok: boolean): void => {
      const entries = [...this.#files.values()];
      this.#deps.record({
        ok,
        files: entries.filter((entry) => entry.state === 'done' || entry.state === 'cached').length,
        bytesFetched: this.#bytesFetched,
        bytesFromCache: entries.filter((entry) => entry.state === 'cached').reduce((sum, entry) => sum + entry.file.size, 0),
        durationMs: performance.now() - started,
      });
    };
    try {
      // The store opens (a page's first open starts the download worker and probes storage) while the revision is resolved.
      const opening = this.#deps.store();
      opening.catch(() => {});
      await this.#gate.whenRunning(signal);
      const { metadata } = this.#deps;
      const commit = await withRetry(() => metadata.commit(this.repo, this.revision, signal), retry);
      const store = await opening;
      this.#reporter.post = (change) => store.events.post(change);
      const listing = new JobListing(
        () => withRetry(() => metadata.listing(this.repo, commit, signal), retry),
        () => withRetry(() => metadata.reread(this.repo, commit, signal), retry),
      );
      await listing.load();
      let files: RepoFile[];
      for (;;) {
        try {
          files = await this.#fetchListed(store, commit, listing, retry);
          break;
        } catch (thrown) {
          const error = toHangarError(thrown);
          if (signal.aborted || !(await listing.replaceAfter(error))) throw error;
          this.emit('retry', { path: error.details.path as string | undefined, attempt: 1, delayMs: 0, error });
        }
      }
      await store.setRef(this.repo, this.revision, commit);
      this.#setState('done');
      record(true);
      await this.#deps.afterDownload({ repo: this.repo, commit }).catch(() => {});
      return { repo: this.repo, revision: this.revision, commit, files: files.map(({ path, size, hash }) => ({ path, size, hash })) };
    } catch (thrown) {
      // Stopped (cancel, close, signal): the stop's own reason, whatever the step it interrupted threw.
      const error = toHangarError(signal.aborted ? signal.reason : thrown);
      const cancelled = error.code === 'ABORTED';
      for (const entry of this.#files.values()) {
        if (entry.state !== 'done' && entry.state !== 'cached' && entry.state !== 'error') entry.state = cancelled ? 'cancelled' : 'queued';
      }
      if (cancelled && error.details.reason === 'cancel') await this.#discardPartials();
      this.#setState(cancelled ? 'cancelled' : 'error');
      record(false);
      if (!cancelled) this.emit('error', { error });
      throw error;
    } finally {
      this.#reporter.stop();
    }
  }

  /** Picks the job's files from the listing and fetches them; the first file that fails stops the others and is thrown. */
  async #fetchListed(store: Store, commit: string, listing: JobListing, retry: RetryOptions): Promise<RepoFile[]> {
    const signal = this.#cancel.signal;
    const { dtype } = this.#options;
    const listed = listing.files;
    const wanted =
      dtype === undefined
        ? this.#options.files
        : await withRetry(() => this.#deps.planFiles(this.repo, commit, listed, dtype, signal), retry);
    const files = selectFiles(this.repo, this.revision, listed, wanted);
    this.#commit = commit;
    this.#files.clear();
    for (const file of files) this.#files.set(file.path, { file, loaded: 0, state: 'queued', attempts: 0, rate: new RateMeter() });
    await this.#deps.makeRoom(await bytesToFetch(store, files), { repo: this.repo, commit });
    if (this.#state === 'resolving') this.#setState('downloading');
    const round = new AbortController();
    const stop = (): void => round.abort(signal.reason);
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    const run: Omit<FileDownload, 'budget'> = {
      config: this.#deps.config,
      store,
      workers: this.#deps.workers,
      slots: this.#deps.slots,
      gate: this.#gate,
      repo: this.repo,
      commit,
      retry: { ...retry, signal: round.signal },
      // Before a file retries, the job reads the listing again (once): a new listing restarts the job's files on it.
      beforeRetry: (error) => listing.beforeRetry(error),
      onRetry: (info) => this.emit('retry', info),
      onProgress: (now) => this.#reporter.report(now),
      onFetched: (bytes) => (this.#bytesFetched += bytes),
      onCrossOrigin: (event) => {
        if (event.outcome === 'denied' || event.outcome === 'no-answer') this.#crossOriginRefused = true;
        this.emit('cross-origin', event);
      },
      crossOriginRefused: () => this.#crossOriginRefused,
      pendingBytes: () => bytesToFetch(store, this.#unfinished()),
    };
    let failure: HangarError | undefined;
    try {
      await Promise.all(
        files.map((file) =>
          this.#downloadFile(run, this.#files.get(file.path)!).catch((error: unknown) => {
            if (failure === undefined && !round.signal.aborted) {
              failure = toHangarError(error);
              round.abort(failure);
            }
          }),
        ),
      );
    } finally {
      signal.removeEventListener('abort', stop);
    }
    if (signal.aborted) throw toHangarError(signal.reason);
    if (failure !== undefined) throw failure;
    return files;
  }

  /** Fetches one file with its own retry budget, kept across the job's rounds while the file's entry is the same. */
  async #downloadFile(run: Omit<FileDownload, 'budget'>, entry: FileEntry): Promise<void> {
    const { path, size, hash } = entry.file;
    const fileKey = `${path}\0${size}\0${blobKey(hash)}`;
    const budget = this.#budgets.get(fileKey) ?? { spentMs: 0, failures: 0 };
    this.#budgets.set(fileKey, budget);
    await downloadFile({ ...run, budget }, entry);
    this.emit('file-done', { path, size, hash, cached: entry.state === 'cached' });
    this.#reporter.report(true);
  }

  #unfinished(): RepoFile[] {
    return [...this.#files.values()].filter((entry) => entry.state !== 'done' && entry.state !== 'cached').map((entry) => entry.file);
  }

  /** Deletes the partials this job wrote and left unfinished, unless another job (here or in another tab) has taken one over. */
  async #discardPartials(): Promise<void> {
    const mine = [...this.#files.values()].filter((entry) => entry.state === 'cancelled' && entry.wrote === true);
    if (mine.length === 0) return;
    const store = await this.#deps.store();
    await Promise.all(
      mine.map(async (entry) => {
        if (await store.discardIdlePartial(blobKey(entry.file.hash)).catch(() => false)) entry.loaded = 0;
      }),
    );
  }

  #setState(state: JobState): void {
    this.#state = state;
    this.#reporter.report(true);
  }
}
