import { startDownloadEnv } from './download-env.ts';
import { downloadReport } from './download-report.ts';
import { measureDownload, type DownloadRun } from './download-run.ts';
import { pageRendererPid } from './renderer.ts';
import type { Benchmark } from './types.ts';
import { fmt } from './util.ts';

/**
 * LFS files from the fake Hub into the OPFS store of a persistent Chromium profile, verified:
 * throughput against hash-wasm SHA-256 on the same bytes, and growth of the page renderer's memory.
 */
export const downloadBench: Benchmark = {
  name: 'download',
  defaultSizesMiB: [64, 512],
  async run({ sizesMiB, repeats, cleanup }) {
    const env = await startDownloadEnv(sizesMiB, cleanup);
    const renderer = await pageRendererPid(env.page, env.browserPid);
    console.log(`page renderer pid ${renderer.pid} (renderers of this browser: ${renderer.all.join(', ')})`);
    const runs: DownloadRun[] = [];
    for (const sizeMiB of sizesMiB) {
      for (let i = 1; i <= repeats; i++) {
        const label = `download ${sizeMiB} MiB #${i}`;
        const run = await measureDownload(env, sizeMiB, renderer.pid, label);
        console.log(
          `${label}: ${fmt(run.downloadMs)} ms, ${fmt(run.throughputMBps)} MB/s, hash ${fmt(run.hashMBps)} MB/s, ` +
            `ratio ${fmt(run.ratio, 2)}, RSS +${fmt(run.memory.rssGrowth / 2 ** 20, 1)} MiB, CPU ms ${JSON.stringify(run.cpuMs)}`,
        );
        runs.push(run);
      }
    }
    return downloadReport(runs, sizesMiB, { chromium: env.chromium, rendererPid: renderer.pid, renderers: renderer.all });
  },
};
