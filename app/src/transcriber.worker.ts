import { Tensor, type AutomaticSpeechRecognitionPipeline } from '@huggingface/transformers';
import * as Comlink from 'comlink';
import { installErrorTransfer } from 'hangar';
import { announceReady } from './worker-ready.ts';
import { WorkerPipeline, type OpenProgress, type PipelineRequest } from './worker-pipeline.ts';
import { SAMPLE_RATE, toSegments, windows, type Segment, type TimedChunk } from './transcript.ts';

/** How to transcribe. */
export interface TranscribeOptions {
  /** Whisper language code; undefined: detected from the first 30 s (multilingual models). */
  language?: string | undefined;
  /** `translate`: into English (multilingual models). */
  task: 'transcribe' | 'translate';
}

/** One finished 30 s window. */
export interface WindowDone {
  /** 1-based. */
  index: number;
  count: number;
  segments: Segment[];
  /** The language used (detected or chosen); undefined for an English-only model. */
  language: string | undefined;
}

/** A finished (or stopped) transcription and how fast it ran. */
export interface TranscriptionResult {
  segments: Segment[];
  audioSeconds: number;
  elapsedMs: number;
  /** Processing time over audio duration: below 1 is faster than real time. */
  rtf: number;
  cancelled: boolean;
  language: string | undefined;
}

/** The transcription worker's API (comlink). */
export interface TranscriberApi {
  /** Opens the pipeline from Hangar's store (downloading a missing file through Hangar), reporting each file. */
  load(request: PipelineRequest, onProgress?: (progress: OpenProgress) => void): Promise<{ loadMs: number }>;
  /** Transcribes 16 kHz mono samples 30 s at a time, reporting each window as it is done. */
  transcribe(audio: Float32Array, options: TranscribeOptions, onWindow: (window: WindowDone) => void): Promise<TranscriptionResult>;
  /** Stops before the next window (a cancel during `load` stops the transcription that follows it). */
  cancel(): void;
}

installErrorTransfer();

const asr = new WorkerPipeline('automatic-speech-recognition', 'The model');
let cancelled = false;

/** Lets queued messages (a cancel) run: awaiting inference alone resolves in microtasks and never does. */
const yieldToMessages = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

interface WhisperGenerationConfig {
  is_multilingual?: boolean;
  decoder_start_token_id: number;
  lang_to_id?: Record<string, number>;
}

/** Whisper's own language detection: the most likely language token after <|startoftranscript|>, on the first window. */
async function detectLanguage(pipe: AutomaticSpeechRecognitionPipeline, audio: Float32Array): Promise<string> {
  const config = pipe.model.generation_config as unknown as WhisperGenerationConfig;
  const { input_features } = (await pipe.processor(audio)) as { input_features: Tensor };
  const start = new Tensor('int64', new BigInt64Array([BigInt(config.decoder_start_token_id)]), [1, 1]);
  const { logits } = (await pipe.model({ input_features, decoder_input_ids: start })) as { logits: Tensor };
  const scores = logits.data as Float32Array;
  const vocabulary = logits.dims.at(-1)!;
  const last = scores.length - vocabulary;
  let best = 'en';
  let bestScore = -Infinity;
  for (const [token, id] of Object.entries(config.lang_to_id ?? {})) {
    const score = scores[last + id] ?? -Infinity;
    if (score > bestScore) [best, bestScore] = [token.slice(2, -2), score];
  }
  return best;
}

const api: TranscriberApi = {
  load(request, onProgress) {
    cancelled = false;
    return asr.open(request, onProgress);
  },

  async transcribe(audio, options, onWindow) {
    const pipe = asr.pipe;
    if (pipe === undefined) throw new Error('load() a model first');
    const started = performance.now();
    const segments: Segment[] = [];
    const ranges = windows(audio.length);
    const multilingual = (pipe.model.generation_config as unknown as WhisperGenerationConfig).is_multilingual === true;
    let language = multilingual ? options.language : undefined;
    for (const [index, [from, to]] of ranges.entries()) {
      await yieldToMessages();
      if (cancelled) break;
      const window = audio.subarray(from, to);
      language ??= multilingual ? await detectLanguage(pipe, window) : undefined;
      const output = (await pipe(window, {
        return_timestamps: true,
        ...(multilingual ? { language, task: options.task } : {}),
      })) as { chunks?: TimedChunk[]; text: string };
      const chunks = output.chunks ?? [{ timestamp: [0, null], text: output.text }];
      const found = toSegments(chunks, from / SAMPLE_RATE, to / SAMPLE_RATE);
      segments.push(...found);
      onWindow({ index: index + 1, count: ranges.length, segments: found, language });
    }
    const elapsedMs = performance.now() - started;
    const audioSeconds = audio.length / SAMPLE_RATE;
    return { segments, audioSeconds, elapsedMs, rtf: elapsedMs / 1000 / Math.max(audioSeconds, 1e-9), cancelled, language };
  },

  cancel() {
    cancelled = true;
  },
};

Comlink.expose(api);
announceReady();
