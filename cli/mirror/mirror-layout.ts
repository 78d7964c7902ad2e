import { join } from 'node:path';
import { HubError } from '../../src/errors/index.ts';
import { checkRepoId, checkRevision, type FileHash } from '../../src/hub/index.ts';

/** The mirror's own folder (partial downloads, temporary files): never served (mirror.conf answers 404). */
export const STATE_DIR = '.hangar';

/**
 * Where each part of the Hub's URL layout lives in a mirror folder, so a static server answers the
 * URLs Hangar asks for (query strings ignored):
 * - `api/models/{repo}/revision/{ref or commit}`: model info, JSON with `sha` (what resolves a revision)
 * - `api/models/{repo}/tree/{commit}`: the recursive listing, JSON entries with `oid`, `size`, `lfs`
 * - `{repo}/resolve/{commit}/{path}`: the files; `{repo}/resolve/{ref}` is a symlink to `{commit}`
 */
export class MirrorLayout {
  readonly root: string;
  constructor(root: string) {
    this.root = root;
  }

  info(repo: string, revision: string): string {
    return join(this.repoApi(repo), 'revision', ...refSegments(revision));
  }

  tree(repo: string, revision: string): string {
    return join(this.repoApi(repo), 'tree', ...refSegments(revision));
  }

  /** The folder of a commit's (or, as a symlink, a ref's) files. */
  resolve(repo: string, revision: string): string {
    checkRepoId(repo);
    return join(this.root, ...repo.split('/'), 'resolve', ...refSegments(revision));
  }

  /** A file's final path; `path` must have passed checkRepoPath (listRepoFiles does that). */
  file(repo: string, commit: string, path: string): string {
    return join(this.resolve(repo, commit), ...path.split('/'));
  }

  /** The partial download of a blob, by hash: a file at two paths or in two repos is fetched once. */
  partial(hash: FileHash): string {
    return join(this.root, STATE_DIR, 'partials', `${hash.algorithm}-${hash.value}.part`);
  }

  /** A folder for files being written before they are renamed into place (same file system as the mirror). */
  temp(): string {
    return join(this.root, STATE_DIR, 'tmp');
  }

  /** Where the listings live, for finding the commits a repo already has. */
  treeDir(repo: string): string {
    return join(this.repoApi(repo), 'tree');
  }

  private repoApi(repo: string): string {
    checkRepoId(repo);
    return join(this.root, 'api', 'models', ...repo.split('/'));
  }
}

/** A revision's path segments (`refs/pr/1` is three), refused when one would leave its folder. */
function refSegments(revision: string): string[] {
  checkRevision(revision);
  const segments = revision.split('/');
  if (segments.some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new HubError('REVISION_NOT_FOUND', `Invalid revision ${JSON.stringify(revision)}`, { details: { revision } });
  }
  return segments;
}
