import { describe, expect, it } from 'vitest';
import { playwrightResults, readQuarantine, summarize, vitestResults, type Result } from '../../.ci/summarize.mjs';
import { withTotals, type TestOutcome } from './project-counts.ts';

const TODAY = '2026-12-07';
const FLAKY = 'src/download/hub-waits.browser.test.ts > download.timeout is wall-clock per file, waits between retries included';

/** One passing test in every engine, so no engine reports that it ran nothing. */
const everyEngine: Result[] = ['node', 'chromium', 'firefox', 'webkit'].map((project) => ({ project, name: 'ok', state: 'passed' }));

const counts = (tests: TestOutcome[], crashes: string[] = []) => withTotals({ tests, unhandled: 0, crashes });
const entry = (fields: Record<string, unknown> = {}) =>
  JSON.stringify({
    entries: [
      {
        project: 'firefox',
        test: FLAKY,
        evidence: 'https://bugzilla.mozilla.org/show_bug.cgi?id=1 timers throttled in a background tab',
        until: '2026-12-31',
        ...fields,
      },
    ],
  });

describe('CI summary', () => {
  it('a test that passed only on its retry fails CI and counts as failed when it is not quarantined', () => {
    const results = vitestResults(
      'firefox',
      counts([{ file: 'src/download/hub-waits.browser.test.ts', name: FLAKY.split(' > ')[1]!, state: 'passed', flaky: true }]),
    );
    const { lines, closing, ok } = summarize([...everyEngine, ...results], readQuarantine(entry({ project: 'chromium' }), TODAY));
    expect(ok).toBe(false);
    expect(lines).toContain(`FAILED firefox: ${FLAKY} (first run failed, passed on retry)`);
    expect(closing).toMatch(/^4 passed, 1 failed, 0 skipped \| .*firefox 1 passed, 1 failed/);
  });

  it('a quarantined flaky test passes, printed as QUARANTINED with its evidence', () => {
    const results = vitestResults(
      'firefox',
      counts([{ file: 'src/download/hub-waits.browser.test.ts', name: FLAKY.split(' > ')[1]!, state: 'passed', flaky: true }]),
    );
    const { lines, closing, ok } = summarize(
      [...everyEngine, ...results],
      readQuarantine(entry({ test: 'src/download/hub-waits.browser.test.ts > *' }), TODAY),
    );
    expect(ok).toBe(true);
    expect(lines).toEqual([expect.stringMatching(/^QUARANTINED firefox: .* until 2026-12-31: https:\/\/bugzilla\.mozilla\.org\//)]);
    expect(closing).toMatch(/^5 passed, 0 failed, 0 skipped \| /);
  });

  it('a quarantine excuses a retry, never a test that failed', () => {
    const { lines, ok } = summarize(
      [...everyEngine, { project: 'firefox', name: FLAKY, state: 'failed', error: 'boom' }],
      readQuarantine(entry(), TODAY),
    );
    expect(ok).toBe(false);
    expect(lines).toContain(`FAILED firefox: ${FLAKY}: boom`);
  });

  it('an expired entry fails CI, with what to do, and no longer excuses the test', () => {
    const quarantine = readQuarantine(entry({ until: '2026-12-06' }), TODAY);
    expect(quarantine.problems).toEqual([expect.stringContaining('expired: "until" 2026-12-06 has passed (today is 2026-12-07)')]);
    const { lines, closing, ok } = summarize([...everyEngine, { project: 'firefox', name: FLAKY, state: 'flaky' }], quarantine);
    expect(ok).toBe(false);
    expect(lines).toContain(`FAILED firefox: ${FLAKY} (first run failed, passed on retry)`);
    expect(closing).toMatch(/^4 passed, 2 failed, 0 skipped \| .* \| 1 quarantine problem\(s\)$/);
  });

  it('the entry holds through its until day', () => {
    expect(readQuarantine(entry({ until: TODAY }), TODAY).problems).toEqual([]);
  });

  it.for([
    ['not JSON', '{', /is not JSON/],
    ['no entries array', '[]', /must be an object with an "entries" array/],
    ['no evidence', entry({ evidence: 'flaky' }), /"evidence" must give an engine bug/],
    ['a pattern of only *', entry({ test: '*' }), /"test" must name it/],
    ['no project', entry({ project: undefined }), /"project" must name it/],
    ['a day that is not one', entry({ until: '2026-02-30' }), /"until" must be a day as YYYY-MM-DD/],
    ['a date too far ahead', entry({ until: '2099-01-01' }), /more than 90 days ahead/],
    ['a misspelt field', entry({ untill: '2026-12-31' }), /unknown field "untill"/],
  ] as const)('a quarantine file with %s fails CI', ([, text, problem]) => {
    const quarantine = readQuarantine(text, TODAY);
    expect(quarantine.problems).toEqual([expect.stringMatching(problem)]);
    expect(summarize(everyEngine, quarantine).ok).toBe(false);
  });

  it('no quarantine file, or an empty one, quarantines nothing and passes a clean run', () => {
    for (const text of [undefined, '{"entries":[]}'])
      expect(summarize(everyEngine, readQuarantine(text, TODAY))).toMatchObject({ ok: true, lines: [] });
  });

  it('an engine that ran no test fails CI', () => {
    const { closing, ok } = summarize(everyEngine.filter((result) => result.project !== 'webkit'));
    expect(ok).toBe(false);
    expect(closing).toBe(
      '3 passed, 0 failed, 0 skipped | node 1 passed | chromium 1 passed | firefox 1 passed | webkit 0 passed | NO TESTS RAN in webkit',
    );
  });

  it('a crash fails CI once per engine unless quarantined; an unreadable counts file fails', () => {
    const crashed = counts([{ file: 'a.browser.test.ts', name: 't', state: 'passed' }], ['src/big.browser.test.ts']);
    const results = [...everyEngine, ...vitestResults('webkit', crashed), ...vitestResults('webkit-private', crashed)];
    const plain = summarize(results);
    expect(plain.ok).toBe(false);
    expect(plain.lines).toEqual(['FAILED webkit: browser crash during src/big.browser.test.ts (the engine ran again)']);
    const excused = summarize(
      results,
      readQuarantine(entry({ project: 'webkit', test: 'browser crash during src/big.browser.test.ts' }), TODAY),
    );
    expect(excused.ok).toBe(true);
    expect(summarize([...everyEngine, ...vitestResults('firefox', undefined)]).ok).toBe(false);
  });

  it('reads Playwright: flaky fails unless quarantined, failed fails with its first error line', () => {
    const report = {
      suites: [
        {
          specs: [
            { file: 'pwa.spec.ts', title: 'works offline', tests: [{ projectName: 'chromium', status: 'flaky', results: [] }] },
            {
              file: 'pwa.spec.ts',
              title: 'records',
              tests: [
                {
                  projectName: 'firefox',
                  status: 'unexpected',
                  results: [{ error: { message: '\u001b[31mExpected 1\u001b[0m\nReceived 2' } }],
                },
              ],
            },
          ],
        },
      ],
    };
    expect(playwrightResults(report)).toEqual([
      { project: 'chromium', name: 'e2e pwa.spec.ts > works offline', state: 'flaky', error: undefined },
      { project: 'firefox', name: 'e2e pwa.spec.ts > records', state: 'failed', error: 'Expected 1' },
    ]);
    const { lines } = summarize([...everyEngine, ...playwrightResults(report)]);
    expect(lines).toEqual([
      'FAILED chromium: e2e pwa.spec.ts > works offline (first run failed, passed on retry)',
      'FAILED firefox: e2e pwa.spec.ts > records: Expected 1',
    ]);
  });
});
