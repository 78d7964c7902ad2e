import { HubError } from '../errors/index.ts';

const REPO_ID = /^(?:[A-Za-z0-9][A-Za-z0-9_.-]*\/)?[A-Za-z0-9][A-Za-z0-9_.-]*$/;
const COMMIT = /^[0-9a-f]{40}$/;

/** Throws HubError REPO_NOT_FOUND unless `repo` looks like `name` or `org/name`. */
export function checkRepoId(repo: string): void {
  if (typeof repo !== 'string' || !REPO_ID.test(repo) || repo.includes('..') || repo.length > 200) {
    throw new HubError('REPO_NOT_FOUND', `Invalid repo id ${JSON.stringify(repo)}: expected "org/name"`, { details: { repo } });
  }
}

/** Throws HubError REVISION_NOT_FOUND unless `revision` is a plausible branch, tag, PR ref or commit. */
export function checkRevision(revision: string): void {
  if (typeof revision !== 'string' || revision === '' || revision.length > 255 || /[\s\0\\~^:?*[]|\.\.|^\/|\/$/.test(revision)) {
    throw new HubError('REVISION_NOT_FOUND', `Invalid revision ${JSON.stringify(revision)}`, { details: { revision } });
  }
}

/** True when `revision` is a full 40-hex commit sha. */
export function isCommitSha(revision: string): boolean {
  return COMMIT.test(revision);
}

/**
 * Throws HubError UNSAFE_PATH for a listed file name that could escape the snapshot: absolute paths,
 * `..` or `.` segments, empty segments, backslashes, drive letters, control characters.
 */
export function checkRepoPath(path: string): void {
  const unsafe =
    typeof path !== 'string' ||
    path === '' ||
    path.length > 1024 ||
    path.startsWith('/') ||
    /[\\\0-\x1f]/.test(path) ||
    /^[A-Za-z]:/.test(path) ||
    path.split('/').some((part) => part === '' || part === '.' || part === '..');
  if (unsafe) throw new HubError('UNSAFE_PATH', `Refusing unsafe file path ${JSON.stringify(path)}`, { details: { path } });
}
