import { describe, expect, it } from 'vitest';
import { summarize, vitestResults } from '../../.ci/summarize.mjs';
import { mergeRuns } from './merge-runs.ts';
import { withTotals, type TestOutcome } from './project-counts.ts';

const run = (tests: TestOutcome[], crashes: string[] = [], unhandled = 0) => withTotals({ tests, unhandled, crashes });

describe('merging a run a crash cut short with its rerun', () => {
  const first = run(
    [
      { file: 'a.browser.test.ts', name: 'fails once', state: 'failed', error: 'boom' },
      { file: 'a.browser.test.ts', name: 'passes', state: 'passed' },
      { file: 'a.browser.test.ts', name: 'needed a retry', state: 'passed', flaky: true },
      { file: 'b.browser.test.ts', name: 'cut short by the crash', state: 'failed', error: 'Browser connection was closed' },
    ],
    ['b.browser.test.ts'],
    1,
  );
  const second = run([
    { file: 'a.browser.test.ts', name: 'fails once', state: 'passed' },
    { file: 'a.browser.test.ts', name: 'passes', state: 'passed' },
    { file: 'a.browser.test.ts', name: 'needed a retry', state: 'passed' },
    { file: 'b.browser.test.ts', name: 'cut short by the crash', state: 'passed' },
    { file: 'c.browser.test.ts', name: 'never reached', state: 'passed' },
  ]);

  it('keeps the first run’s failures and flakes, counts each test once, and keeps the crash', () => {
    const merged = mergeRuns(first, second)!;
    expect(merged).toMatchObject({ passed: 4, failed: 2, skipped: 0, unhandled: 1, crashes: ['b.browser.test.ts'] });
    expect(merged.tests).toEqual([
      { file: 'a.browser.test.ts', name: 'fails once', state: 'failed', error: 'boom' },
      { file: 'a.browser.test.ts', name: 'passes', state: 'passed' },
      { file: 'a.browser.test.ts', name: 'needed a retry', state: 'passed', flaky: true },
      { file: 'b.browser.test.ts', name: 'cut short by the crash', state: 'passed' },
      { file: 'c.browser.test.ts', name: 'never reached', state: 'passed' },
    ]);
  });

  it('the summary fails the merged run and names the first run’s failure, the flake and the crash', () => {
    const others = ['node', 'firefox', 'webkit'].map((project) => ({ project, name: 'ok', state: 'passed' as const }));
    const { lines, ok } = summarize([...others, ...vitestResults('chromium', mergeRuns(first, second))]);
    expect(ok).toBe(false);
    expect(lines).toEqual([
      'FAILED chromium: a.browser.test.ts > fails once: boom',
      'FAILED chromium: a.browser.test.ts > needed a retry (first run failed, passed on retry)',
      'FAILED chromium: outside any test: 1 unhandled error(s)',
      'FAILED chromium: browser crash during b.browser.test.ts (the engine ran again)',
    ]);
  });

  it('a failure in the rerun wins over a pass in the first run; a missing side leaves the other', () => {
    const passed = run([{ file: 'a', name: 't', state: 'passed' }]);
    const failed = run([{ file: 'a', name: 't', state: 'failed', error: 'late' }]);
    expect(mergeRuns(passed, failed)!.tests).toEqual([{ file: 'a', name: 't', state: 'failed', error: 'late' }]);
    expect(mergeRuns(undefined, failed)).toBe(failed);
    expect(mergeRuns(passed, undefined)).toBe(passed);
  });
});
