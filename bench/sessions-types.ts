/** A tensor as it crosses from Node to the page: int64 values as numbers; `fill` builds a large one in the page. */
export interface InputSpec {
  type: 'float32' | 'int64';
  data?: number[];
  fill?: number;
  dims: number[];
}

/** The page's API on `window.hangarSessionsBench`. */
export interface SessionsPageApi {
  /** Downloads `files` of `repo` into `storeName` and opens one throw-away session so ORT's wasm is loaded. */
  prepare(endpoint: string, repo: string, files: string[], storeName: string): Promise<void>;
  /** From cached to first inference done through Hangar: createSession from the store, one run. */
  hangar(endpoint: string, storeName: string, repo: string, path: string, inputs: Record<string, InputSpec>): Promise<number>;
  /** The same with plain onnxruntime-web: InferenceSession.create(url) over the network, one run. */
  plain(url: string, inputs: Record<string, InputSpec>, externalData?: { path: string; url: string }): Promise<number>;
  cleanup(storeName: string): Promise<void>;
}

declare global {
  interface Window {
    hangarSessionsBench?: SessionsPageApi;
  }
}
