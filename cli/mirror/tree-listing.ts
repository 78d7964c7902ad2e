import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { checkRepoPath, type RepoFile } from '../../src/hub/index.ts';

/** One entry of the Hub's tree API, as the mirror writes it (files only: Hangar and the Hub's clients skip directories). */
export interface TreeEntry {
  type: 'file';
  /** The git blob sha1: of the bytes, or for an LFS file of its pointer. */
  oid: string;
  size: number;
  path: string;
  lfs?: { oid: string; size: number; pointerSize: number };
}

const HEX = { sha256: /^[0-9a-f]{64}$/, 'git-sha1': /^[0-9a-f]{40}$/ };

/** The tree API's entries for files as `listRepoFiles` gives them (the LFS pointer's oid recomputed, as git does). */
export function treeEntries(files: readonly RepoFile[]): TreeEntry[] {
  return files.map((file) => {
    if (!file.lfs) return { type: 'file', oid: file.hash.value, size: file.size, path: file.path };
    const pointer = `version https://git-lfs.github.com/spec/v1\noid sha256:${file.hash.value}\nsize ${file.size}\n`;
    const oid = createHash('sha1')
      .update(`blob ${Buffer.byteLength(pointer)}\0${pointer}`)
      .digest('hex');
    return {
      type: 'file',
      oid,
      size: file.size,
      path: file.path,
      lfs: { oid: file.hash.value, size: file.size, pointerSize: Buffer.byteLength(pointer) },
    };
  });
}

/**
 * The files of a listing this mirror wrote earlier, or undefined when it is missing or not one
 * (damaged, foreign, an unsafe path): the caller then asks the Hub again.
 */
export async function readTreeListing(file: string): Promise<RepoFile[] | undefined> {
  let entries: unknown;
  try {
    entries = JSON.parse(await readFile(file, 'utf8'));
  } catch {
    return undefined;
  }
  if (!Array.isArray(entries)) return undefined;
  const files: RepoFile[] = [];
  for (const entry of entries as Array<Partial<TreeEntry>>) {
    if (entry?.type !== 'file' || typeof entry.path !== 'string') return undefined;
    const lfs = entry.lfs !== undefined;
    const hash = lfs ? { algorithm: 'sha256' as const, value: entry.lfs?.oid } : { algorithm: 'git-sha1' as const, value: entry.oid };
    const size = lfs ? entry.lfs?.size : entry.size;
    if (typeof hash.value !== 'string' || !HEX[hash.algorithm].test(hash.value) || !Number.isSafeInteger(size) || (size as number) < 0) {
      return undefined;
    }
    try {
      checkRepoPath(entry.path);
    } catch {
      return undefined;
    }
    files.push({ path: entry.path, size: size as number, hash: { algorithm: hash.algorithm, value: hash.value }, lfs });
  }
  return files;
}
