import { InterruptableStoppingCriteria, TextStreamer } from '@huggingface/transformers';
import * as Comlink from 'comlink';
import { installErrorTransfer, RuntimeError } from 'hangar';
import { announceReady } from './worker-ready.ts';
import { WorkerPipeline, type OpenProgress, type PipelineRequest } from './worker-pipeline.ts';

/** A finished (or stopped) answer. */
export interface AssistantResult {
  text: string;
  tokens: number;
  /** From the first token to the last. */
  tokensPerSecond: number;
  /** From the request to the first token. */
  firstTokenMs: number;
  stopped: boolean;
}

/** The assistant worker's API (comlink). */
export interface AssistantApi {
  /** Opens the model from Hangar's store, downloading missing files through Hangar (verified, resumable). */
  load(request: PipelineRequest, onProgress?: (progress: OpenProgress) => void): Promise<{ loadMs: number }>;
  /** Answers a chat with the model's chat template, streaming text as it is generated. */
  generate(messages: Array<{ role: string; content: string }>, maxTokens: number, onText: (text: string) => void): Promise<AssistantResult>;
  /** Stops the answer after the token being generated. */
  stop(): void;
}

installErrorTransfer();

const generator = new WorkerPipeline('text-generation', 'The assistant model');
let stopping = new InterruptableStoppingCriteria();

const api: AssistantApi = {
  load: (request, onProgress) => generator.open(request, onProgress),

  async generate(messages, maxTokens, onText) {
    const model = generator.pipe;
    if (model === undefined) throw new Error('load() a model first');
    stopping = new InterruptableStoppingCriteria();
    const prompt = model.tokenizer.apply_chat_template<false>(messages, { tokenize: false, add_generation_prompt: true });
    // Never past the model's context: prompt and answer together fit its positions.
    const positions = (model.model.config as { max_position_embeddings?: number }).max_position_embeddings ?? Infinity;
    const promptTokens = model.tokenizer.encode(prompt).length;
    if (promptTokens >= positions)
      throw new RuntimeError('MODEL_INVALID', `The transcript is too long for this model (${promptTokens} of ${positions} tokens)`);
    const started = performance.now();
    let first = 0;
    let tokens = 0;
    let text = '';
    const streamer = new TextStreamer(model.tokenizer, {
      skip_prompt: true,
      skip_special_tokens: true,
      callback_function: (piece: string) => {
        text += piece;
        onText(piece);
      },
      token_callback_function: () => {
        if (tokens++ === 0) first = performance.now();
      },
    });
    await model(prompt, {
      max_new_tokens: Math.min(maxTokens, positions - promptTokens),
      do_sample: false,
      streamer,
      stopping_criteria: stopping,
    });
    const seconds = (performance.now() - first) / 1000;
    return {
      text,
      tokens,
      tokensPerSecond: tokens > 1 && seconds > 0 ? (tokens - 1) / seconds : 0,
      firstTokenMs: tokens > 0 ? first - started : 0,
      stopped: stopping.interrupted,
    };
  },

  stop() {
    stopping.interrupt();
  },
};

Comlink.expose(api);
announceReady();
