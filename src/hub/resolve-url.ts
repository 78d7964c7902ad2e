/** The download URL of `path` in `repo` at `revision` on `endpoint` (`{endpoint}/{repo}/resolve/{revision}/{path}`). */
export function resolveUrl(endpoint: string, repo: string, revision: string, path: string): string {
  const encodedPath = path.split('/').map(encodeURIComponent).join('/');
  return `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${encodedPath}`;
}
