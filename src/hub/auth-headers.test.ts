import { describe, expect, it } from 'vitest';
import { authHeaders } from './auth-headers.ts';

describe('authHeaders', () => {
  const context = { endpoint: 'https://hub.example/mirror', accessToken: 'hf_secret' };

  it("sends the token to the endpoint's origin, any path", () => {
    expect(authHeaders(context, 'https://hub.example/api/models/a/b')).toEqual({ Authorization: 'Bearer hf_secret' });
  });

  it('sends nothing to a CDN, another port or scheme, or a look-alike host', () => {
    for (const url of ['https://cdn.example/x', 'https://hub.example:8443/x', 'http://hub.example/x', 'https://hub.example.evil/x'])
      expect(authHeaders(context, url), url).toEqual({});
  });

  it('sends nothing without a token', () => {
    expect(authHeaders({ endpoint: context.endpoint, accessToken: undefined }, 'https://hub.example/x')).toEqual({});
  });
});
