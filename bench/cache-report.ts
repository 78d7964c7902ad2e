import type { CacheRunResult } from './cache-types.ts';
import type { BenchReport } from './types.ts';
import { fmt, median } from './util.ts';

/** Targets of the issue: list() of 1,000 models under 100 ms, growing linearly (within 1.25x of the model ratio). */
export const TARGETS = { models: 1000, listMs: 100, linearSlack: 1.25 };

const mark = (ok: boolean): string => (ok ? '✓' : '✗');
const row = (cells: Array<string | number>): string => `| ${cells.join(' | ')} |`;

/** The markdown tables and JSON of the cache benchmark. */
export function cacheReport(runs: CacheRunResult[], chromium: string): BenchReport {
  const sizes = runs.map((run) => ({ ...run, listMedianMs: median(run.listMs), dryRunMedianMs: median(run.dryRunMs) }));
  const lines = [
    '| models | files | blobs | list ms | clean dry-run ms | clean ms (files deleted) | snapshots evicted |',
    '|---:|---:|---:|---:|---:|---:|---:|',
    ...sizes.map((s) =>
      row([
        s.models,
        s.files,
        s.blobs,
        fmt(s.listMedianMs, 1),
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
    const growth = large.listMedianMs / previous.listMedianMs;
    const linear = large.models / previous.models;
    const ok = growth <= linear * TARGETS.linearSlack;
    checks.growth = { value: growth, linear, ok };
    lines.push(`list(${large.models}) / list(${previous.models}): ${fmt(growth, 2)} (linear ≈ ${fmt(linear, 2)}) ${mark(ok)}`);
  }
  const target = sizes.find((s) => s.models === TARGETS.models);
  if (target !== undefined) {
    const ok = target.listMedianMs < TARGETS.listMs;
    checks.list = { value: target.listMedianMs, target: `< ${TARGETS.listMs} ms at ${TARGETS.models} models`, ok };
    lines.push(`list() at ${TARGETS.models} models: ${fmt(target.listMedianMs, 1)} ms (target < ${TARGETS.listMs} ms) ${mark(ok)}`);
  }
  lines.push(
    'medians of the runs (the real clean: one run); 20 files a model, 2 of them shared with the model before; blobs 1 byte, maxSize = half of them',
    'second table: the parts of list() timed alone on the same database before the real clean',
  );
  return { markdown: lines.join('\n'), chromium, json: { sizes, checks } };
}
