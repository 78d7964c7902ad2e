/** One run of the Whisper benchmark page, in a fresh page. */
export interface WhisperRun {
  /** `hangar`: files through Hangar's store (configureTransformers); `transformers`: transformers.js's default Cache API storage. */
  mode: 'hangar' | 'transformers';
  endpoint: string;
  storeName: string;
  repo: string;
  dtype: 'q8' | 'fp32' | 'fp16';
  device: 'wasm' | 'webgpu';
  threads: number;
  /** Hangar only: download the variant in one job first, as the PWA does (else transformers.js asks for the files one by one). */
  predownload?: boolean;
  /** Extra transcriptions of a 30 s window after the first, timed for the real-time factor. */
  repeats: number;
}

/** What a run measured, from the call (a fresh page, nothing loaded) on. */
export interface WhisperResult {
  /** pipeline() ready. */
  loadMs: number;
  /** Hangar with `predownload`: of loadMs, the verified download job (a fresh manager's first). */
  jobMs?: number;
  /** First 30 s window transcribed. */
  firstTranscriptMs: number;
  /** Each further transcription of the same window. */
  windowMs: number[];
  text: string;
}

export interface WhisperPageApi {
  run(options: WhisperRun): Promise<WhisperResult>;
  /** Deletes transformers.js's Cache API cache and a Hangar store. */
  clear(storeName: string): Promise<void>;
}

declare global {
  interface Window {
    hangarWhisperBench?: WhisperPageApi;
  }
}
