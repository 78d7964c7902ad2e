import * as Comlink from 'comlink';
import { clearModelStorage } from './remove-store.ts';
import type { WhisperPageApi } from './whisper-types.ts';

const worker = Comlink.wrap<Pick<WhisperPageApi, 'run'>>(new Worker(new URL('./whisper.worker.ts', import.meta.url), { type: 'module' }));

window.hangarWhisperBench = {
  run: (options) => worker.run(options),
  clear: clearModelStorage,
};
