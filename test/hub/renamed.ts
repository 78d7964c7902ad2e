import { sendHead, type Exchange } from './http';
import type { HubState } from './state';

/**
 * Answers a request for a renamed repo's former id as the live Hub does: a 307 to the same URL
 * with the current id (a relative Location). True when it answered.
 */
export function redirectRenamed(state: HubState, ex: Exchange, repoId: string): boolean {
  const current = state.renamed.get(repoId);
  if (current === undefined || state.repos.has(repoId)) return false;
  const [oldOrg, oldName] = repoId.split('/').map(encodeURIComponent);
  const [org, name] = current.split('/').map(encodeURIComponent);
  const location = ex.url.pathname.replace(`/${oldOrg}/${oldName}/`, `/${org}/${name}/`) + ex.url.search;
  sendHead(ex, 307, { Location: location, 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': 0 });
  ex.res.end();
  return true;
}
