import { env, pipeline, TextStreamer } from '@huggingface/transformers';
import * as Comlink from 'comlink';
import { createModelManager } from '../src/index.ts';
import type { LlmPageApi } from './llm-types.ts';
import { useTransformersDefaults } from './transformers-defaults.ts';
import { configureTransformers } from 'hangar/transformers';

/** Runs in a worker, as an app would: open the model, then greedy-generate a fixed number of tokens. */
const api: Pick<LlmPageApi, 'run'> = {
  async run(options) {
    const started = performance.now();
    if (options.mode === 'hangar') {
      configureTransformers(createModelManager({ endpoint: options.endpoint, storeName: options.storeName }), env);
      env.backends.onnx.wasm!.numThreads = 1;
    } else {
      useTransformersDefaults(options.endpoint, 1);
    }
    const generator = await pipeline('text-generation', options.repo, { dtype: options.dtype, device: options.device });
    const loaded = performance.now();
    const times: number[] = [];
    const streamer = new TextStreamer(generator.tokenizer, {
      skip_prompt: true,
      token_callback_function: () => times.push(performance.now()),
    });
    const prompt = generator.tokenizer.apply_chat_template<false>(
      [{ role: 'user', content: 'Summarise: the model runs in this browser.' }],
      {
        tokenize: false,
        add_generation_prompt: true,
      },
    );
    await generator(prompt, { max_new_tokens: options.tokens, min_new_tokens: options.tokens, do_sample: false, streamer });
    await generator.dispose();
    const first = times[0] ?? NaN;
    const last = times.at(-1) ?? NaN;
    return {
      loadMs: loaded - started,
      firstTokenMs: first - started,
      tokensPerSecond: times.length > 1 ? ((times.length - 1) * 1000) / (last - first) : NaN,
    };
  },
};

Comlink.expose(api);
