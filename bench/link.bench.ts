import { startDownloadEnv } from './download-env.ts';
import { measureDownload } from './download-run.ts';
import { pageRendererPid } from './renderer.ts';
import type { Benchmark, BenchReport } from './types.ts';
import { fmt, median, withTimeout } from './util.ts';

/** The link of issue 17: ~30 MB/s with ~50 ms before each answer. */
const LINK = { latencyMs: 50, bytesPerSecond: 30e6 };
/** Hangar's time / the Cache API's on that link, at most. */
const TARGET = 1.03;

interface Pair {
  link: 'loopback' | 'throttled';
  hangarMs: number;
  cacheApiMs: number;
}

/**
 * One LFS file from the fake Hub, Hangar's verified download into its store against a plain
 * `fetch` + Cache API `put` (what transformers.js does), alternately in the same page: on loopback
 * and behind an emulated ~30 MB/s, 50 ms link, where verification should hide under the network.
 */
export const linkBench: Benchmark = {
  name: 'link',
  defaultSizesMiB: [256],
  async run({ sizesMiB, repeats, cleanup }) {
    const env = await startDownloadEnv(sizesMiB, cleanup);
    const renderer = await pageRendererPid(env.page, env.browserPid);
    const pairs: Array<Pair & { sizeMiB: number }> = [];
    for (const sizeMiB of sizesMiB) {
      const repo = env.repos.get(sizeMiB)!;
      for (const link of ['loopback', 'throttled'] as const) {
        env.hub.setLink(link === 'throttled' ? LINK : undefined);
        for (let i = 1; i <= repeats; i++) {
          const label = `${sizeMiB} MiB ${link} #${i}`;
          const input = {
            endpoint: env.hub.url,
            repo: repo.id,
            files: repo.files,
            concurrent: 1,
            storeName: `bench-cache-${i}`,
            backend: 'opfs' as const,
          };
          // Alternate which goes first, so a warmer second run favours neither.
          const cacheFirst = i % 2 === 1;
          const cache = async (): Promise<number> =>
            withTimeout(
              env.page.evaluate((run) => window.hangarBench!.cacheApi(run), input),
              600_000,
              `${label} Cache API`,
            );
          const cacheApiMs = cacheFirst ? await cache() : 0;
          const hangar = await measureDownload(env, sizeMiB, renderer.pid, `${label} Hangar`);
          const pair = { sizeMiB, link, hangarMs: hangar.downloadMs, cacheApiMs: cacheFirst ? cacheApiMs : await cache() };
          console.log(
            `${label}: Hangar ${fmt(pair.hangarMs)} ms, Cache API ${fmt(pair.cacheApiMs)} ms, ratio ${fmt(pair.hangarMs / pair.cacheApiMs, 2)}`,
          );
          pairs.push(pair);
        }
      }
    }
    env.hub.setLink(undefined);
    return linkReport(pairs, env.chromium);
  },
};

function linkReport(pairs: Array<Pair & { sizeMiB: number }>, chromium: string): BenchReport {
  const rows = [...new Set(pairs.map((pair) => `${pair.sizeMiB}|${pair.link}`))].map((key) => {
    const group = pairs.filter((pair) => `${pair.sizeMiB}|${pair.link}` === key);
    const [sizeMiB, link] = key.split('|') as [string, Pair['link']];
    const hangarMs = median(group.map((pair) => pair.hangarMs));
    const cacheApiMs = median(group.map((pair) => pair.cacheApiMs));
    return {
      sizeMiB: Number(sizeMiB),
      link,
      runs: group.length,
      hangarMs,
      cacheApiMs,
      ratio: median(group.map((pair) => pair.hangarMs / pair.cacheApiMs)),
    };
  });
  const throttled = rows.filter((row) => row.link === 'throttled');
  const ok = throttled.length > 0 && throttled.every((row) => row.ratio <= TARGET);
  const lines = [
    '| size | link | runs | Hangar ms | fetch + Cache API ms | ratio |',
    '|---:|---|---:|---:|---:|---:|',
    ...rows.map(
      (row) => `| ${row.sizeMiB} MiB | ${row.link} | ${row.runs} | ${fmt(row.hangarMs)} | ${fmt(row.cacheApiMs)} | ${fmt(row.ratio, 2)} |`,
    ),
    '',
    `Hangar / Cache API on the throttled link (${LINK.bytesPerSecond / 1e6} MB/s, ${LINK.latencyMs} ms per answer): ` +
      `${throttled.map((row) => fmt(row.ratio, 2)).join(', ')} (target <= ${TARGET}) ${ok ? '✓' : '✗'}`,
    'ratio = median over the runs of Hangar time / Cache API time (each pair back to back, order alternating); Hangar = mm.download() until done (revision, listing, fetch, hash, write, record), Cache API = fetch + cache.put until stored',
  ];
  return { markdown: lines.join('\n'), chromium, json: { rows, pairs, link: LINK, target: TARGET, ok } };
}
