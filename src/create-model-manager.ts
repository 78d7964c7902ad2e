import { createBackupApi, type BackupApi } from './backup/index.ts';
import { createCacheApi, makeRoom, type CacheApi } from './cache/index.ts';
import { resolveConfig, type HangarOptions, type ResolvedConfig } from './config/index.ts';
import { DownloadJob, WorkerPool, type DownloadOptions, type DownloadWorker } from './download/index.ts';
import { checkRepoId, type RepoFile } from './hub/index.ts';
import { ConfigError, toHangarError, type HangarError } from './errors/index.ts';
import { Metrics, type MetricsSnapshot } from './metrics/index.ts';
import { DTYPES, probeHardware, recommend, type Dtype, type HardwareFacts, type HardwareProfile } from './probe/index.ts';
import { CommitMetadata, planListing, planModel, type ModelPlan } from './plan/index.ts';
import {
  createTransformersCache,
  configureTransformers,
  type ConfigureTransformersOptions,
  type TransformersEnv,
  type TransformersCache,
  type TransformersCacheOptions,
} from './transformers/index.ts';
import {
  benchmarkBackends,
  createSession,
  deviceKey,
  rememberedBackend,
  validateModel,
  type HangarSession,
  type SessionOptions,
  type ValidateOptions,
  type ValidationReport,
  type BackendBenchmark,
  type BenchmarkOptions,
} from './runtime/index.ts';
import { requestPersistence, Store, StoreEvents, type BlobStorage, type StoreEvent } from './store/index.ts';
import { Emitter, Semaphore, withRetry } from './util/index.ts';
import { closedError, methodsWhileOpen, whileOpen } from './while-open.ts';

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
class ManagerEmitter extends Emitter<Pick<ManagerEvents, 'download' | 'error'>> {
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
  /** Opens a stored ONNX graph in onnxruntime-web (offline), with session options from the profile and the config. */
  createSession(repo: string, path: string, options?: SessionOptions): Promise<HangarSession>;
  /** Checks a stored graph: its ONNX header (read without loading the weights), a smoke run on synthetic inputs, and a quantized variant against fp32. */
  validate(repo: string, path: string, options?: ValidateOptions): Promise<ValidationReport>;
  /** Times a stored model on each usable backend; the fastest becomes `createSession`'s default for it on this device (remembered). */
  benchmark(repo: string, path: string, options?: BenchmarkOptions): Promise<BackendBenchmark>;
  /** An `env.customCache` for transformers.js: model files come from the store, and missing ones are downloaded through Hangar first. */
  transformersCache(options?: TransformersCacheOptions): TransformersCache;
  /**
   * Sets transformers.js's `env` to load every model file through `transformersCache()` and ONNX
   * Runtime's wasm from this origin (see ConfigureTransformersOptions): no CDN, cached models offline.
   */
  configureTransformers(env: TransformersEnv, options?: TransformersCacheOptions & ConfigureTransformersOptions): TransformersCache;
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

let facts: Promise<HardwareFacts> | undefined;

/** The device does not change while a page lives: probe it once for every manager of the page. */
function probeOnce(refresh: boolean): Promise<HardwareFacts> {
  if (facts === undefined || refresh) {
    facts = probeHardware();
    facts.catch(() => (facts = undefined));
  }
  return facts;
}

/** ConfigError CONFIG_INVALID unless `dtype` is undefined, 'auto' or a known dtype. */
function checkDtype(dtype: unknown): void {
  if (dtype === undefined || dtype === 'auto' || (DTYPES as readonly unknown[]).includes(dtype)) return;
  throw new ConfigError('CONFIG_INVALID', `dtype: expected 'auto' or one of ${DTYPES.join(', ')}, got ${JSON.stringify(dtype)}`, {
    details: { key: 'dtype' },
  });
}

/** Creates a model manager; options are validated at once (ConfigError naming the bad key). */
export function createModelManager(options: HangarOptions = {}): ModelManager {
  const config = resolveConfig(options);
  const slots = new Semaphore(config.download.concurrent);
  const closed = new AbortController();
  // Open before the store: a listener hears other tabs from the moment it is added, not once the store has opened.
  let events: StoreEvents | undefined;
  const storeEvents = (): StoreEvents => (events ??= new StoreEvents(config.storeName));
  const jobs = new Set<DownloadJob>();
  const emitter = new ManagerEmitter();
  let store: Promise<Store> | undefined;
  let storage: Promise<BlobStorage> | undefined;
  // One download worker per slot, up to the device's cores (a slot beyond them shares the least busy one).
  const cores = globalThis.navigator?.hardwareConcurrency || 1;
  const workers = new WorkerPool(Math.min(config.download.concurrent, cores), cores);
  let persistAsked = false;
  const metrics = new Metrics();
  // A crashed worker is replaced: its calls failed (NETWORK, retried), later ones go to a new one.
  const getWorker = (): DownloadWorker => {
    if (closed.signal.aborted) throw closedError();
    return workers.primary();
  };
  /** Where blob bytes can live, found by trying in the download worker (once per manager). */
  const probeStorage = (): Promise<BlobStorage> => {
    if (closed.signal.aborted) return Promise.reject(closedError());
    if (storage !== undefined) return storage;
    const probing = getWorker().probeStorage(config.storeName, config.cache.backend);
    probing.catch(() => (storage = undefined));
    return (storage = probing);
  };
  const probe = async (refresh = false): Promise<HardwareProfile> => {
    const [facts, blobs] = await Promise.all([probeOnce(refresh), probeStorage().catch(() => undefined)]);
    const storageFacts = blobs === undefined ? facts.storage : { ...facts.storage, blobs };
    return { ...facts, storage: storageFacts, recommendation: recommend(facts, config.conversion) };
  };
  const openStore = (): Promise<Store> => {
    if (closed.signal.aborted) return Promise.reject(closedError());
    if (store !== undefined) return store;
    const opening = probeStorage()
      .then((found) =>
        Store.open(config.storeName, { now: config.now, storage: found, events: storeEvents(), blockedMs: config.download.stallTimeout }),
      )
      .then((opened) => {
        if (config.cache.autoClean) {
          void opened
            .clean({ maxSize: config.cache.maxSize, retention: config.cache.retention })
            .catch((error: unknown) => closed.signal.aborted || emitter.failed('auto-clean', error));
        }
        backup.schedule();
        return opened;
      });
    opening.catch(() => (store = undefined));
    return (store = opening);
  };

  // Listings and configs are kept in the store once it is open (a plan alone does not open it: that starts a worker).
  const metadata = new CommitMetadata(config, closed.signal, () => store);
  const deps = {
    config,
    store: openStore,
    metadata,
    workers,
    slots,
    closed: closed.signal,
    async makeRoom(bytes: number, keep: { repo: string; commit: string }) {
      const opened = await openStore();
      if (!persistAsked) {
        persistAsked = true;
        requestPersistence(opened.events);
      }
      await makeRoom(opened, config, bytes, keep);
    },
    record: (stats: Parameters<Metrics['download']>[0]) => metrics.download(stats),
    async planFiles(repo: string, commit: string, listed: RepoFile[], dtype: 'auto' | Dtype, signal: AbortSignal) {
      return (await planListing(metadata, repo, commit, listed, await probe(), dtype, signal)).files;
    },
    async afterDownload(model: { repo: string; commit: string }) {
      if (!config.cache.autoClean) return;
      try {
        const opened = await openStore();
        await opened.clean(
          { maxSize: config.cache.maxSize, retention: config.cache.retention },
          (s) => s.repo === model.repo && s.commit === model.commit,
        );
      } catch (error) {
        if (!closed.signal.aborted) emitter.failed('auto-clean', error);
      }
    },
  };
  const cache = methodsWhileOpen(closed.signal, createCacheApi(config, openStore, getWorker));
  const backup = createBackupApi({ config, store: openStore, worker: getWorker, closed: closed.signal });
  const backupApi = methodsWhileOpen<BackupApi>(closed.signal, {
    configure: (options) => backup.configure(options),
    run: (options) => backup.run(options),
    status: () => backup.status(),
    requestPermission: () => backup.requestPermission(),
    restore: (source, options) => backup.restore(source, options),
  });
  /** The store, the profile and a session opener for the graphs of `repo` (not counted in metrics). */
  const sessionsOf = async (repo: string) => {
    const [opened, profile] = await Promise.all([openStore(), probe()]);
    const open = (graph: string, sessionOptions: SessionOptions) => createSession(opened, config, profile, repo, graph, sessionOptions);
    return { opened, profile, open };
  };
  const download = (repo: string, downloadOptions: DownloadOptions = {}): DownloadJob => {
    checkRepoId(repo);
    checkDtype(downloadOptions.dtype);
    if (downloadOptions.dtype !== undefined && downloadOptions.files !== undefined) {
      throw new ConfigError('CONFIG_INVALID', 'dtype: download() takes files or dtype, not both', { details: { key: 'dtype' } });
    }
    const job = new DownloadJob(deps, repo, downloadOptions);
    // A closed manager's job has ended already (AbortError, reason close).
    if (closed.signal.aborted) return job;
    jobs.add(job);
    void job.done.catch(() => {}).finally(() => jobs.delete(job));
    emitter.started(job);
    return job;
  };
  const transformersCache = (options: TransformersCacheOptions = {}) =>
    createTransformersCache(
      {
        endpoint: config.endpoint,
        file: (repo, path, fileOptions) => cache.file(repo, path, fileOptions),
        load: (repo, loadOptions) => cache.load(repo, loadOptions),
        download,
        localCommit: async (repo, revision) => (await openStore()).localCommit(repo, revision),
        resolveCommit: (repo, revision, signal) =>
          withRetry(() => metadata.commit(repo, revision, signal), {
            retries: config.download.retries,
            baseDelay: config.download.retryDelay,
            retryAfterMax: config.download.retryAfterMax,
            signal,
          }),
        setRef: async (repo, revision, commit) => (await openStore()).setRef(repo, revision, commit),
      },
      options,
    );
  return {
    config,
    download,
    cache,
    backup: backupApi,
    probe: whileOpen(closed.signal, (options = {}) => probe(options.refresh === true)),
    createSession: whileOpen(closed.signal, async (repo, path, options = {}) => {
      const [opened, profile] = await Promise.all([openStore(), probe()]);
      const commit = await opened.localCommit(repo, options.revision ?? 'main');
      const measured = commit === undefined ? undefined : rememberedBackend(opened.name, deviceKey(profile), repo, commit, path);
      const result = await createSession(opened, config, profile, repo, path, {
        ...(measured === undefined ? {} : { backend: measured }),
        ...options,
      });
      metrics.session(result.backend, result.createMs, result.modelBytes, result.session);
      return result;
    }),
    metrics: () => metrics.snapshot(),
    transformersCache,
    configureTransformers(env, options = {}) {
      const cache = transformersCache(options);
      configureTransformers(env, cache, options.remoteHost ?? config.endpoint, options);
      return cache;
    },
    benchmark: whileOpen(closed.signal, async (repo, path, options = {}) => {
      const { opened, profile, open } = await sessionsOf(repo);
      return benchmarkBackends(opened, open, profile, repo, path, options);
    }),
    validate: whileOpen(closed.signal, async (repo, path, options = {}) => {
      const { opened, open } = await sessionsOf(repo);
      return validateModel(opened, open, repo, path, options);
    }),
    plan: whileOpen(closed.signal, async (repo, options = {}) => {
      checkRepoId(repo);
      checkDtype(options.dtype);
      return planModel(metadata, repo, options.revision ?? 'main', options.profile ?? (await probe()), options.dtype, options.signal);
    }),
    downloads: () => [...jobs],
    on<K extends keyof ManagerEvents>(type: K, listener: (event: ManagerEvents[K]) => void) {
      // A closed manager has nothing more to tell: no channel is opened for it.
      if (closed.signal.aborted) return () => {};
      if (type === 'download' || type === 'error') return emitter.on(type, listener);
      return storeEvents().on('change', listener);
    },
    close() {
      if (closed.signal.aborted) return;
      closed.abort();
      workers.terminate();
      void store?.then((opened) => opened.close()).catch(() => {});
      store = undefined;
      storage = undefined;
      events?.close();
      events = undefined;
      emitter.close();
    },
  };
}
