// Prints a line for each test that failed or passed only on its retry, each crash and each
// quarantined one, then one closing line: totals, then counts per engine (node, chromium, firefox,
// webkit), from the per-project vitest counts (test-results/counts/*.json), the Playwright JSON
// report and the quarantine (.ci/quarantine.json). Exits 1 where CI fails; the rules are in summarize.mjs.
import { readdirSync, readFileSync } from 'node:fs';
import { playwrightResults, readQuarantine, summarize, vitestResults } from './summarize.mjs';

const text = (path) => {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
};
const json = (path) => {
  try {
    return JSON.parse(text(path));
  } catch {
    return undefined;
  }
};

let files = [];
try {
  files = readdirSync('test-results/counts').filter((name) => name.endsWith('.json'));
} catch {
  // No counts written: every engine reports that it ran nothing.
}
const results = [
  ...files.flatMap((name) => vitestResults(name.replace(/\.json$/, ''), json(`test-results/counts/${name}`))),
  ...playwrightResults(json('test-results/playwright.json')),
];
const quarantine = readQuarantine(text('.ci/quarantine.json'), new Date().toISOString().slice(0, 10));
const { lines, closing, ok } = summarize(results, quarantine);
for (const line of lines) console.log(line);
console.log(closing);
process.exit(ok ? 0 : 1);
