import type { RepoFile } from '../hub/index.ts';

/** Errors a damaged listing explains: the job reads the listing again before it believes them. */
export const LISTING_SUSPECTS = new Set(['ENTRY_NOT_FOUND', 'INTEGRITY_MISMATCH', 'BAD_RESPONSE']);

/** Whether two listings name the same files with the same sizes and hashes. */
export function sameListing(a: RepoFile[], b: RepoFile[]): boolean {
  const key = (files: RepoFile[]): string =>
    files
      .map((file) => `${file.path}\0${file.size}\0${file.hash.algorithm}:${file.hash.value}`)
      .sort()
      .join('\n');
  return key(a) === key(b);
}
