import { resolveRevision, type Commit, type Repo } from './repos';

/** A revision found at the start of a URL path, and the (decoded) path after it. */
export interface RevisionMatch {
  rev: string;
  commit: Commit;
  path: string;
}

/**
 * Finds the revision at the start of raw (still percent-encoded) path segments: the longest run of
 * decoded segments naming a revision, so both `refs%2Fpr%2F1/x` and `refs/pr/1/x` work.
 * With `needPath`, at least one segment is left for the path. Throws URIError on bad encoding.
 */
export function splitRevision(repo: Repo, segments: string[], needPath: boolean): RevisionMatch | undefined {
  const decoded = segments.map((s) => decodeURIComponent(s));
  for (let k = decoded.length - (needPath ? 1 : 0); k >= 1; k--) {
    const rev = decoded.slice(0, k).join('/');
    const commit = resolveRevision(repo, rev);
    if (commit)
      return {
        rev,
        commit,
        path: decoded
          .slice(k)
          .join('/')
          .replace(/^\/+|\/+$/g, ''),
      };
  }
  return undefined;
}
