/** Where blob bytes live. */
export type BackendKind = 'opfs' | 'indexeddb';

/** How the IndexedDB backend keeps chunks: Blob values (on disk), or ArrayBuffers where Blob values are refused (WebKit private browsing). */
export type ChunkValues = 'blob' | 'arraybuffer';

/** Where a store keeps blob bytes in this browser, as `probeStorage` found by trying, and why. */
export interface BlobStorage {
  /** `'none'`: nothing worked (the store cannot open; `reason` says what was tried). */
  backend: BackendKind | 'none';
  /** IndexedDB only. */
  chunks?: ChunkValues;
  /** In words: what was chosen and what failed before it. */
  reason: string;
  /** What failed on the way, with the browser's error name and message. */
  errors?: Array<{ what: string; name: string; message: string }>;
}

/** A partial download on disk, as the garbage collector sees it. */
export interface PartialInfo {
  key: string;
  size: number;
  modified: number;
  /** A checkpoint left without its data: always stale. */
  orphan: boolean;
}

/** Blob bytes of a store, seen from the page: read, list and remove (writing happens in the worker). */
export interface BlobBackend {
  readonly kind: BackendKind;
  /** The bytes of a verified blob as a (disk-backed) File, or undefined when missing or not `size` long. */
  blobFile(key: string, size: number): Promise<File | undefined>;
  /** Whether the bytes of a verified blob are all there, `size` long, checked without reading them. */
  hasBlob(key: string, size: number): Promise<boolean>;
  /** Every blob with bytes present, its size, and when its bytes were committed (ms since the epoch; 0 when unknown). */
  listBlobs(): Promise<Array<{ key: string; size: number; committed: number }>>;
  removeBlob(key: string): Promise<void>;
  listPartials(): Promise<PartialInfo[]>;
  partialSize(key: string): Promise<number>;
  removePartial(key: string): Promise<void>;
}

/**
 * A partial download being written (in the download worker). Bytes are appended; `checkpoint`
 * makes the bytes so far durable together with the hasher state; `commit` makes the blob visible.
 */
export interface PartialWriter {
  /** Bytes stored, including any not yet made durable. */
  size(): number;
  /** The last checkpoint's text, if any. */
  readCheckpoint(): Promise<string | undefined>;
  /** Reads stored bytes at `at` into `into`; returns how many were read. */
  read(into: Uint8Array, at: number): Promise<number>;
  truncate(size: number): Promise<void>;
  append(chunk: Uint8Array): Promise<void>;
  checkpoint(text: string): Promise<void>;
  /** Makes the bytes the verified blob `key` and removes the partial; false (nothing committed, the partial still open) when the stored bytes are not all there. */
  commit(): Promise<boolean>;
  /** Deletes the partial and its checkpoint. */
  discard(): Promise<void>;
  /** Releases the partial, keeping it (and its last checkpoint) for a later attempt. */
  close(): Promise<void>;
}
