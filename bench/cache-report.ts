import type { CacheRunResult } from './cache-types.ts';
import type { BenchReport } from './types.ts';
import { fmt, median } from './util.ts';

/** Targets of issue 17: list() of 1,000 models under 50 ms, growing linearly (within 1.25x of the model ratio). */
export const TARGETS = { models: 1000, listMs: 50, linearSlack: 1.25 };

const mark = (ok: boolean): string => (ok ? '✓' : '✗');
const row = (cells: Array<string | number>): string => `| ${cells.join(' | ')} |`;

/** The markdown tables and JSON of the cache benchmark. */
export function cacheReport(runs: CacheRunResult[], chromium: string): BenchReport {
  const sizes = runs.map((run) => ({
    ...run,
    listMedianMs: median(run.listMs),
    changedMedianMs: median(run.listAfterChangeMs),
    firstMedianMs: median(run.firstListMs),
    dryRunMedianMs: median(run.dryRunMs),
  }));
  const lines = [
    '| models | files | blobs | first list ms | list ms, kept | list ms after a change | clean dry-run ms | clean ms (files deleted) | snapshots evicted |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...sizes.map((s) =>
      row([
        s.models,
        s.files,
        s.blobs,
        fmt(s.firstMedianMs, 1),
        fmt(s.listMedianMs, 1),
        fmt(s.changedMedianMs, 1),
        fmt(s.dryRunMedianMs, 1),
        `${fmt(s.cleanMs)} (${s.blobsDeleted})`,
        s.evicted,
      ]),
    ),
    '',
    '| models | getAll: snapshots ms | refs ms | blobs ms | all 3, 1 tx ms | getAllKeys blobs ms | listModels() ms | structuredClone snapshots ms | snapshots JSON MiB |',
    '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...sizes.map(({ models, breakdown: b }) =>
      row([
        models,
        fmt(b.snapshotsGetAllMs, 1),
        fmt(b.refsGetAllMs, 1),
        fmt(b.blobsGetAllMs, 1),
        fmt(b.allGetAllMs, 1),
        fmt(b.blobsGetAllKeysMs, 1),
        fmt(b.listModelsMs, 1),
        fmt(b.structuredCloneMs, 1),
        fmt(b.snapshotsJsonBytes / 2 ** 20, 1),
      ]),
    ),
    '',
  ];
  const checks: Record<string, unknown> = {};
  const large = sizes.at(-1);
  const previous = sizes.at(-2);
  if (large !== undefined && previous !== undefined) {
    // The listing built from the database is what grows with the store; a kept one costs one read.
    const growth = large.changedMedianMs / previous.changedMedianMs;
    const linear = large.models / previous.models;
    const ok = growth <= linear * TARGETS.linearSlack;
    checks.growth = { value: growth, linear, ok };
    lines.push(
      `list(${large.models}) / list(${previous.models}) after a change: ${fmt(growth, 2)} (linear ≈ ${fmt(linear, 2)}) ${mark(ok)}`,
    );
  }
  const target = sizes.find((s) => s.models === TARGETS.models);
  if (target !== undefined) {
    const kept = target.listMedianMs < TARGETS.listMs;
    const changed = target.changedMedianMs < TARGETS.listMs;
    checks.list = { value: target.listMedianMs, target: `< ${TARGETS.listMs} ms at ${TARGETS.models} models`, ok: kept };
    checks.listAfterChange = { value: target.changedMedianMs, target: `< ${TARGETS.listMs} ms at ${TARGETS.models} models`, ok: changed };
    lines.push(
      `list() at ${TARGETS.models} models: ${fmt(target.listMedianMs, 1)} ms kept ${mark(kept)}, ${fmt(target.changedMedianMs, 1)} ms after a change ${mark(changed)} (target < ${TARGETS.listMs} ms)`,
    );
  }
  lines.push(
    "first list = a page's first call (a new manager): every repo read; kept = called again; after a change = after a pin or unpin of one model",
    'medians of the runs (the real clean: one run); 20 files a model, 2 of them shared with the model before; blobs 1 byte, maxSize = half of them',
    'second table: the parts of list() timed alone on the same database before the real clean',
  );
  return { markdown: lines.join('\n'), chromium, json: { sizes, checks } };
}
