import { createBackupApi, type BackupApi } from './backup/index.ts';
import { createCacheApi, makeRoom } from './cache/index.ts';
import { resolveConfig, type HangarOptions } from './config/index.ts';
import { DownloadJob, WorkerPool, type DownloadOptions, type DownloadWorker } from './download/index.ts';
import { checkRepoId, type RepoFile } from './hub/index.ts';
import { ConfigError, closedError } from './errors/index.ts';
import { Metrics } from './metrics/index.ts';
import { DTYPES, probeHardware, recommend, type Dtype, type HardwareFacts, type HardwareProfile } from './probe/index.ts';
import { CommitMetadata, planListing, planModel } from './plan/index.ts';
import { requestPersistence, Store, StoreEvents, type BlobStorage } from './store/index.ts';
import { Semaphore } from './util/index.ts';
import { methodsWhileOpen, whileOpen } from './while-open.ts';
import { ManagerEmitter, type ManagerEvents, type ModelManager } from './model-manager.ts';
import { registerInternals } from './manager-internals.ts';

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
  const manager: ModelManager = {
    config,
    download,
    cache,
    backup: backupApi,
    probe: whileOpen(closed.signal, (options = {}) => probe(options.refresh === true)),
    metrics: () => metrics.snapshot(),
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
  registerInternals(manager, { config, closed: closed.signal, metrics, metadata, cache, openStore, probe: () => probe(), download });
  return manager;
}
