import * as Comlink from 'comlink';
import { installErrorTransfer } from './comlink-errors.ts';
import type { DownloadWorkerApi } from './download-worker-api.ts';

/** A running download worker and its comlink proxy. */
export interface DownloadWorker {
  api: Comlink.Remote<DownloadWorkerApi>;
  terminate(): void;
}

/** Starts the download worker (`workers/download.worker.ts`). */
export function connectDownloadWorker(): DownloadWorker {
  installErrorTransfer();
  const worker = new Worker(new URL('../../workers/download.worker.ts', import.meta.url), { type: 'module', name: 'hangar-download' });
  const api = Comlink.wrap<DownloadWorkerApi>(worker);
  return {
    api,
    terminate: () => {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
