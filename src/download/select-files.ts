import { HubError } from '../errors/index.ts';
import type { RepoFile } from '../hub/index.ts';

/** The files of `listed` named in `wanted` (each once), or all of them; an unknown path is HubError ENTRY_NOT_FOUND. */
export function selectFiles(repo: string, revision: string, listed: RepoFile[], wanted: string[] | undefined): RepoFile[] {
  if (wanted === undefined) return listed;
  const byPath = new Map(listed.map((file) => [file.path, file]));
  return [...new Set(wanted)].map((path) => {
    const file = byPath.get(path);
    if (file === undefined) {
      throw new HubError('ENTRY_NOT_FOUND', `${repo}@${revision} has no file ${JSON.stringify(path)}`, {
        details: { repo, revision, path },
      });
    }
    return file;
  });
}
