import type { FileHash } from '../hub/index.ts';
import { blobKey } from '../store/worker.ts';
import { throwIfAborted } from '../errors/index.ts';
import { createHasher } from './create-hasher.ts';

/** What hashing a blob found, and how long the hashing itself (without reads) took. */
export interface BlobHashReport {
  key: string;
  actual: string;
  ok: boolean;
  size: number;
  hashMs: number;
  totalMs: number;
}

const CHUNK = 8 * 2 ** 20;

/** Hashes any Blob (a stored blob, a slice of an archive) in 8 MiB slices, never holding it whole; `signal` stops it between slices. */
export async function hashBlob(blob: Blob, hash: FileHash, signal?: AbortSignal): Promise<BlobHashReport> {
  const started = performance.now();
  const { hasher } = await createHasher(hash, blob.size);
  let hashMs = 0;
  for (let at = 0; at < blob.size; at += CHUNK) {
    throwIfAborted(signal);
    const bytes = new Uint8Array(await blob.slice(at, at + CHUNK).arrayBuffer());
    const t = performance.now();
    hasher.update(bytes);
    hashMs += performance.now() - t;
  }
  const t = performance.now();
  const actual = hasher.digest('hex');
  hashMs += performance.now() - t;
  return { key: blobKey(hash), actual, ok: actual === hash.value, size: blob.size, hashMs, totalMs: performance.now() - started };
}
