import type { ResolvedConfig } from '../config/index.ts';
import { AbortError, DownloadError, HangarError, HubError, StoreError, toHangarError, isHangarError } from '../errors/index.ts';
import { hubContext, listRepoFiles, resolveRevision, type FileHash, type RepoFile } from '../hub/index.ts';
import { blobKey, type LocalModel, type Store } from '../store/index.ts';
import type { Dtype } from '../probe/index.ts';
import type { DownloadWorker } from './connect-download-worker.ts';
import { fetchFile } from './fetch-file.ts';
import { ProgressReporter } from './progress-reporter.ts';
import { LISTING_SUSPECTS, sameListing } from './same-listing.ts';
import { jobProgress, type DownloadProgress, type FileEntry, type JobState } from './job-progress.ts';
import { Emitter, RateMeter, type RetryBudget, type RetryOptions, type Semaphore, withRetry } from '../util/index.ts';

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
}

/** What a job needs from its manager. */
export interface DownloadDeps {
  config: ResolvedConfig;
  store: () => Promise<Store>;
  worker: () => DownloadWorker;
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
  readonly #attempts = new Set<AbortController>();
  #state: JobState = 'resolving';
  #commit: string | undefined;
  #resumed: { promise: Promise<void>; resolve: () => void } | undefined;
  readonly #reporter = new ProgressReporter(
    () => this.progress,
    (progress) => this.emit('progress', progress),
  );
  #bytesFetched = 0;
  /** Reads the revision's listing (with retries), once the commit is known. */
  #list: () => Promise<RepoFile[]> = () => Promise.resolve([]);
  /** The listing the job's files come from. */
  #listed: RepoFile[] = [];
  /** A listing that differs from `#listed`, found after a failure: the job restarts its files on it. */
  #newListing: RepoFile[] | undefined;
  /** Whether the listing was read again after a failure it could explain (once per job). */
  #listingChecked = false;
  readonly #budgets = new Map<string, RetryBudget>();

  constructor(deps: DownloadDeps, repo: string, options: DownloadOptions = {}) {
    super();
    this.repo = repo;
    this.revision = options.revision ?? 'main';
    this.#deps = deps;
    this.#options = options;
    const onSignal = (): void => this.cancel();
    const onClose = (): void => this.#stop(new AbortError('The model manager was closed', { details: { reason: 'close' } }));
    if (options.signal?.aborted) this.cancel();
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
    let resolve = (): void => {};
    const promise = new Promise<void>((done) => (resolve = done));
    this.#resumed = { promise, resolve };
    this.#setState('paused');
    for (const attempt of this.#attempts) attempt.abort(new AbortError('Download paused', { details: { reason: 'pause' } }));
  }

  /** Continues a paused job (Range requests from the stored partials). */
  resume(): void {
    if (this.#resumed === undefined || this.#state !== 'paused') return;
    const { resolve } = this.#resumed;
    this.#resumed = undefined;
    for (const entry of this.#files.values()) entry.rate.reset();
    this.#setState(this.#commit === undefined ? 'resolving' : 'downloading');
    resolve();
  }

  /** Stops the job for good: partial files are deleted, finished files stay in the store. `done` rejects with AbortError. */
  cancel(): void {
    this.#stop(new AbortError('Download cancelled', { details: { reason: 'cancel' } }));
  }

  #stop(reason: AbortError): void {
    if (this.#state === 'done' || this.#state === 'error' || this.#state === 'cancelled') return;
    this.#cancel.abort(reason);
    this.#resumed?.resolve();
  }

  async #run(): Promise<LocalModel> {
    const { config } = this.#deps;
    const signal = this.#cancel.signal;
    const context = hubContext(config, signal);
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
      const store = await this.#deps.store();
      this.#reporter.post = (change) => store.events.post(change);
      await this.#whenRunning(signal);
      const commit = await withRetry(() => resolveRevision(context, this.repo, this.revision), retry);
      this.#list = () => withRetry(() => listRepoFiles(context, this.repo, commit), retry);
      // A listing is not signed: an unsafe path may be damage in transit, so it is read once more before it is believed.
      this.#listed = await this.#list().catch((error: unknown) => {
        if (isHangarError(error, 'UNSAFE_PATH')) return this.#list();
        throw error;
      });
      let files: RepoFile[];
      for (;;) {
        try {
          files = await this.#fetchListed(store, commit, this.#listed, retry);
          break;
        } catch (thrown) {
          // A failure a damaged listing explains (a path the server does not have, bytes that do not match the
          // listed hash or size) reads the listing once more; if it changed, the job goes on with the new one.
          // A retryable one is checked by its file before it retries (#downloadFile), this one here.
          const error = toHangarError(thrown);
          if (signal.aborted) throw error;
          let fresh = this.#newListing;
          this.#newListing = undefined;
          if (fresh === undefined && !error.retryable && LISTING_SUSPECTS.has(error.code)) fresh = await this.#listingIfChanged();
          if (fresh === undefined) throw error;
          this.emit('retry', { path: error.details.path as string | undefined, attempt: 1, delayMs: 0, error });
          this.#listed = fresh;
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

  /** The listing read again, once per job: returned when it differs from the one in use. */
  async #listingIfChanged(): Promise<RepoFile[] | undefined> {
    if (this.#listingChecked) return undefined;
    this.#listingChecked = true;
    const fresh = await this.#list();
    return sameListing(fresh, this.#listed) ? undefined : fresh;
  }

  /** Picks the job's files from `listed` and fetches them; the first file that fails stops the others and is thrown. */
  async #fetchListed(store: Store, commit: string, listed: RepoFile[], retry: RetryOptions): Promise<RepoFile[]> {
    const signal = this.#cancel.signal;
    const { dtype } = this.#options;
    const wanted =
      dtype === undefined
        ? this.#options.files
        : await withRetry(() => this.#deps.planFiles(this.repo, commit, listed, dtype, signal), retry);
    const files = this.#select(listed, wanted);
    this.#commit = commit;
    this.#files.clear();
    for (const file of files) this.#files.set(file.path, { file, loaded: 0, state: 'queued', attempts: 0, rate: new RateMeter() });
    await this.#deps.makeRoom(await this.#bytesToFetch(store, files), { repo: this.repo, commit });
    if (this.#state === 'resolving') this.#setState('downloading');
    const round = new AbortController();
    const stop = (): void => round.abort(signal.reason);
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    let failure: HangarError | undefined;
    try {
      await Promise.all(
        files.map((file) =>
          this.#downloadFile(store, commit, file, { ...retry, signal: round.signal }).catch((error: unknown) => {
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

  #select(listed: RepoFile[], wanted: string[] | undefined): RepoFile[] {
    if (wanted === undefined) return listed;
    const byPath = new Map(listed.map((file) => [file.path, file]));
    return [...new Set(wanted)].map((path) => {
      const file = byPath.get(path);
      if (file === undefined) {
        throw new HubError('ENTRY_NOT_FOUND', `${this.repo}@${this.revision} has no file ${JSON.stringify(path)}`, {
          details: { repo: this.repo, revision: this.revision, path },
        });
      }
      return file;
    });
  }

  /** Fetches one file with the job's retry policy (`retry.signal` is the round's) and its own budget. */
  async #downloadFile(store: Store, commit: string, file: RepoFile, retry: RetryOptions & { signal: AbortSignal }): Promise<void> {
    const { signal } = retry;
    const entry = this.#files.get(file.path)!;
    const key = blobKey(file.hash);
    const { download } = this.#deps.config;
    if (await store.addFileIfStored(this.repo, commit, file)) {
      entry.loaded = file.size;
      this.#finishFile(entry, 'cached');
      return;
    }
    entry.loaded = Math.min(file.size, await store.partialSize(key));
    // download.timeout is wall-clock for the file: attempts and the waits between them, not time spent paused or queued.
    // Retries and time are kept across the job's rounds (after the listing is read again) while the file's entry is the same.
    const fileKey = `${file.path}\0${file.size}\0${key}`;
    const budget = this.#budgets.get(fileKey) ?? { spentMs: 0, failures: 0 };
    this.#budgets.set(fileKey, budget);
    const timedOut = (cause?: HangarError): DownloadError =>
      new DownloadError('TIMEOUT', `${file.path}: not downloaded within ${download.timeout} ms`, {
        cause,
        details: { path: file.path, timeoutMs: download.timeout },
      });
    let loadedBefore = entry.loaded;
    try {
      await withRetry(
        async (remainingMs) => {
          loadedBefore = entry.loaded;
          entry.state = 'downloading';
          entry.attempts++;
          entry.rate.reset();
          this.#emitProgress(true);
          await this.#attempt(store, commit, file, entry, remainingMs, signal);
        },
        {
          ...retry,
          budget,
          timeout: { ms: download.timeout, error: timedOut },
          // A slot, once the job runs (a pause while queued waits again).
          acquire: async () => {
            for (;;) {
              await this.#whenRunning(signal);
              const release = await this.#deps.slots.acquire(signal);
              if (this.#resumed === undefined) return release;
              release();
            }
          },
          paused: (error) => {
            if (error.code !== 'ABORTED' || this.#resumed === undefined || signal.aborted) return undefined;
            entry.state = 'paused';
            this.#emitProgress(true);
            return this.#whenRunning(signal);
          },
          // An attempt that stored more bytes does not use up a retry: a flaky link that keeps advancing finishes (download.timeout bounds it).
          progressed: (error) => error.code !== 'INTEGRITY_MISMATCH' && entry.loaded > loadedBefore,
          // Before this file retries, the job reads the listing again (once): a new listing restarts the job's files on it.
          beforeRetry: async (error) => {
            if (!LISTING_SUSPECTS.has(error.code)) return;
            const fresh = await this.#listingIfChanged();
            if (fresh === undefined) return;
            this.#newListing = fresh;
            throw error;
          },
          onRetry: ({ attempt, delayMs, error }) => {
            entry.state = 'retrying';
            if (error.code === 'INTEGRITY_MISMATCH') entry.loaded = 0;
            this.emit('retry', { path: file.path, attempt, delayMs, error });
            this.#emitProgress(true);
          },
        },
      );
    } catch (thrown) {
      const error = toHangarError(thrown);
      // Stopped from outside (cancel, pause-then-cancel, another file's failure): not this file's error.
      if (error.code === 'ABORTED' || signal.aborted) throw error;
      entry.state = 'error';
      entry.error = error.code === 'QUOTA_EXCEEDED' ? await this.#quotaError(store, error) : error;
      throw entry.error;
    }
    entry.loaded = file.size;
    this.#finishFile(entry, 'done');
  }

  /** A quota error from the worker, with what the job still needs and what the browser says is left. */
  async #quotaError(store: Store, error: HangarError): Promise<HangarError> {
    if (typeof error.details.needed === 'number') return error;
    const needed = await this.#bytesToFetch(
      store,
      [...this.#files.values()].filter((e) => e.state !== 'done' && e.state !== 'cached').map((e) => e.file),
    );
    const { quota, used } = await store.usage();
    const available = quota === undefined || used === undefined ? 0 : Math.max(0, quota - used);
    return new StoreError(
      'QUOTA_EXCEEDED',
      `Storage is full: ${needed} more bytes needed, ${available} available (the partial was freed)`,
      {
        cause: error,
        details: { ...error.details, needed, available },
      },
    );
  }

  /** Bytes still to fetch for `files`: not stored yet, minus what their partials hold. */
  async #bytesToFetch(store: Store, files: RepoFile[]): Promise<number> {
    let bytes = 0;
    for (const file of files) {
      const key = blobKey(file.hash);
      if (!(await store.hasBlobBytes(key, file.size))) bytes += file.size - Math.min(file.size, await store.partialSize(key));
    }
    return bytes;
  }

  /** One attempt at `file`: pause aborts it, progress and fetched bytes are counted. */
  async #attempt(store: Store, commit: string, file: RepoFile, entry: FileEntry, timeoutMs: number, signal: AbortSignal): Promise<void> {
    const controller = new AbortController();
    const stop = (): void => controller.abort(signal.reason);
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    this.#attempts.add(controller);
    // Bytes that came over the network this attempt, refetched ones (after a restart from byte 0) included.
    let counted = 0;
    try {
      await fetchFile({
        config: this.#deps.config,
        store,
        worker: this.#deps.worker(),
        repo: this.repo,
        commit,
        file,
        timeoutMs,
        signal: controller.signal,
        onProgress: (loaded, received) => {
          this.#bytesFetched += received - counted;
          counted = received;
          entry.loaded = loaded;
          entry.rate.sample(loaded);
          this.#emitProgress(false);
        },
      });
    } finally {
      this.#attempts.delete(controller);
      signal.removeEventListener('abort', stop);
    }
  }

  /** Waits while the job is paused; throws once `signal` (the job's, or its current round's) is aborted. */
  async #whenRunning(signal: AbortSignal): Promise<void> {
    while (this.#resumed !== undefined && !signal.aborted) await this.#resumed.promise;
    if (signal.aborted) throw toHangarError(signal.reason);
  }

  #finishFile(entry: FileEntry, state: 'done' | 'cached'): void {
    entry.state = state;
    const { path, size, hash } = entry.file;
    this.emit('file-done', { path, size, hash, cached: state === 'cached' });
    this.#emitProgress(true);
  }

  async #discardPartials(): Promise<void> {
    const store = await this.#deps.store();
    await Promise.all(
      [...this.#files.values()]
        .filter((entry) => entry.state === 'cancelled')
        .map((entry) => store.discardPartial(blobKey(entry.file.hash)).catch(() => {})),
    );
    for (const entry of this.#files.values()) if (entry.state === 'cancelled') entry.loaded = 0;
  }

  #setState(state: JobState): void {
    this.#state = state;
    this.#emitProgress(true);
  }

  #emitProgress(now: boolean): void {
    this.#reporter.report(now);
  }
}
