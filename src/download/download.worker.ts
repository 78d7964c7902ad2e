import * as Comlink from 'comlink';
import { installErrorTransfer } from './comlink-errors.ts';
import { createDownloadWorkerApi } from './download-worker-api.ts';
import { WORKER_READY } from './worker-ready.ts';

installErrorTransfer();
Comlink.expose(createDownloadWorkerApi());
postMessage(WORKER_READY);
