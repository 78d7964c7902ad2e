import type { FileHash } from '../src/index.ts';

/** One download the page runs: files of a fake Hub repo into a fresh store. */
export interface PageRunInput {
  endpoint: string;
  repo: string;
  /** The files with their expected sha256 (from the fake Hub); the first is re-hashed for the ceiling. */
  files: Array<{ path: string; sha256: string }>;
  /** `download.concurrent`. */
  concurrent: number;
  storeName: string;
  /** Where the store keeps blob bytes. */
  backend: 'opfs' | 'indexeddb';
}

/** What the page measured: the whole job, and hash-wasm alone on the first file's stored bytes in the same kind of worker. */
export interface PageRunResult {
  /** Bytes of all the files. */
  bytes: number;
  /** Bytes of the first file (what `hashMs` hashed). */
  hashedBytes: number;
  /** `mm.download()` until `done` resolved (resolve, worker start, fetch, write, hash, verify, record). */
  downloadMs: number;
  /** From the start until the first progress event with bytes (setup: revision, listing, worker start). */
  firstByteMs: number | undefined;
  /** hash-wasm update/digest time only, over the stored blob. */
  hashMs: number;
  /** hashBlob wall time on the stored file (reads + hashing). */
  hashTotalMs: number;
  /** Reading the stored file back whole through its stream, in the page. */
  readMs: number;
  hash: FileHash;
}

/** Where a page's start-up goes, and what a job costs beyond its bytes (ms; tiny files, so the bytes cost next to nothing). */
export interface StartupResult {
  /** A download worker started and its storage probe answered (an OPFS sync access handle written, read, truncated). */
  workerProbeMs: number;
  /** The store opened (metadata database and blob backend) with the probe's answer. */
  storeOpenMs: number;
  /** A fresh manager's first job of one tiny file, until done (all of the above, the revision, the listing, the file). */
  firstJobMs: number;
  /** The same manager's second job, of another tiny file at the same commit, until done. */
  secondJobMs: number;
  /** A plain `fetch` of a third tiny file's resolve URL (the CDN redirect followed), body read. */
  fetchMs: number;
}

/** The page's API on `window.hangarBench`. */
export interface PageApi {
  /** Downloads, calls `window.benchPhase('hash')`, then re-hashes the stored blob. */
  run(input: PageRunInput): Promise<PageRunResult>;
  /** The plain way, as a baseline: `fetch` the first file's resolve URL and `cache.put` it into a Cache API cache; ms until stored. The cache is deleted after. */
  cacheApi(input: PageRunInput): Promise<number>;
  /** Times the parts of a page's start-up, then two jobs of one manager (a tiny file each) and a plain fetch of a third. */
  startup(input: PageRunInput): Promise<StartupResult>;
  /** Removes a store's OPFS folder and IndexedDB database. */
  cleanup(storeName: string): Promise<void>;
}

declare global {
  interface Window {
    hangarBench?: PageApi;
    /** Exposed by the benchmark: marks the end of the download phase. */
    benchPhase?: (phase: string) => Promise<void>;
  }
}
