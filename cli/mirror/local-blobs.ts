import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isCommitSha, type FileHash } from '../../src/hub/index.ts';
import type { MirrorLayout } from './mirror-layout.ts';
import { readTreeListing } from './tree-listing.ts';

const key = (hash: FileHash): string => `${hash.algorithm}:${hash.value}`;

/**
 * The files a mirror folder already holds, by hash: what a listing of a complete commit names
 * (a listing is written only once all its files are in place, each checked against its hash as it
 * was fetched). A file wanted again, at another path, commit or repo, is linked instead of fetched.
 */
export class LocalBlobs {
  readonly #paths = new Map<string, string[]>();

  /** Reads every listing under `api/models/` (repos `org/name` and `name`). */
  static async scan(layout: MirrorLayout): Promise<LocalBlobs> {
    const blobs = new LocalBlobs();
    const models = join(layout.root, 'api', 'models');
    const dirs = async (path: string): Promise<string[]> =>
      (await readdir(path, { withFileTypes: true }).catch(() => [])).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
    const repos: string[] = [];
    for (const first of await dirs(models)) {
      repos.push(first);
      for (const second of await dirs(join(models, first)))
        if (second !== 'tree' && second !== 'revision') repos.push(`${first}/${second}`);
    }
    for (const repo of repos) {
      let listings: string[];
      try {
        listings = (await readdir(layout.treeDir(repo), { withFileTypes: true }))
          .filter((e) => e.isFile() && isCommitSha(e.name))
          .map((e) => e.name);
      } catch {
        continue;
      }
      for (const commit of listings) {
        for (const file of (await readTreeListing(join(layout.treeDir(repo), commit))) ?? []) {
          blobs.add(file.hash, layout.file(repo, commit, file.path));
        }
      }
    }
    return blobs;
  }

  /** Records that `path` holds the bytes of `hash`. */
  add(hash: FileHash, path: string): void {
    const paths = this.#paths.get(key(hash)) ?? [];
    if (!paths.includes(path)) paths.push(path);
    this.#paths.set(key(hash), paths);
  }

  /** A path that holds `hash`'s bytes and is `size` bytes long, if any still does. */
  async find(hash: FileHash, size: number): Promise<string | undefined> {
    for (const path of this.#paths.get(key(hash)) ?? []) {
      const info = await stat(path).catch(() => undefined);
      if (info?.isFile() && info.size === size) return path;
    }
    return undefined;
  }
}
