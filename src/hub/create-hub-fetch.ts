import { HubError, isAbort, AbortError } from '../errors/index.ts';
import { hubErrorFromResponse } from './hub-error-from-response.ts';
import type { HubContext } from './types.ts';

/**
 * A `fetch` for Hub calls: adds `Authorization` only for URLs on the endpoint's origin, passes the
 * context's AbortSignal, and throws a typed HubError for non-2xx answers, network failures and
 * non-JSON answers to API calls (a captive portal's HTML page, say).
 */
export function createHubFetch(context: HubContext): typeof fetch {
  const origin = new URL(context.endpoint).origin;
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init.headers);
    const sendToken = context.accessToken !== undefined && url.origin === origin;
    if (sendToken) headers.set('Authorization', `Bearer ${context.accessToken}`);
    else headers.delete('Authorization');
    let response: Response;
    try {
      response = await fetch(url, { ...init, headers, signal: init.signal ?? context.signal ?? null });
    } catch (error) {
      if (isAbort(error)) throw new AbortError(undefined, { cause: error });
      throw new HubError('NETWORK', `Could not reach ${url.origin}: ${(error as Error).message}`, {
        cause: error,
        details: { url: url.href },
      });
    }
    if (!response.ok) throw await hubErrorFromResponse(response, sendToken);
    const type = response.headers.get('Content-Type') ?? '';
    if (url.pathname.startsWith('/api/') && !type.includes('json')) {
      throw new HubError('HUB_BAD_RESPONSE', `Expected JSON from ${url.href}, got "${type || 'no content type'}"`, {
        details: { url: url.href, status: response.status },
      });
    }
    return response;
  };
}
