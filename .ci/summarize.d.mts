// Types of summarize.mjs, for the node tests that import it.

/** One test's (or crash's) outcome; `flaky`: it failed first and passed on its retry. */
export interface Result {
  project: string;
  name: string;
  state: 'passed' | 'failed' | 'skipped' | 'flaky' | 'crash';
  error?: string | undefined;
}

/** A checked-in quarantine entry: `project` and `test` exact, or with `*` for any run of characters. */
export interface QuarantineEntry {
  project: string;
  test: string;
  evidence: string;
  until: string;
}

export interface Quarantine {
  entries: QuarantineEntry[];
  problems: string[];
}

export const ENGINES: string[];
export const MAX_QUARANTINE_DAYS: number;
export function engineOf(project: string): string;
export function matches(pattern: string, value: string): boolean;
export function readQuarantine(text: string | undefined, today: string, file?: string): Quarantine;
export function vitestResults(project: string, counts: unknown): Result[];
export function playwrightResults(report: unknown): Result[];
export function summarize(results: Result[], quarantine?: Quarantine): { lines: string[]; closing: string; ok: boolean };
