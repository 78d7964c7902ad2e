import { withTotals, type Counts, type TestOutcome } from './project-counts.ts';

const RANK: Record<TestOutcome['state'], number> = { skipped: 0, passed: 1, failed: 2 };

/**
 * One project's counts across a run a browser crash cut short (`first`) and the run that repeated
 * it (`second`). Each test counts once, with its worst outcome (failed, then passed, then skipped),
 * so a failure in either run stays a failure and a test that passed in both is one pass; a test that
 * needed its retry in either run stays flaky. The first run's outcomes in the files it crashed in
 * are dropped: the crash, kept in `crashes`, stands for them. Errors outside tests add up.
 */
export function mergeRuns(first: Counts | undefined, second: Counts | undefined): Counts | undefined {
  if (first === undefined || second === undefined) return second ?? first;
  const crashed = new Set(first.crashes);
  const merged = new Map<string, TestOutcome>();
  for (const test of [...first.tests.filter((test) => !crashed.has(test.file)), ...second.tests]) {
    const key = `${test.file}\0${test.name}`;
    const seen = merged.get(key);
    if (seen === undefined) {
      merged.set(key, test);
      continue;
    }
    const worse = RANK[test.state] > RANK[seen.state] ? test : seen;
    merged.set(key, seen.flaky || test.flaky ? { ...worse, flaky: true } : worse);
  }
  return withTotals({
    tests: [...merged.values()],
    unhandled: first.unhandled + second.unhandled,
    crashes: [...new Set([...first.crashes, ...second.crashes])],
  });
}
