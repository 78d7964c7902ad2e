import { HubError } from '../../src/errors/index.ts';
import { authHeaders, type HubContext } from '../../src/hub/index.ts';

const MAX_REDIRECTS = 10;

/** An answer after its redirects, and whether the token went to the server that gave it. */
export interface FollowedResponse {
  response: Response;
  sentToken: boolean;
}

/**
 * GET `url` with `headers`, following redirects one hop at a time so that the token goes only where
 * the library's rule (`authHeaders`) allows: the endpoint's origin, never the CDN an LFS file
 * redirects to. At most 10 hops (HUB_BAD_RESPONSE beyond).
 */
export async function fetchFollowing(
  context: Pick<HubContext, 'endpoint' | 'accessToken'>,
  url: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<FollowedResponse> {
  let current = new URL(url);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    const auth = authHeaders(context, current);
    const response = await fetch(current, { headers: { ...headers, ...auth }, redirect: 'manual', signal });
    const location = response.headers.get('Location');
    if (response.status < 300 || response.status >= 400 || location === null) return { response, sentToken: 'Authorization' in auth };
    void response.body?.cancel().catch(() => {});
    current = new URL(location, current);
  }
  throw new HubError('HUB_BAD_RESPONSE', `${url}: more than ${MAX_REDIRECTS} redirects`, { details: { url } });
}
