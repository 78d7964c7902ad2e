import { describe, expect, it } from 'vitest';
import { parseLinkHeader } from './parse-link-header.ts';

const BASE = 'https://hub.example/api/models/o/n/tree/abc?recursive=true';

describe('parseLinkHeader', () => {
  it('reads the form the Hub sends', () => {
    expect(parseLinkHeader('<https://hub.example/api/x?cursor=Y>; rel="next"', BASE)).toEqual({
      next: 'https://hub.example/api/x?cursor=Y',
    });
  });
  it('reads space-less and unquoted parameters, and several links and relations', () => {
    expect(parseLinkHeader('<https://a.example/2>;rel=next', BASE)).toEqual({ next: 'https://a.example/2' });
    expect(parseLinkHeader('<https://a.example/1>; rel="prev first", <https://a.example/3> ; title="x;y" ; rel = next', BASE)).toEqual({
      prev: 'https://a.example/1',
      first: 'https://a.example/1',
      next: 'https://a.example/3',
    });
  });
  it('resolves relative references against the request URL', () => {
    expect(parseLinkHeader('<abc?cursor=Q>; rel="next"', BASE)).toEqual({ next: 'https://hub.example/api/models/o/n/tree/abc?cursor=Q' });
    expect(parseLinkHeader('</api/models/o/n/tree/abc?cursor=Q>; rel="next"', BASE)).toEqual({
      next: 'https://hub.example/api/models/o/n/tree/abc?cursor=Q',
    });
  });
  it('gives nothing for an empty or foreign header', () => {
    expect(parseLinkHeader('', BASE)).toEqual({});
    expect(parseLinkHeader('garbage', BASE)).toEqual({});
  });
});
