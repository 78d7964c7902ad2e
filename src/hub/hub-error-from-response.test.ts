import { describe, expect, it } from 'vitest';
import { hubErrorFromResponse } from './hub-error-from-response.ts';

function reply(status: number, headers: Record<string, string> = {}, body = '{"error":"nope"}'): Response {
  return new Response(body, { status, headers: { 'Content-Type': 'application/json', ...headers } });
}

describe('hubErrorFromResponse', () => {
  it.each<[number, Record<string, string>, boolean, string]>([
    [404, { 'X-Error-Code': 'RepoNotFound' }, true, 'REPO_NOT_FOUND'],
    [404, { 'X-Error-Code': 'RevisionNotFound' }, false, 'REVISION_NOT_FOUND'],
    [404, { 'X-Error-Code': 'EntryNotFound' }, false, 'ENTRY_NOT_FOUND'],
    [401, { 'X-Error-Code': 'GatedRepo' }, false, 'GATED_REPO'],
    [403, { 'X-Error-Code': 'GatedRepo' }, true, 'GATED_REPO'],
    [401, {}, false, 'AUTH_REQUIRED'],
    [401, {}, true, 'AUTH_FORBIDDEN'],
    [403, {}, true, 'AUTH_FORBIDDEN'],
    [404, {}, false, 'ENTRY_NOT_FOUND'],
    [429, { 'Retry-After': '3' }, false, 'RATE_LIMITED'],
    [503, {}, false, 'HUB_UNAVAILABLE'],
    [408, {}, false, 'HUB_UNAVAILABLE'],
    [400, {}, false, 'HUB_BAD_RESPONSE'],
  ])('%d %j (token: %s) -> %s', async (status, headers, sentToken, code) => {
    const error = await hubErrorFromResponse(reply(status, headers), sentToken);
    expect(error.code).toBe(code);
    expect(error.details.status).toBe(status);
  });

  it('keeps Retry-After and the Hub message', async () => {
    const error = await hubErrorFromResponse(reply(429, { 'Retry-After': '3', 'X-Error-Message': 'slow down' }), false);
    expect(error.details.retryAfterMs).toBe(3000);
    expect(error.message).toContain('slow down');
    expect(error.retryable).toBe(true);
  });
});
