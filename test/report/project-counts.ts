import { mkdirSync, writeFileSync } from 'node:fs';
import type { Reporter, TestModule } from 'vitest/node';

/** Where each vitest project's counts go; `.ci/summary.mjs` reads them. */
export const COUNTS_DIR = 'test-results/counts';

/**
 * A vitest reporter that writes `test-results/counts/<project>.json` (passed, failed, skipped) for
 * every project of the run, so the closing line of CI can count tests per engine.
 */
export default class ProjectCounts implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    const counts = new Map<string, { passed: number; failed: number; skipped: number }>();
    for (const module of testModules) {
      // Browser projects are named "<project> (<browser>)".
      const project = module.project.name.replace(/ \(.*\)$/, '');
      const count = counts.get(project) ?? { passed: 0, failed: 0, skipped: 0 };
      counts.set(project, count);
      // A file that failed to load has no tests: count it as one failure.
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) count.failed++;
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') count.passed++;
        else if (state === 'failed') count.failed++;
        else count.skipped++;
      }
    }
    mkdirSync(COUNTS_DIR, { recursive: true });
    for (const [project, count] of counts) {
      // Errors outside any test (an unhandled rejection) fail the run: charge them to every project of it.
      writeFileSync(`${COUNTS_DIR}/${project}.json`, JSON.stringify({ ...count, failed: count.failed + unhandledErrors.length }));
    }
  }
}
