/** The three ways to get a model into the browser the peer benchmark compares. */
export type Peer = 'hangar' | 'transformers' | 'cache-api';

/** One model of the comparison, as the page needs it. */
export interface PeerCase {
  name: string;
  repo: string;
  /** Every file to store. */
  files: string[];
  /** The ONNX graphs a session opens, each with its external data files. */
  graphs: Array<{ path: string; externalData: string[] }>;
  /** How transformers.js loads it: the Whisper model class, or AutoModel on a graph named onnx/model.onnx. */
  transformers: { loader: 'speech-seq2seq' | 'auto'; dtype: 'q8' | 'fp32' };
}

/** A measurement, or why the peer could not do it (a result too). */
export type Outcome = { ok: true; ms: number } | { ok: false; error: string };

/** The page's API on `window.hangarPeers`; every call runs in the page that hosts it. */
export interface PeersPageApi {
  /** Fetches and stores every file (transformers.js: `from_pretrained`, which also opens the sessions). */
  download(peer: Peer, endpoint: string, storeName: string, c: PeerCase): Promise<Outcome>;
  /** From stored to sessions ready, never touching the network. */
  reload(peer: Peer, endpoint: string, storeName: string, c: PeerCase): Promise<Outcome>;
  /** Empties the Cache API caches and the Hangar store. */
  clear(storeName: string): Promise<void>;
}

declare global {
  interface Window {
    hangarPeers?: PeersPageApi;
  }
}
