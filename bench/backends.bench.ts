import { startDownloadEnv } from './download-env.ts';
import { measureDownload, type DownloadRun } from './download-run.ts';
import { pageRendererPid } from './renderer.ts';
import type { Benchmark } from './types.ts';
import { fmt, median } from './util.ts';

const BACKENDS = ['opfs', 'indexeddb'] as const;

/**
 * The same LFS file stored through the OPFS backend and through the IndexedDB backend (alternating
 * runs, one page): write throughput (the whole verified download), read throughput (the stored File
 * streamed back) and renderer memory growth, as IndexedDB / OPFS ratios.
 */
export const backendsBench: Benchmark = {
  name: 'backends',
  defaultSizesMiB: [256],
  async run({ sizesMiB, repeats, cleanup }) {
    const env = await startDownloadEnv(sizesMiB, cleanup);
    const renderer = await pageRendererPid(env.page, env.browserPid);
    const runs: DownloadRun[] = [];
    for (const sizeMiB of sizesMiB) {
      for (let i = 1; i <= repeats; i++) {
        for (const backend of BACKENDS) {
          const label = `${backend} ${sizeMiB} MiB #${i}`;
          const run = await measureDownload(env, sizeMiB, renderer.pid, label, backend);
          console.log(
            `${label}: write ${fmt(run.throughputMBps)} MB/s (${fmt(run.downloadMs)} ms), read ${fmt(run.bytes / 1e3 / run.readMs)} MB/s, ` +
              `RSS +${fmt(run.memory.rssGrowth / 2 ** 20, 1)} MiB`,
          );
          runs.push(run);
        }
      }
    }
    const rows: string[] = [];
    const ratios: string[] = [];
    for (const sizeMiB of sizesMiB) {
      const stats = Object.fromEntries(
        BACKENDS.map((backend) => {
          const mine = runs.filter((run) => run.backend === backend && run.sizeMiB === sizeMiB);
          return [
            backend,
            {
              write: median(mine.map((run) => run.throughputMBps)),
              read: median(mine.map((run) => run.bytes / 1e3 / run.readMs)),
              rss: median(mine.map((run) => run.memory.rssGrowth / 2 ** 20)),
            },
          ];
        }),
      ) as Record<(typeof BACKENDS)[number], { write: number; read: number; rss: number }>;
      for (const backend of BACKENDS) {
        const s = stats[backend];
        rows.push(`| ${sizeMiB} MiB | ${backend} | ${fmt(s.write)} MB/s | ${fmt(s.read)} MB/s | ${fmt(s.rss, 1)} MiB |`);
      }
      ratios.push(
        `IndexedDB / OPFS at ${sizeMiB} MiB: write ${fmt(stats.indexeddb.write / stats.opfs.write, 2)}, read ${fmt(stats.indexeddb.read / stats.opfs.read, 2)}`,
      );
    }
    const markdown = [
      '| file | backend | write (verified download) | read (File stream) | renderer RSS growth |',
      '|---:|---|---:|---:|---:|',
      ...rows,
      '',
      ...ratios,
      `medians of ${repeats} runs per backend, alternating; MB = 10^6 bytes`,
    ].join('\n');
    return { markdown, chromium: env.chromium, json: { runs } };
  },
};
