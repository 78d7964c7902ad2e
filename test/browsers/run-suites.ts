// Runs the browser suite engine by engine (both projects of an engine at once: two browsers fit
// this 2-core machine, six do not), going on after a failure so every engine reports.
// Usage: tsx test/browsers/run-suites.ts [engine-or-project...]   e.g. `firefox`, `webkit-private`.
import { spawnSync } from 'node:child_process';

const ENGINES = [
  ['chromium', 'chromium-idb'],
  ['firefox', 'firefox-idb'],
  ['webkit', 'webkit-private'],
];

const wanted = process.argv.slice(2);
let failed = false;
for (const projects of ENGINES) {
  const chosen = projects.filter(
    (project) => wanted.length === 0 || wanted.some((name) => project === name || project.startsWith(`${name}-`)),
  );
  if (chosen.length === 0) continue;
  const run = spawnSync('npx', ['vitest', 'run', ...chosen.flatMap((project) => ['--project', project])], { stdio: 'inherit' });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
