/** One run of the LLM benchmark page, in a fresh page. */
export interface LlmRun {
  /** `hangar`: files through Hangar's store (configureTransformers); `transformers`: transformers.js's default Cache API storage. */
  mode: 'hangar' | 'transformers';
  endpoint: string;
  storeName: string;
  repo: string;
  dtype: 'fp32' | 'q8' | 'q4';
  device: 'wasm' | 'webgpu';
  /** Tokens to generate (no early stop). */
  tokens: number;
}

/** What a run measured, from the call (a fresh page, nothing loaded) on. */
export interface LlmResult {
  /** pipeline() ready. */
  loadMs: number;
  /** The first generated token, from the call: load (and a cold download) included. */
  firstTokenMs: number;
  /** After the first token. */
  tokensPerSecond: number;
}

export interface LlmPageApi {
  run(options: LlmRun): Promise<LlmResult>;
  /** Deletes transformers.js's Cache API cache and a Hangar store. */
  clear(storeName: string): Promise<void>;
}

declare global {
  interface Window {
    hangarLlmBench?: LlmPageApi;
  }
}
