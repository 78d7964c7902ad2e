import type { FileHash } from '../hub/index.ts';

/** The name a blob is stored under: `sha256-<hex>` or `git-sha1-<hex>`. */
export function blobKey(hash: FileHash): string {
  return `${hash.algorithm}-${hash.value}`;
}
