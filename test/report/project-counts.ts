import { mkdirSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/** Where each vitest project's counts go; `.ci/summary.mjs` reads them. */
export const COUNTS_DIR = 'test-results/counts';

/**
 * A vitest reporter that writes `test-results/counts/<project>.json` (passed, failed, skipped, and
 * the names of failed tests, of tests that passed only on a retry and of files during which the
 * browser went away) for every project of the run,
 * so the closing lines of CI can count tests per engine and name what failed or flaked.
 */
export default class ProjectCounts implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const counts = new Map<string, { passed: number; failed: number; skipped: number; failures: string[]; flaky: string[] }>();
    for (const module of testModules) {
      // Browser projects are named "<project> (<browser>)".
      const project = module.project.name.replace(/ \(.*\)$/, '');
      const count = counts.get(project) ?? { passed: 0, failed: 0, skipped: 0, failures: [], flaky: [] };
      counts.set(project, count);
      // A file that failed to load has no tests: count it as one failure.
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) {
        count.failed++;
        count.failures.push(`${module.relativeModuleId}: did not load`);
      }
      for (const test of module.children.allTests()) {
        const result = test.result();
        const name = `${module.relativeModuleId} > ${test.fullName}`;
        if (result.state === 'passed') count.passed++;
        else if (result.state === 'failed') count.failed++;
        else count.skipped++;
        if (result.state === 'failed') count.failures.push(`${name}: ${result.errors?.[0]?.message.split('\n')[0] ?? 'failed'}`);
        if (result.state === 'passed' && test.diagnostic()?.flaky === true) count.flaky.push(name);
      }
    }
    // A browser that went away mid-file (its page crashed) ends the run early: say which file, so the run can be repeated once.
    const crashes = unhandledErrors.flatMap((error) => {
      const { message = '', cause } = error as { message?: string; cause?: { message?: string } };
      const file = /^Failed to run the test (.+?)\.?$/.exec(message)?.[1];
      return file !== undefined && /Browser connection was closed/.test(cause?.message ?? '') ? [relative(process.cwd(), file)] : [];
    });
    mkdirSync(COUNTS_DIR, { recursive: true });
    for (const [project, count] of counts) {
      // Errors outside any test (an unhandled rejection) fail the run: charge them to every project of it.
      writeFileSync(`${COUNTS_DIR}/${project}.json`, JSON.stringify({ ...count, failed: count.failed + unhandledErrors.length, crashes }));
    }
  }
}
