import { env, pipeline } from '@huggingface/transformers';
import { createModelManager } from '../src/index.ts';
import * as Comlink from 'comlink';
import { useTransformersDefaults } from './transformers-defaults.ts';
import type { WhisperPageApi } from './whisper-types.ts';
import { configureTransformers } from 'hangar/transformers';

const WINDOW = 16_000 * 30;

/** 30 s of speech-like sound: a few harmonics under a syllable-rate envelope. */
function audio(): Float32Array {
  return Float32Array.from({ length: WINDOW }, (_, i) => {
    const t = i / 16_000;
    const envelope = Math.max(0, Math.sin(2 * Math.PI * 3 * t)) * (0.5 + 0.5 * Math.sin(2 * Math.PI * 0.2 * t));
    return (
      0.3 * envelope * (Math.sin(2 * Math.PI * 180 * t) + 0.5 * Math.sin(2 * Math.PI * 360 * t) + 0.25 * Math.sin(2 * Math.PI * 900 * t))
    );
  });
}

/** Runs in a worker, as an app would (ONNX Runtime's threads need one: in a page's main thread they deadlock). */
const api: Pick<WhisperPageApi, 'run'> = {
  async run(options) {
    const started = performance.now();
    let jobMs: number | undefined;
    if (options.mode === 'hangar') {
      const manager = createModelManager({ endpoint: options.endpoint, storeName: options.storeName });
      configureTransformers(manager, env);
      if (options.predownload === true) {
        await manager.download(options.repo, { dtype: options.dtype }).done;
        jobMs = performance.now() - started;
      }
      env.backends.onnx.wasm!.numThreads = options.threads;
    } else {
      useTransformersDefaults(options.endpoint, options.threads);
    }
    const asr = await pipeline('automatic-speech-recognition', options.repo, { dtype: options.dtype, device: options.device });
    const loaded = performance.now();
    const samples = audio();
    const transcribe = async () => ((await asr(samples, { return_timestamps: true, language: 'en' })) as { text: string }).text;
    const text = await transcribe();
    const first = performance.now();
    const windowMs: number[] = [];
    for (let i = 0; i < options.repeats; i++) {
      const start = performance.now();
      await transcribe();
      windowMs.push(performance.now() - start);
    }
    await asr.dispose();
    return { loadMs: loaded - started, jobMs, firstTranscriptMs: first - started, windowMs, text };
  },
};

Comlink.expose(api);
