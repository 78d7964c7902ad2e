import type { CDPSession } from 'playwright';
import { openBenchPage, startBenchBrowser } from './bench-browser.ts';
import { MemorySampler, sampleMemory, total } from './memory-sampler.ts';
import { findBrowserPid } from './proc-mem.ts';
import { pageRendererPid } from './renderer.ts';
import type { Benchmark } from './types.ts';
import { fmt, median, sleep } from './util.ts';

const VALUES = ['blob', 'arraybuffer'] as const;

interface ChunkRun {
  values: (typeof VALUES)[number];
  sizeMiB: number;
  ms: number;
  writeGrowthMiB: number;
  readGrowthMiB: number;
}

interface ChunksPage {
  step(op: 'write' | 'read', storeName: string, sizeMiB: number, values: string): Promise<number>;
  remove(storeName: string): Promise<void>;
}

/**
 * The IndexedDB backend's two chunk formats, written in a worker as the download worker writes
 * them: Blob values (what every engine takes) and ArrayBuffer values (WebKit private browsing,
 * where Blob values are refused). Both in Chromium, alternating, so the ArrayBuffer path's memory
 * is measured against the Blob path's in the same run: renderer RSS growth (page + worker), peak
 * minus before, at each size.
 */
export const chunksBench: Benchmark = {
  name: 'chunks',
  defaultSizesMiB: [64, 512],
  async run({ sizesMiB, repeats, cleanup }) {
    const { viteUrl, context, page, profileDir } = await startBenchBrowser('bench/chunks.html', cleanup);
    await openBenchPage(page, `${viteUrl}bench/chunks.html`, 'chunksBench');
    const browserPid = await findBrowserPid(profileDir);
    const renderer = await pageRendererPid(page, browserPid);
    const cdp: CDPSession = await context.newCDPSession(page);
    const runs: ChunkRun[] = [];
    for (const sizeMiB of sizesMiB) {
      for (let i = 1; i <= repeats; i++) {
        for (const values of VALUES) {
          const storeName = `bench-chunks-${values}-${sizeMiB}-${i}`;
          const measured = async (op: 'write' | 'read') => {
            await cdp.send('HeapProfiler.collectGarbage');
            await sleep(500);
            const baseline = total(await sampleMemory([renderer.pid]), [renderer.pid], 'rss')!;
            const sampler = new MemorySampler([renderer.pid], 50);
            const value = await page.evaluate(
              ([op, storeName, sizeMiB, values]) =>
                (window as unknown as { chunksBench: ChunksPage }).chunksBench.step(op, storeName, sizeMiB, values),
              [op, storeName, sizeMiB, values] as const,
            );
            const peak = Math.max(...(await sampler.stop()).map((sample) => total(sample, [renderer.pid], 'rss') ?? 0));
            return { value, growthMiB: (peak - baseline) / 2 ** 20 };
          };
          const write = await measured('write');
          const read = await measured('read');
          await page.evaluate((storeName) => (window as unknown as { chunksBench: ChunksPage }).chunksBench.remove(storeName), storeName);
          if (read.value !== sizeMiB * 2 ** 20) throw new Error(`${storeName}: read back ${read.value} bytes`);
          const run = { values, sizeMiB, ms: write.value, writeGrowthMiB: write.growthMiB, readGrowthMiB: read.growthMiB };
          console.log(
            `${values} ${sizeMiB} MiB #${i}: write ${fmt((sizeMiB * 2 ** 20) / 1e3 / run.ms)} MB/s, RSS +${fmt(run.writeGrowthMiB, 1)} MiB; read back +${fmt(run.readGrowthMiB, 1)} MiB`,
          );
          runs.push(run);
        }
      }
    }
    const stat = (values: string, sizeMiB: number) => {
      const mine = runs.filter((run) => run.values === values && run.sizeMiB === sizeMiB);
      return {
        ms: median(mine.map((run) => run.ms)),
        write: median(mine.map((run) => run.writeGrowthMiB)),
        read: median(mine.map((run) => run.readGrowthMiB)),
      };
    };
    const rows = sizesMiB.flatMap((sizeMiB) =>
      VALUES.map((values) => {
        const s = stat(values, sizeMiB);
        return `| ${sizeMiB} MiB | ${values} | ${fmt((sizeMiB * 2 ** 20) / 1e3 / s.ms)} MB/s | ${fmt(s.write, 1)} MiB | ${fmt(s.read, 1)} MiB |`;
      }),
    );
    const [small, large] = [sizesMiB[0]!, sizesMiB.at(-1)!];
    const growth = (values: string) => fmt(stat(values, large).write / stat(values, small).write, 2);
    const markdown = [
      '| file | chunk values | write | renderer RSS growth, writing | reading back whole |',
      '|---:|---|---:|---:|---:|',
      ...rows,
      '',
      `write RSS growth ${large} MiB / ${small} MiB: blob ${growth('blob')}, arraybuffer ${growth('arraybuffer')}`,
      `arraybuffer / blob at ${large} MiB: write time ${fmt(stat('arraybuffer', large).ms / stat('blob', large).ms, 2)}, write RSS growth ${fmt(stat('arraybuffer', large).write / stat('blob', large).write, 2)}`,
      `medians of ${repeats} runs, alternating; MB = 10^6 bytes`,
    ].join('\n');
    return { markdown, json: { runs } };
  },
};
