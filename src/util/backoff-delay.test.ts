import { describe, expect, it } from 'vitest';
import { HubError } from '../errors/index.ts';
import { backoffDelay, parseRetryAfter, retryWait } from './backoff-delay.ts';

describe('backoffDelay', () => {
  it('doubles from the base with jitter between 50% and 100%', () => {
    expect(backoffDelay(1, 1000, undefined, () => 0)).toBe(500);
    expect(backoffDelay(1, 1000, undefined, () => 1)).toBe(1000);
    expect(backoffDelay(3, 1000, undefined, () => 1)).toBe(4000);
  });
  it('caps at 30 s', () => expect(backoffDelay(20, 1000, undefined, () => 1)).toBe(30_000));
  it('lets a longer Retry-After win, not a shorter one', () => {
    expect(backoffDelay(1, 1000, 5000, () => 1)).toBe(5000);
    expect(backoffDelay(3, 1000, 10, () => 1)).toBe(4000);
  });
});

describe('parseRetryAfter', () => {
  it('reads delta seconds and HTTP dates', () => {
    expect(parseRetryAfter('7')).toBe(7000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
  });
  it('ignores garbage', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('retryWait', () => {
  const policy = { baseDelay: 1000, retryAfterMax: 60_000 };
  it('waits a Retry-After up to retryAfterMax', () => {
    expect(retryWait(new HubError('RATE_LIMITED', 'slow down', { details: { retryAfterMs: 45_000 } }), 1, policy)).toBe(45_000);
  });
  it('gives the same kind of error instead of waiting longer than retryAfterMax', () => {
    const wait = retryWait(new HubError('RATE_LIMITED', 'slow down', { details: { retryAfterMs: 3_600_000 } }), 1, policy);
    expect(wait).toBeInstanceOf(HubError);
    expect(wait).toMatchObject({
      code: 'RATE_LIMITED',
      message: 'slow down (the server asked to wait 3600 s, more than download.retryAfterMax (60 s))',
      details: { retryAfterMs: 3_600_000, retryAfterMaxMs: 60_000 },
    });
  });
});
