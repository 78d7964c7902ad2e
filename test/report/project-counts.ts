import { mkdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** Where each vitest project's counts go; `.ci/summary.mjs` reads them. */
export const COUNTS_DIR = 'test-results/counts';

/** One test's outcome in a run: `flaky` when it failed first and passed only on its retry. */
export interface TestOutcome {
  file: string;
  name: string;
  state: 'passed' | 'failed' | 'skipped';
  /** The first line of the error, for a failed test (for a flaky one: of its failed run). */
  error?: string;
  flaky?: true;
}

/** What `test-results/counts/<project>.json` holds. */
export interface Counts {
  /** Totals of `tests`; `failed` includes `unhandled`. For people reading the file; the summary counts `tests`. */
  passed: number;
  failed: number;
  skipped: number;
  tests: TestOutcome[];
  /** Errors outside any test (an unhandled rejection), charged to every project of the run. */
  unhandled: number;
  /** Files during which the browser went away (its page crashed), cutting the run short. */
  crashes: string[];
}

/** Totals of a run's outcomes. */
export function withTotals(counts: Omit<Counts, 'passed' | 'failed' | 'skipped'>): Counts {
  const of = (state: TestOutcome['state']) => counts.tests.filter((test) => test.state === state).length;
  return { passed: of('passed'), failed: of('failed') + counts.unhandled, skipped: of('skipped'), ...counts };
}

/**
 * A vitest reporter that writes `test-results/counts/<project>.json` (each test's outcome, errors
 * outside tests and the files during which the browser went away) for every project of the run,
 * so the closing lines of CI can count tests per engine and name what failed or needed its retry.
 */
export default class ProjectCounts implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const tests = new Map<string, TestOutcome[]>();
    for (const module of testModules) {
      // Browser projects are named "<project> (<browser>)".
      const project = module.project.name.replace(/ \(.*\)$/, '');
      const outcomes = tests.get(project) ?? [];
      tests.set(project, outcomes);
      const file = module.relativeModuleId;
      // A file that failed to load has no tests: count it as one failure.
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0)
        outcomes.push({ file, name: 'did not load', state: 'failed', error: module.errors()[0]?.message.split('\n')[0] ?? 'failed' });
      for (const test of module.children.allTests()) {
        const result = test.result();
        const state = result.state === 'passed' || result.state === 'failed' ? result.state : 'skipped';
        const outcome: TestOutcome = { file, name: test.fullName, state };
        if (state === 'failed') outcome.error = result.errors?.[0]?.message.split('\n')[0] ?? 'failed';
        if (state === 'passed' && test.diagnostic()?.flaky === true) {
          outcome.flaky = true;
          // vitest keeps the failed run's errors on a test that passed on its retry: CI says why it failed.
          const first = result.errors?.[0]?.message.split('\n')[0];
          if (first !== undefined) outcome.error = first;
        }
        outcomes.push(outcome);
      }
    }
    // A browser that went away mid-file (its page crashed) ends the run early: say which file, so the run can be repeated once.
    const crashes = unhandledErrors.flatMap((error) => {
      const { message = '', cause } = error as { message?: string; cause?: { message?: string } };
      const file = /^Failed to run the test (.+?)\.?$/.exec(message)?.[1];
      return file !== undefined && /Browser connection was closed/.test(cause?.message ?? '') ? [relative(process.cwd(), file)] : [];
    });
    mkdirSync(COUNTS_DIR, { recursive: true });
    for (const [project, outcomes] of tests) {
      // Errors outside any test fail the run: charge them to every project of it (a crash is reported as such instead).
      const counts = withTotals({ tests: outcomes, unhandled: unhandledErrors.length - crashes.length, crashes });
      writeFileSync(`${COUNTS_DIR}/${project}.json`, JSON.stringify(counts));
    }
  }
}
