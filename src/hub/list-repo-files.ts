import { HubError } from '../errors/index.ts';
import { checkRepoId, checkRepoPath, isCommitSha } from './check-names.ts';
import { createHubFetch } from './create-hub-fetch.ts';
import { parseLinkHeader } from './parse-link-header.ts';
import type { HubContext, RepoFile } from './types.ts';

const HEX = { sha256: /^[0-9a-f]{64}$/, 'git-sha1': /^[0-9a-f]{40}$/ };
/** 1,000 pages of the Hub's 1,000 entries: far beyond any model repo, and a bound on a listing that never ends. */
const MAX_PAGES = 1000;

interface TreeEntry {
  type?: unknown;
  path?: unknown;
  size?: unknown;
  oid?: unknown;
  lfs?: { oid?: unknown; size?: unknown };
}

/**
 * Lists every file of `repo` at `commit` with its size and hash (SHA-256 for LFS files, git blob
 * SHA-1 otherwise), following the tree API's `Link: rel="next"` pages. The listing is checked as a
 * whole: every entry a well-formed file or directory, no path twice, no page read twice, at most
 * 1,000 pages, every page on the endpoint's origin; a listing that fails these is HUB_BAD_RESPONSE
 * (retryable: a damaged answer may come right when fetched again). Unsafe paths are UNSAFE_PATH.
 */
export async function listRepoFiles(context: HubContext, repo: string, commit: string): Promise<RepoFile[]> {
  checkRepoId(repo);
  if (!isCommitSha(commit)) throw new HubError('REVISION_NOT_FOUND', `Expected a commit sha, got ${JSON.stringify(commit)}`);
  const hubFetch = createHubFetch(context);
  const origin = new URL(context.endpoint).origin;
  const bad = (message: string, details: Record<string, string | number> = {}): HubError =>
    new HubError('HUB_BAD_RESPONSE', `The listing of ${repo}@${commit.slice(0, 12)} ${message}`, { details: { repo, ...details } });
  const files = new Map<string, RepoFile>();
  const read = new Set<string>();
  let url: string | undefined = `${context.endpoint}/api/models/${repo}/tree/${commit}?recursive=true&expand=false`;
  while (url !== undefined) {
    if (read.has(url)) throw bad('links back to a page it already gave', { url });
    if (read.size >= MAX_PAGES) throw bad(`has more than ${MAX_PAGES} pages`, { url });
    if (new URL(url).origin !== origin) throw bad(`links to a page on another origin (${new URL(url).origin})`, { url });
    read.add(url);
    const response: Response = await hubFetch(url, { headers: { Accept: 'application/json' } });
    const entries: unknown = await response.json();
    if (!Array.isArray(entries)) throw bad('is not a list of entries', { url });
    for (const entry of entries as TreeEntry[]) {
      const file = fileOf(entry, bad);
      if (file === undefined) continue;
      if (files.has(file.path)) throw bad(`lists ${file.path} twice`, { path: file.path });
      files.set(file.path, file);
    }
    url = parseLinkHeader(response.headers.get('Link') ?? '', url).next;
  }
  return [...files.values()];
}

/** The file an entry describes, undefined for a directory; a malformed entry is HUB_BAD_RESPONSE, an unsafe path UNSAFE_PATH. */
function fileOf(entry: TreeEntry, bad: (message: string, details?: Record<string, string>) => HubError): RepoFile | undefined {
  if (typeof entry !== 'object' || entry === null || typeof entry.path !== 'string') throw bad('has an entry without a path');
  const { path } = entry;
  if (entry.type === 'directory') return undefined;
  if (entry.type !== 'file') throw bad(`has an entry of unknown type ${JSON.stringify(entry.type)}`, { path });
  checkRepoPath(path);
  const lfs = entry.lfs !== undefined;
  const size = lfs ? entry.lfs?.size : entry.size;
  const value = lfs ? entry.lfs?.oid : entry.oid;
  const algorithm = lfs ? 'sha256' : 'git-sha1';
  if (typeof value !== 'string' || !HEX[algorithm].test(value) || typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) {
    throw bad(`lists ${path} without a usable hash or size`, { path });
  }
  return { path, size, hash: { algorithm, value }, lfs };
}
