import { env, pipeline, type AutomaticSpeechRecognitionPipeline } from '@huggingface/transformers';
import * as Comlink from 'comlink';
import { createModelManager, installErrorTransfer, type Dtype, type ModelManager, type TransformersProgress } from 'hangar';
import { SAMPLE_RATE, toSegments, windows, type Segment, type TimedChunk } from './transcript.ts';

/** What the page asks the worker to load. */
export interface LoadRequest {
  endpoint: string;
  storeName?: string;
  repo: string;
  /** dtype per graph, as `plan()` chose it (`{ encoder_model: 'q8', decoder_model_merged: 'q8' }`). */
  dtype: Record<string, Dtype>;
  device: 'wasm' | 'webgpu';
  threads: number;
}

/** A finished transcription and how fast it ran. */
export interface TranscriptionResult {
  segments: Segment[];
  audioSeconds: number;
  elapsedMs: number;
  /** Processing time over audio duration: below 1 is faster than real time. */
  rtf: number;
  cancelled: boolean;
}

/** The transcription worker's API (comlink). */
export interface TranscriberApi {
  /** Opens the pipeline from Hangar's store (downloading a missing file through Hangar); reports transformers.js progress. */
  load(request: LoadRequest, onProgress?: (event: TransformersProgress) => void): Promise<{ loadMs: number }>;
  /** Transcribes 16 kHz mono samples 30 s at a time, reporting each window's segments as they come. */
  transcribe(audio: Float32Array, options: { language?: string }, onSegments: (segments: Segment[]) => void): Promise<TranscriptionResult>;
  /** Stops after the window in progress. */
  cancel(): void;
}

installErrorTransfer();

let manager: ModelManager | undefined;
let asr: AutomaticSpeechRecognitionPipeline | undefined;
let loaded = '';
let cancelled = false;

const api: TranscriberApi = {
  async load(request, onProgress) {
    const key = JSON.stringify(request);
    if (asr !== undefined && key === loaded) return { loadMs: 0 };
    const started = performance.now();
    await asr?.dispose();
    asr = undefined;
    manager?.close();
    manager = createModelManager({
      endpoint: request.endpoint,
      ...(request.storeName === undefined ? {} : { storeName: request.storeName }),
    });
    manager.configureTransformers(env, onProgress === undefined ? {} : { progress_callback: onProgress });
    const wasm = env.backends.onnx.wasm!;
    wasm.numThreads = request.threads;
    asr = await pipeline('automatic-speech-recognition', request.repo, { dtype: request.dtype, device: request.device });
    loaded = key;
    return { loadMs: performance.now() - started };
  },

  async transcribe(audio, options, onSegments) {
    if (asr === undefined) throw new Error('load() a model first');
    cancelled = false;
    const started = performance.now();
    const segments: Segment[] = [];
    for (const [from, to] of windows(audio.length)) {
      if (cancelled) break;
      const output = (await asr(audio.subarray(from, to), {
        return_timestamps: true,
        ...(options.language === undefined ? {} : { language: options.language }),
      })) as { chunks?: TimedChunk[]; text: string };
      const chunks = output.chunks ?? [{ timestamp: [0, null], text: output.text }];
      const found = toSegments(chunks, from / SAMPLE_RATE, to / SAMPLE_RATE);
      segments.push(...found);
      onSegments(found);
    }
    const elapsedMs = performance.now() - started;
    const audioSeconds = audio.length / SAMPLE_RATE;
    return { segments, audioSeconds, elapsedMs, rtf: elapsedMs / 1000 / Math.max(audioSeconds, 1e-9), cancelled };
  },

  cancel() {
    cancelled = true;
  },
};

Comlink.expose(api);
