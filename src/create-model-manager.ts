import { resolveConfig, type HangarOptions, type ResolvedConfig } from './config/index.ts';
import { connectDownloadWorker, DownloadJob, type DownloadOptions, type DownloadWorker } from './download/index.ts';
import { checkRepoId } from './hub/index.ts';
import { Store, type FileOptions } from './store/index.ts';
import { Semaphore } from './util/semaphore.ts';

/** The cache side of a manager (the full cache manager grows here). */
export interface CacheApi {
  /** The stored bytes of `path` as a File (reads OPFS lazily); throws StoreError NOT_CACHED, never touches the network. */
  file(repo: string, path: string, options?: FileOptions): Promise<File>;
}

/** A model manager: the one entry point of Hangar. */
export interface ModelManager {
  /** The options in force, after defaults and parsing. */
  readonly config: ResolvedConfig;
  /** Starts downloading a repo revision (all files, or `files`) into the store. */
  download(repo: string, options?: DownloadOptions): DownloadJob;
  readonly cache: CacheApi;
  /** Stops the download worker and closes the store. Running jobs fail with AbortError and keep their partials for a later resume. */
  close(): void;
}

/** Creates a model manager; options are validated at once (ConfigError naming the bad key). */
export function createModelManager(options: HangarOptions = {}): ModelManager {
  const config = resolveConfig(options);
  const slots = new Semaphore(config.download.concurrent);
  const closed = new AbortController();
  let store: Promise<Store> | undefined;
  let worker: DownloadWorker | undefined;
  const openStore = (): Promise<Store> => {
    store ??= Store.open(config.storeName);
    store.catch(() => (store = undefined));
    return store;
  };
  return {
    config,
    download(repo, downloadOptions = {}) {
      checkRepoId(repo);
      const deps = { config, store: openStore, worker: () => (worker ??= connectDownloadWorker()), slots, closed: closed.signal };
      return new DownloadJob(deps, repo, downloadOptions);
    },
    cache: {
      async file(repo, path, fileOptions) {
        return (await openStore()).file(repo, path, fileOptions);
      },
    },
    close() {
      closed.abort();
      worker?.terminate();
      worker = undefined;
      void store?.then((opened) => opened.close()).catch(() => {});
      store = undefined;
    },
  };
}
