import { HubError } from '../../src/errors/index.ts';
import { checkRepoId, checkRevision, createHubFetch, isCommitSha, type HubContext } from '../../src/hub/index.ts';

/** A repo's model info at a revision, as the Hub sent it, and the commit it names. */
export interface ModelInfo {
  commit: string;
  /** The whole JSON document: the mirror serves it as is at `revision/{ref}` and `revision/{commit}`. */
  info: Record<string, unknown>;
}

/**
 * One request, `GET {endpoint}/api/models/{repo}/revision/{revision}`, through the library's Hub fetch
 * (token to the endpoint only, stall and time limits, typed HubErrors). Like `resolveRevision` it checks
 * the names and the commit, but keeps the whole document, which the mirror must serve.
 */
export async function fetchModelInfo(context: HubContext, repo: string, revision: string): Promise<ModelInfo> {
  checkRepoId(repo);
  checkRevision(revision);
  const url = `${context.endpoint}/api/models/${repo}/revision/${encodeURIComponent(revision)}`;
  const response = await createHubFetch(context)(url, { headers: { Accept: 'application/json' } });
  const info: unknown = await response.json();
  const sha = typeof info === 'object' && info !== null ? (info as { sha?: unknown }).sha : undefined;
  if (typeof sha !== 'string' || !isCommitSha(sha)) {
    throw new HubError('HUB_BAD_RESPONSE', `The Hub gave no commit for ${repo}@${revision}`, { details: { repo, revision, url } });
  }
  return { commit: sha, info: info as Record<string, unknown> };
}
