import { startDownloadEnv } from './download-env.ts';
import { downloadReport, type ParallelRun } from './download-report.ts';
import { measureDownload, type DownloadRun } from './download-run.ts';
import { pageRendererPid } from './renderer.ts';
import type { Benchmark } from './types.ts';
import type { StartupResult } from './download-types.ts';
import { fmt, withTimeout } from './util.ts';

/** Size of each of the two files downloaded at once, and of the one file they are compared with. */
const PAIR_MIB = 256;

/**
 * LFS files from the fake Hub into the OPFS store of a persistent Chromium profile, verified:
 * throughput against hash-wasm SHA-256 on the same bytes, and growth of the page renderer's memory.
 * Then two files of 256 MiB at once (two slots, two download workers) against one, alternately.
 */
export const downloadBench: Benchmark = {
  name: 'download',
  defaultSizesMiB: [64, 512],
  async run({ sizesMiB, repeats, cleanup }) {
    const env = await startDownloadEnv(sizesMiB, cleanup, PAIR_MIB);
    const renderer = await pageRendererPid(env.page, env.browserPid);
    console.log(`page renderer pid ${renderer.pid} (renderers of this browser: ${renderer.all.join(', ')})`);
    const runs: DownloadRun[] = [];
    for (const sizeMiB of sizesMiB) {
      for (let i = 1; i <= repeats; i++) {
        const label = `download ${sizeMiB} MiB #${i}`;
        const run = await measureDownload(env, sizeMiB, renderer.pid, label);
        console.log(
          `${label}: ${fmt(run.downloadMs)} ms, ${fmt(run.throughputMBps)} MB/s, hash ${fmt(run.hashMBps)} MB/s, ` +
            `ratio ${fmt(run.ratio, 2)}, RSS +${fmt(run.memory.rssGrowth / 2 ** 20, 1)} MiB, CPU ms ${JSON.stringify(run.cpuMs)}, ` +
            `renderer threads ${run.rendererThreads.map((t) => `${t.thread} ${t.ms}`).join(', ')}`,
        );
        runs.push(run);
      }
    }
    const parallel: ParallelRun[] = [];
    for (let i = 1; i <= repeats; i++) {
      const one = await measureDownload(env, PAIR_MIB, renderer.pid, `one ${PAIR_MIB} MiB file #${i}`);
      const two = await measureDownload(env, PAIR_MIB, renderer.pid, `two ${PAIR_MIB} MiB files #${i}`, 'opfs', env.pair);
      const ratio = two.throughputMBps / one.throughputMBps;
      console.log(
        `${PAIR_MIB} MiB, one file vs two at once #${i}: ${fmt(one.throughputMBps)} vs ${fmt(two.throughputMBps)} MB/s, ratio ${fmt(ratio, 2)}, ` +
          `CPU ms ${JSON.stringify(one.cpuMs)} vs ${JSON.stringify(two.cpuMs)}`,
      );
      parallel.push({ one, two, ratio });
    }
    const startups: StartupResult[] = [];
    for (let i = 1; i <= repeats; i++) {
      const storeName = `bench-startup-${i}-${Date.now().toString(36)}`;
      const input = {
        endpoint: env.hub.url,
        repo: env.tiny.id,
        files: env.tiny.files,
        concurrent: 1,
        storeName,
        backend: 'opfs' as const,
      };
      try {
        const startup = await withTimeout(
          env.page.evaluate((run) => window.hangarBench!.startup(run), input),
          300_000,
          `start-up #${i}`,
        );
        console.log(`start-up #${i}: ${JSON.stringify(startup)}`);
        startups.push(startup);
      } finally {
        await withTimeout(
          env.page.evaluate((name) => window.hangarBench!.cleanup(name), storeName),
          60_000,
          `start-up #${i} cleanup`,
        );
      }
    }
    return downloadReport(runs, sizesMiB, parallel, startups, {
      chromium: env.chromium,
      rendererPid: renderer.pid,
      renderers: renderer.all,
    });
  },
};
