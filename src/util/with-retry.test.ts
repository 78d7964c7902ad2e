import { describe, expect, it } from 'vitest';
import { AbortError, DownloadError, HubError } from '../errors/index.ts';
import { withRetry } from './with-retry.ts';

const policy = { retries: 2, baseDelay: 1, retryAfterMax: 60_000 };
const failing = (code: 'NETWORK' | 'TIMEOUT' = 'NETWORK') => new DownloadError(code, 'x');

describe('withRetry', () => {
  it('retries a retryable error `retries` times, then throws it; a non-retryable one at once', async () => {
    let calls = 0;
    await expect(withRetry(async () => (calls++, Promise.reject(failing())), policy)).rejects.toMatchObject({ code: 'NETWORK' });
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRetry(async () => (calls++, Promise.reject(new HubError('REPO_NOT_FOUND', 'x'))), policy)).rejects.toMatchObject({
      code: 'REPO_NOT_FOUND',
    });
    expect(calls).toBe(1);
  });

  it('an attempt that made progress does not use up a retry', async () => {
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 6) throw failing();
        return 'done';
      },
      { ...policy, progressed: () => calls <= 4 },
    );
    expect(result).toBe('done');
    expect(calls).toBe(6);
  });

  it('a pause is waited out and not counted; the slot is let go meanwhile and taken again', async () => {
    const events: string[] = [];
    let calls = 0;
    await withRetry(
      async () => {
        calls++;
        events.push('attempt');
        if (calls <= 3) throw new AbortError('paused', { details: { reason: 'pause' } });
      },
      {
        ...policy,
        retries: 0,
        acquire: async () => (events.push('take'), () => events.push('let go')),
        paused: (error) => (error.details.reason === 'pause' ? Promise.resolve() : undefined),
      },
    );
    expect(calls).toBe(4);
    expect(events.slice(0, 4)).toEqual(['take', 'attempt', 'let go', 'take']);
    expect(events.filter((event) => event === 'take').length).toBe(events.filter((event) => event === 'let go').length);
  });

  it('a budget carries failures across calls', async () => {
    const budget = { failures: 0, spentMs: 0 };
    await expect(withRetry(() => Promise.reject(failing()), { ...policy, budget })).rejects.toBeTruthy();
    expect(budget.failures).toBe(2);
    let calls = 0;
    await expect(withRetry(async () => (calls++, Promise.reject(failing())), { ...policy, budget })).rejects.toBeTruthy();
    expect(calls).toBe(1);
  });

  it('the timeout bounds attempts and waits together and names the last error', async () => {
    const started = performance.now();
    const error = await withRetry(() => Promise.reject(failing()), {
      ...policy,
      retries: 100,
      baseDelay: 20,
      timeout: { ms: 100, error: (last) => new DownloadError('TIMEOUT', 'too long', { cause: last }) },
    }).catch((thrown: unknown) => thrown as DownloadError);
    expect(error.code).toBe('TIMEOUT');
    expect((error.cause as DownloadError).code).toBe('NETWORK');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('beforeRetry runs before each wait and may stop the retries', async () => {
    let calls = 0;
    const seen: number[] = [];
    await expect(
      withRetry(async () => (calls++, Promise.reject(failing())), {
        ...policy,
        retries: 5,
        beforeRetry: async () => {
          seen.push(calls);
          if (calls === 2) throw new HubError('HUB_BAD_RESPONSE', 'listing changed');
        },
      }),
    ).rejects.toMatchObject({ code: 'HUB_BAD_RESPONSE' });
    expect(seen).toEqual([1, 2]);
  });
});
