import * as Comlink from 'comlink';
import type { LlmPageApi } from './llm-types.ts';
import { clearModelStorage } from './remove-store.ts';

const worker = Comlink.wrap<Pick<LlmPageApi, 'run'>>(new Worker(new URL('./llm.worker.ts', import.meta.url), { type: 'module' }));

window.hangarLlmBench = {
  run: (options) => worker.run(options),
  clear: clearModelStorage,
};
