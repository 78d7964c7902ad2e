import { startCacheEnv } from './cache-env.ts';
import { cacheReport } from './cache-report.ts';
import type { CacheRunInput, CacheRunResult } from './cache-types.ts';
import type { Benchmark } from './types.ts';
import { fmt, median, withTimeout } from './util.ts';

/**
 * `mm.cache.list()` and `clean()` over a store seeded with N models of 20 files (metadata in
 * IndexedDB, 1-byte blobs in OPFS) in a persistent Chromium profile; `--sizes` counts models.
 */
export const cacheBench: Benchmark = {
  name: 'cache',
  sizeUnit: 'models',
  defaultSizesMiB: [250, 500, 1000, 2000],
  defaultRepeats: 5,
  async run({ sizesMiB: counts, repeats, cleanup }) {
    const { page, chromium } = await startCacheEnv(cleanup);
    const runs: CacheRunResult[] = [];
    for (const models of counts) {
      const input: CacheRunInput = { storeName: `bench-cache-${models}-${Date.now().toString(36)}`, models, repeats };
      const label = `cache ${models} models`;
      try {
        const run = await withTimeout(
          page.evaluate((arg) => window.hangarCacheBench!.run(arg), input),
          120_000 + models * 300,
          label,
        );
        console.log(
          `${label}: seeded in ${fmt(run.seedMs)} ms, list ${fmt(median(run.listMs), 1)} ms kept, ${fmt(median(run.listAfterChangeMs), 1)} ms after a change, dry run ${fmt(median(run.dryRunMs), 1)} ms, ` +
            `clean ${fmt(run.cleanMs)} ms (${run.evicted} snapshots, ${run.blobsDeleted} files)`,
        );
        runs.push(run);
      } finally {
        await withTimeout(
          page.evaluate((name) => window.hangarCacheBench!.cleanup(name), input.storeName),
          60_000,
          `${label} cleanup`,
        );
      }
    }
    return cacheReport(runs, chromium);
  },
};
