import * as Comlink from 'comlink';
import { installErrorTransfer } from '../src/download/comlink-errors.ts';
import { createDownloadWorkerApi } from '../src/download/download-worker-api.ts';

installErrorTransfer();
Comlink.expose(createDownloadWorkerApi());
