// Runs the browser suite engine by engine (both projects of an engine at once: two browsers fit
// this 2-core machine, six do not), going on after a failure so every engine reports. A run that a
// browser crash cut short (its page went away mid-file, leaving the rest of the engine's files
// unrun) runs once more; the crash stays in the counts, and CI's summary names it.
// Usage: tsx test/browsers/run-suites.ts [engine-or-project...]   e.g. `firefox`, `webkit-private`.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { COUNTS_DIR } from '../report/project-counts.ts';

const ENGINES = [
  ['chromium', 'chromium-idb'],
  ['firefox', 'firefox-idb'],
  ['webkit', 'webkit-private'],
];

interface Counts {
  flaky?: string[];
  crashes?: string[];
}

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
  const crashes = status === 0 ? [] : [...new Set(chosen.flatMap((project) => countsOf(project)?.crashes ?? []))];
  if (crashes.length > 0) {
    console.error(`\nThe browser went away while running ${crashes.join(', ')}: running ${chosen.join(' and ')} once more.\n`);
    status = run(chosen);
    for (const project of chosen) {
      const counts = countsOf(project);
      if (counts === undefined) continue;
      counts.flaky = [
        ...(counts.flaky ?? []),
        ...crashes.map((file) => `${file}: the browser crashed during this file; the suite ran again`),
      ];
      writeFileSync(`${COUNTS_DIR}/${project}.json`, JSON.stringify(counts));
    }
  }
  if (status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
