// CI's judgement of a test run, as pure functions (.ci/summary.mjs reads the files and prints; the
// node tests in test/report/summarize.test.ts hold these rules). Plain JavaScript with no imports,
// so the closing line prints even where the dependencies did not install; types in summarize.d.mts.

/** Engines that must each run at least one test. */
export const ENGINES = ['node', 'chromium', 'firefox', 'webkit'];
/** How far ahead a quarantine entry's `until` may be: a quarantine is for a fix in sight, re-checked. */
export const MAX_QUARANTINE_DAYS = 90;
const KEYS = ['project', 'test', 'evidence', 'until'];

export const engineOf = (project) => project.split('-')[0];

/** Whether `value` matches `pattern`: exact, except that each `*` stands for any run of characters. */
export function matches(pattern, value) {
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(value);
}

const addDays = (day, days) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The quarantine file's entries, and a problem (a sentence) for each entry that is malformed or
 * expired and for a file that is not `{ "entries": [...] }`. `text` undefined: no file, nothing
 * quarantined. `today` is an ISO day (YYYY-MM-DD, UTC); an entry holds through its `until` day.
 */
export function readQuarantine(text, today, file = '.ci/quarantine.json') {
  if (text === undefined) return { entries: [], problems: [] };
  let parsed;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { entries: [], problems: [`${file} is not JSON: ${error.message}`] };
  }
  const list = parsed?.entries;
  if (!Array.isArray(list)) return { entries: [], problems: [`${file} must be an object with an "entries" array`] };
  const entries = [];
  const problems = [];
  list.forEach((entry, index) => {
    const where = `${file} entry ${index + 1}${typeof entry?.test === 'string' ? ` ("${entry.test}")` : ''}`;
    const wrong = entryProblems(entry, today);
    if (wrong.length > 0) problems.push(`${where}: ${wrong.join('; ')}`);
    else entries.push(entry);
  });
  return { entries, problems };
}

function entryProblems(entry, today) {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) return [`must be an object with ${KEYS.join(', ')}`];
  const problems = Object.keys(entry)
    .filter((key) => !KEYS.includes(key))
    .map((key) => `unknown field "${key}" (fields: ${KEYS.join(', ')})`);
  for (const key of ['project', 'test'])
    if (typeof entry[key] !== 'string' || entry[key].replaceAll('*', '').trim() === '')
      problems.push(`"${key}" must name it (exact, or with * for any run of characters), not be empty or only *`);
  if (typeof entry.evidence !== 'string' || entry.evidence.trim().length < 20)
    problems.push('"evidence" must give an engine bug with its link, or the measured cause (at least 20 characters)');
  const until = entry.until;
  if (typeof until !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(until) || addDays(until, 0) !== until)
    problems.push(`"until" must be a day as YYYY-MM-DD, not ${JSON.stringify(until)}`);
  else if (until < today)
    problems.push(`expired: "until" ${until} has passed (today is ${today}); fix the test or renew with new evidence`);
  else if (until > addDays(today, MAX_QUARANTINE_DAYS))
    problems.push(`"until" ${until} is more than ${MAX_QUARANTINE_DAYS} days ahead (latest ${addDays(today, MAX_QUARANTINE_DAYS)})`);
  return problems;
}

/**
 * The results in one vitest project's counts (test-results/counts/<project>.json, see
 * test/report/project-counts.ts); `counts` undefined: the file could not be read, one failure.
 * A crash names the engine, not the project: both projects of an engine run in one vitest run.
 */
export function vitestResults(project, counts) {
  if (counts === undefined || !Array.isArray(counts.tests))
    return [{ project, name: 'test-results/counts', state: 'failed', error: 'the counts file is missing or unreadable' }];
  const results = counts.tests.map((test) => ({
    project,
    name: `${test.file} > ${test.name}`,
    state: test.state === 'passed' && test.flaky ? 'flaky' : test.state,
    error: test.error,
  }));
  if (counts.unhandled > 0)
    results.push({ project, name: 'outside any test', state: 'failed', error: `${counts.unhandled} unhandled error(s)` });
  for (const file of counts.crashes ?? [])
    results.push({ project: engineOf(project), name: `browser crash during ${file}`, state: 'crash' });
  return results;
}

/** The results in Playwright's JSON report (test-results/playwright.json); `report` undefined: none. */
export function playwrightResults(report) {
  const results = [];
  const walk = (suite) => {
    for (const spec of suite.specs ?? [])
      for (const test of spec.tests ?? []) {
        const state = { expected: 'passed', flaky: 'flaky', skipped: 'skipped' }[test.status] ?? 'failed';
        const error = test.results
          ?.at(-1)
          ?.error?.message?.replace(/\u001b\[[0-9;]*m/g, '')
          .split('\n')
          .find((line) => line.trim())
          ?.trim();
        results.push({
          project: test.projectName,
          name: `e2e ${spec.file} > ${spec.title}`,
          state,
          error: state === 'failed' ? error : undefined,
        });
      }
    for (const child of suite.suites ?? []) walk(child);
  };
  for (const suite of report?.suites ?? []) walk(suite);
  return results;
}

/**
 * CI's verdict. A test that failed, one that passed only on its retry (flaky) and a browser crash
 * each count as failed, unless a quarantine entry matches the flaky test or crash (its project and
 * name): then it is printed as QUARANTINED with the evidence and counts as passed (a crash, as
 * nothing). A quarantine problem fails too, and so does an engine that passed no test.
 * Returns the lines to print, the closing line and whether CI passes.
 */
export function summarize(results, quarantine = { entries: [], problems: [] }) {
  const counts = new Map(ENGINES.map((engine) => [engine, { passed: 0, failed: 0, skipped: 0 }]));
  const add = (project, kind) => {
    const engine = engineOf(project);
    if (!counts.has(engine)) counts.set(engine, { passed: 0, failed: 0, skipped: 0 });
    counts.get(engine)[kind]++;
  };
  const failed = [];
  const quarantined = [];
  const used = new Set();
  const crashes = new Set();
  for (const result of results) {
    const { project, name, state } = result;
    if (state === 'passed' || state === 'skipped' || state === 'failed') {
      add(project, state);
      if (state === 'failed') failed.push(`FAILED ${project}: ${name}${result.error ? `: ${result.error}` : ''}`);
      continue;
    }
    if (state === 'crash') {
      if (crashes.has(`${project}\0${name}`)) continue;
      crashes.add(`${project}\0${name}`);
    }
    const what = state === 'crash' ? 'the engine ran again' : 'first run failed, passed on retry';
    const entry = quarantine.entries.find((entry) => matches(entry.project, project) && matches(entry.test, name));
    if (entry === undefined) {
      add(project, 'failed');
      failed.push(`FAILED ${project}: ${name} (${what})${result.error ? `: ${result.error}` : ''}`);
      continue;
    }
    used.add(entry);
    if (state === 'flaky') add(project, 'passed');
    quarantined.push(`QUARANTINED ${project}: ${name} (${what}) until ${entry.until}: ${entry.evidence}`);
  }
  const unused = quarantine.entries
    .filter((entry) => !used.has(entry))
    .map((entry) => `UNUSED quarantine entry ${entry.project}: ${entry.test} (nothing it names needed a retry this run)`);
  const problems = quarantine.problems.map((problem) => `QUARANTINE INVALID ${problem}`);

  const total = { passed: 0, failed: problems.length, skipped: 0 };
  for (const count of counts.values()) for (const kind of Object.keys(total)) total[kind] += count[kind];
  const missing = ENGINES.filter((engine) => counts.get(engine).passed === 0);
  const per = [...counts].map(
    ([engine, c]) => `${engine} ${c.passed} passed${c.failed ? `, ${c.failed} failed` : ''}${c.skipped ? `, ${c.skipped} skipped` : ''}`,
  );
  const closing =
    `${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped | ${per.join(' | ')}` +
    (missing.length ? ` | NO TESTS RAN in ${missing.join(', ')}` : '') +
    (problems.length ? ` | ${problems.length} quarantine problem(s)` : '');
  return { lines: [...failed, ...quarantined, ...unused, ...problems], closing, ok: total.failed === 0 && missing.length === 0 };
}
