/** One measurement the cache page runs: a fresh store seeded with `models` models of 20 files. */
export interface CacheRunInput {
  storeName: string;
  models: number;
  /** Runs of `list()` and of the dry-run `clean()`, and of each breakdown step. */
  repeats: number;
}

/** Where `list()` spends its time, measured outside the manager on the same database (each a median). */
export interface ListBreakdown {
  /** `getAll()` of the snapshots store alone (IPC + deserializing the records). */
  snapshotsGetAllMs: number;
  refsGetAllMs: number;
  /** `getAll()` of the blob records, which `list()` reads only for their sizes. */
  blobsGetAllMs: number;
  /** `getAllKeys()` of the blobs store: the keys without the values. */
  blobsGetAllKeysMs: number;
  /** The three `getAll()`s in one read-only transaction, as `Store.list()` does them. */
  allGetAllMs: number;
  /** `listModels()` alone: grouping, sorting and sizing in JS. */
  listModelsMs: number;
  /** `structuredClone()` of the snapshot records: serialize + deserialize in-process. */
  structuredCloneMs: number;
  /** `JSON.stringify()` length of the snapshot records, a proxy for their size. */
  snapshotsJsonBytes: number;
}

/** What the page measured for one store size. */
export interface CacheRunResult {
  models: number;
  files: number;
  /** Distinct blobs (records and 1-byte OPFS files); the cache's total size in clean()'s units. */
  blobs: number;
  seedMs: number;
  /** `list()` again with nothing changed: the kept listing. */
  listMs: number[];
  /** A page's first `list()` (a new manager, its store already open): every repo read from the database. */
  firstListMs: number[];
  /** `list()` right after a write (a pin or unpin of one model): the listing built again from the database. */
  listAfterChangeMs: number[];
  /** The dry-run `clean({ maxSize })`, with `maxSize` half the total. */
  dryRunMs: number[];
  maxSize: number;
  /** Snapshots the dry run would evict. */
  planned: number;
  /** The one real `clean({ maxSize })`. */
  cleanMs: number;
  evicted: number;
  blobsDeleted: number;
  modelsAfter: number;
  opfsFilesAfter: number;
  breakdown: ListBreakdown;
}

/** The cache page's API on `window.hangarCacheBench`. */
export interface CachePageApi {
  run(input: CacheRunInput): Promise<CacheRunResult>;
  /** Removes a store's OPFS folder and its `<storeName>-meta` IndexedDB database. */
  cleanup(storeName: string): Promise<void>;
}

declare global {
  interface Window {
    hangarCacheBench?: CachePageApi;
  }
}
