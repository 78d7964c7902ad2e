import { createHash, type Hash } from 'node:crypto';
import type { FileHash } from '../../src/hub/index.ts';

/** A running hash of a file's bytes, in the form the Hub lists it. */
export interface FileHasher {
  update(bytes: Uint8Array): void;
  /** Lowercase hex. */
  digest(): string;
}

/**
 * A hasher for `hash.algorithm`: SHA-256 of the bytes (LFS files), or the git blob SHA-1 of a file of
 * `size` bytes (`sha1("blob {size}\0" + bytes)`, every other file).
 */
export function createFileHasher(hash: Pick<FileHash, 'algorithm'>, size: number): FileHasher {
  const inner: Hash = hash.algorithm === 'sha256' ? createHash('sha256') : createHash('sha1').update(`blob ${size}\0`);
  return {
    update: (bytes) => void inner.update(bytes),
    digest: () => inner.digest('hex'),
  };
}
