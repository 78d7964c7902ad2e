import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DownloadProgress } from './job-progress.ts';
import { ProgressReporter } from './progress-reporter.ts';

describe('ProgressReporter', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] }));
  afterEach(() => vi.useRealTimers());

  const progress = { repo: 'r', revision: 'main', loaded: 1, total: 2, state: 'downloading' } as DownloadProgress;

  it('emits at most every 100 ms, posts to other tabs at most once a second, and a state change at once', () => {
    const emitted: number[] = [];
    const posted: number[] = [];
    const reporter = new ProgressReporter(
      () => progress,
      () => emitted.push(performance.now()),
    );
    reporter.post = () => posted.push(performance.now());
    reporter.report(true);
    for (let ms = 0; ms < 3000; ms += 10) {
      vi.advanceTimersByTime(10);
      reporter.report(false);
    }
    // ~30 emits in 3 s (one per 100 ms), ~4 posts (the first, then one a second).
    expect(emitted.length).toBeGreaterThanOrEqual(29);
    expect(emitted.length).toBeLessThanOrEqual(31);
    expect(posted.length).toBeLessThanOrEqual(4);
    expect(posted.length).toBeGreaterThanOrEqual(3);
    const before = posted.length;
    reporter.report(true);
    expect(posted.length).toBe(before + 1);
    reporter.stop();
  });

  it('a report left pending is dropped by stop()', () => {
    let emitted = 0;
    const reporter = new ProgressReporter(
      () => progress,
      () => emitted++,
    );
    reporter.report(true);
    reporter.report(false);
    reporter.stop();
    vi.advanceTimersByTime(1000);
    expect(emitted).toBe(1);
  });
});
