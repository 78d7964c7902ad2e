// Runs the browser suite engine by engine (both projects of an engine at once: two browsers fit
// this 2-core machine, six do not), going on after a failure so every engine reports. A run that a
// browser crash cut short (its page went away mid-file, leaving the rest of the engine's files
// unrun) runs once more, and each project's counts are the two runs merged (see mergeRuns): a
// failure in the first run stays one, and the crash stays in the counts, where CI's summary fails it
// unless it is quarantined. Exits 1 when a test failed in either run; crashes and tests that passed
// only on their retry are for the summary to judge, as vitest leaves them to it.
// Usage: tsx test/browsers/run-suites.ts [engine-or-project...]   e.g. `firefox`, `webkit-private`.
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { mergeRuns } from '../report/merge-runs.ts';
import { COUNTS_DIR, type Counts } from '../report/project-counts.ts';

const ENGINES = [
  ['chromium', 'chromium-idb'],
  ['firefox', 'firefox-idb'],
  ['webkit', 'webkit-private'],
];

const countsOf = (project: string): Counts | undefined => {
  try {
    return JSON.parse(readFileSync(`${COUNTS_DIR}/${project}.json`, 'utf8')) as Counts;
  } catch {
    return undefined;
  }
};

const run = (projects: string[]): number | null =>
  spawnSync('npx', ['vitest', 'run', ...projects.flatMap((project) => ['--project', project])], { stdio: 'inherit' }).status;

const wanted = process.argv.slice(2);
let failed = false;
for (const projects of ENGINES) {
  const chosen = projects.filter(
    (project) => wanted.length === 0 || wanted.some((name) => project === name || project.startsWith(`${name}-`)),
  );
  if (chosen.length === 0) continue;
  let status = run(chosen);
  const first = new Map(chosen.map((project) => [project, countsOf(project)]));
  const crashes = status === 0 ? [] : [...new Set(chosen.flatMap((project) => first.get(project)?.crashes ?? []))];
  if (crashes.length > 0) {
    console.error(`\nThe browser went away while running ${crashes.join(', ')}: running ${chosen.join(' and ')} once more.\n`);
    // A project the second run writes no counts for must not find the first run's file and count it twice.
    for (const project of chosen) rmSync(`${COUNTS_DIR}/${project}.json`, { force: true });
    status = run(chosen);
    for (const project of chosen) {
      const counts = mergeRuns(first.get(project), countsOf(project));
      if (counts === undefined) continue;
      writeFileSync(`${COUNTS_DIR}/${project}.json`, JSON.stringify(counts));
      // The second run's exit status does not know the first run's failures.
      if (counts.failed > 0) status = 1;
    }
  }
  if (status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
