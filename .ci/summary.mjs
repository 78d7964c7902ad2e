// Prints the tests that failed and those that passed only on a retry (one line each), then one
// closing line: totals, then counts per engine (node, chromium, firefox, webkit), from the
// per-project vitest counts (test-results/counts/*.json) and the Playwright JSON report. Fails when
// a test failed or when an engine ran no test at all (a browser that silently did not start).
import { readdirSync, readFileSync } from 'node:fs';

const ENGINES = ['node', 'chromium', 'firefox', 'webkit'];
const engineOf = (project) => project.split('-')[0];
const read = (path) => {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
};

const named = { failed: [], flaky: [] };
const counts = new Map(ENGINES.map((engine) => [engine, { passed: 0, failed: 0, skipped: 0 }]));
const add = (project, kind, n = 1) => {
  const engine = engineOf(project);
  if (!counts.has(engine)) counts.set(engine, { passed: 0, failed: 0, skipped: 0 });
  counts.get(engine)[kind] += n;
};

let files = [];
try {
  files = readdirSync('test-results/counts').filter((name) => name.endsWith('.json'));
} catch {
  // No counts written: every engine below reports that it ran nothing.
}
for (const name of files) {
  const project = name.replace(/\.json$/, '');
  const count = read(`test-results/counts/${name}`) ?? { failed: 1 };
  for (const kind of ['passed', 'failed', 'skipped']) add(project, kind, count[kind] ?? 0);
  for (const name of count.failures ?? []) named.failed.push(`${project}: ${name}`);
  for (const name of count.flaky ?? []) named.flaky.push(`${project}: ${name}`);
}

const e2e = read('test-results/playwright.json');
const walk = (suite) => {
  for (const spec of suite.specs ?? []) {
    for (const test of spec.tests ?? []) {
      const kind = test.status === 'expected' || test.status === 'flaky' ? 'passed' : test.status === 'skipped' ? 'skipped' : 'failed';
      add(test.projectName, kind);
      const name = `${test.projectName}: e2e ${spec.file} > ${spec.title}`;
      const error = test.results
        ?.at(-1)
        ?.error?.message?.replace(/\u001b\[[0-9;]*m/g, '')
        .split('\n')
        .find((line) => line.trim());
      if (kind === 'failed') named.failed.push(error ? `${name}: ${error.trim()}` : name);
      if (test.status === 'flaky') named.flaky.push(name);
    }
  }
  for (const child of suite.suites ?? []) walk(child);
};
for (const suite of e2e?.suites ?? []) walk(suite);

const total = { passed: 0, failed: 0, skipped: 0 };
for (const count of counts.values()) for (const kind of Object.keys(total)) total[kind] += count[kind];
const missing = ENGINES.filter((engine) => counts.get(engine).passed === 0);
const per = [...counts].map(
  ([engine, c]) => `${engine} ${c.passed} passed${c.failed ? `, ${c.failed} failed` : ''}${c.skipped ? `, ${c.skipped} skipped` : ''}`,
);
for (const name of named.failed) console.log(`FAILED ${name}`);
for (const name of named.flaky) console.log(`FLAKY (passed on a retry) ${name}`);
console.log(
  `${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped | ${per.join(' | ')}${missing.length ? ` | NO TESTS RAN in ${missing.join(', ')}` : ''}`,
);
process.exit(total.failed > 0 || missing.length > 0 ? 1 : 0);
