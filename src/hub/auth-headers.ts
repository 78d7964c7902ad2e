import type { HubContext } from './types.ts';

/**
 * The one rule for the token: `Authorization` goes to the endpoint's own origin only, never to the
 * CDN a file redirects to nor to any other host (a `Link` or redirect elsewhere gets nothing).
 */
export function authHeaders(context: Pick<HubContext, 'endpoint' | 'accessToken'>, url: string | URL): Record<string, string> {
  const sameOrigin = new URL(url).origin === new URL(context.endpoint).origin;
  return context.accessToken !== undefined && sameOrigin ? { Authorization: `Bearer ${context.accessToken}` } : {};
}
