/**
 * Until the returned function is called, every download worker this page starts (a manager's
 * included) runs `fault-download.test-worker.ts` with `fault` (tests only; see that file).
 */
export function faultDownloadWorkers(fault: string): () => void {
  const Real = globalThis.Worker;
  const entry = new URL('./fault-download.test-worker.ts', import.meta.url);
  globalThis.Worker = class extends Real {
    constructor(url: string | URL, options?: WorkerOptions) {
      const download = String(url).includes('download.worker');
      super(download ? entry : url, download ? { type: 'module', name: fault } : options);
    }
  };
  return () => {
    globalThis.Worker = Real;
  };
}

/** A download worker running `fault-download.test-worker.ts` with `fault`, for `connectDownloadWorker`. */
export function faultDownloadWorker(fault: string): Worker {
  return new Worker(new URL('./fault-download.test-worker.ts', import.meta.url), { type: 'module', name: fault });
}
