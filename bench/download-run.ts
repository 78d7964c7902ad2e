import type { PageRunInput, PageRunResult } from './download-types.ts';
import type { BenchRepo, DownloadEnv } from './download-env.ts';
import { MemorySampler, sampleMemory, total, type MemorySample } from './memory-sampler.ts';
import { chromiumCpu, cpuDelta } from './renderer.ts';
import { busyThreads, sampleThreadCpu, threadCpu } from './thread-cpu.ts';
import { sleep, withTimeout } from './util.ts';

const SAMPLE_MS = 50;

/** Peak-minus-baseline memory of a set of processes over one download, in bytes. */
export interface MemoryGrowth {
  baselineRss: number;
  peakRss: number;
  rssGrowth: number;
  pssGrowth: number | undefined;
}

/** One measured download. */
export interface DownloadRun extends PageRunResult {
  sizeMiB: number;
  backend: 'opfs' | 'indexeddb';
  throughputMBps: number;
  hashMBps: number;
  ratio: number;
  /** The page's renderer (it also hosts the download worker). */
  memory: MemoryGrowth;
  samples: number;
  /** The page renderer's RSS minus its baseline at each sample, MiB (every ~50 ms). */
  rssTraceMiB: number[];
  /** CPU ms per process type during the download phase; `node` is this process (fake Hub, vite, Playwright, sampler). */
  cpuMs: Record<string, number>;
  /** CPU ms of the page renderer's busiest threads during the download (DedicatedWorker threads: download and hash workers). */
  rendererThreads: Array<{ thread: string; ms: number }>;
}

function growth(baseline: MemorySample, samples: MemorySample[], pids: number[]): MemoryGrowth {
  const peak = (field: 'rss' | 'pss'): number | undefined => {
    const values = samples.map((sample) => total(sample, pids, field));
    return values.some((value) => value === undefined) ? undefined : Math.max(...(values as number[]));
  };
  const baseRss = total(baseline, pids, 'rss');
  const basePss = total(baseline, pids, 'pss');
  const peakRss = peak('rss');
  const peakPss = peak('pss');
  if (baseRss === undefined || peakRss === undefined) throw new Error(`a renderer (${pids.join(', ')}) exited during the download`);
  return {
    baselineRss: baseRss,
    peakRss,
    rssGrowth: peakRss - baseRss,
    pssGrowth: basePss === undefined || peakPss === undefined ? undefined : peakPss - basePss,
  };
}

function trace(baseline: MemorySample, samples: MemorySample[], pid: number): number[] {
  const base = baseline.byPid.get(pid)?.rss ?? NaN;
  return samples.map((sample) => Math.round(((sample.byPid.get(pid)?.rss ?? NaN) - base) / 2 ** 17) / 8);
}

/**
 * Downloads `repo` (default: the one-file repo of `sizeMiB`) once into a fresh store, all its files
 * at once, sampling renderer memory until the download is done; removes the store after.
 */
export async function measureDownload(
  env: DownloadEnv,
  sizeMiB: number,
  rendererPid: number,
  label: string,
  backend: 'opfs' | 'indexeddb' = 'opfs',
  repo: BenchRepo | undefined = env.repos.get(sizeMiB),
): Promise<DownloadRun> {
  if (repo === undefined) throw new Error(`no bench repo of ${sizeMiB} MiB`);
  const storeName = `bench-${sizeMiB}mib-${Date.now().toString(36)}`;
  const input: PageRunInput = {
    endpoint: env.hub.url,
    repo: repo.id,
    files: repo.files,
    concurrent: repo.files.length,
    storeName,
    backend,
  };

  await env.pageCdp.send('HeapProfiler.collectGarbage');
  await sleep(500);
  const baseline = await sampleMemory([rendererPid]);
  const cpuBefore = await chromiumCpu(env.browserCdp, rendererPid);
  const threadsBefore = await threadCpu(rendererPid);
  const threadSampler = sampleThreadCpu(rendererPid);
  let rendererThreads: DownloadRun['rendererThreads'] = [];
  const nodeBefore = process.cpuUsage();
  const sampler = new MemorySampler([rendererPid], SAMPLE_MS);
  let stopped: Promise<MemorySample[]> | undefined;
  let cpu: Record<string, number> = {};
  const stop = async (): Promise<MemorySample[]> => {
    if (stopped === undefined) {
      const node = process.cpuUsage(nodeBefore);
      stopped = Promise.all([chromiumCpu(env.browserCdp, rendererPid), threadSampler.stop()]).then(([after, threads]) => {
        cpu = { ...cpuDelta(cpuBefore, after), node: Math.round((node.user + node.system) / 1000) };
        rendererThreads = busyThreads(threadsBefore, threads);
        return sampler.stop();
      });
    }
    return stopped;
  };
  env.onPhase = async () => void (await stop());

  let result: PageRunResult;
  const timeoutMs = 60_000 + repo.size / 5e3;
  try {
    result = await withTimeout(
      env.page.evaluate((run) => window.hangarBench!.run(run), input),
      timeoutMs,
      label,
    );
  } finally {
    await stop();
    env.onPhase = async () => {};
  }
  const samples = await stop();
  await withTimeout(
    env.page.evaluate((name) => window.hangarBench!.cleanup(name), storeName),
    60_000,
    `${label} cleanup`,
  );
  const seconds = result.downloadMs / 1000;
  const throughputMBps = result.bytes / 1e6 / seconds;
  const hashMBps = result.hashedBytes / 1e6 / (result.hashMs / 1000);
  return {
    ...result,
    sizeMiB,
    backend,
    throughputMBps,
    hashMBps,
    ratio: throughputMBps / hashMBps,
    memory: growth(baseline, samples, [rendererPid]),
    samples: samples.length,
    rssTraceMiB: trace(baseline, samples, rendererPid),
    cpuMs: cpu,
    rendererThreads,
  };
}
