import { createSHA1, createSHA256, type IHasher } from 'hash-wasm';
import type { FileHash } from '../hub/index.ts';

/** An incremental hasher for `hash.algorithm`; git-sha1 is primed with the `blob <size>\0` header. */
export async function createHasher(hash: FileHash, size: number): Promise<{ hasher: IHasher; reset: () => void }> {
  const hasher = hash.algorithm === 'sha256' ? await createSHA256() : await createSHA1();
  const header = hash.algorithm === 'git-sha1' ? new TextEncoder().encode(`blob ${size}\0`) : undefined;
  const reset = (): void => {
    hasher.init();
    if (header !== undefined) hasher.update(header);
  };
  reset();
  return { hasher, reset };
}
