import * as Comlink from 'comlink';
import { installErrorTransfer } from './comlink-errors.ts';
import { createDownloadWorkerApi } from './download-worker-api.ts';

installErrorTransfer();
Comlink.expose(createDownloadWorkerApi());
