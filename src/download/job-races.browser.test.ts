import { describe, expect, it } from 'vitest';
import { AbortError, type DownloadJob } from '../index.ts';
import { hub, managersClosedAfterEach, rejection, syntheticRepo, until } from '../../test/support/browser.ts';

const manager = managersClosedAfterEach();
const MiB = 2 ** 20;
const RUNS = 20;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `job` has stored `bytes` more than it had. */
async function advance(job: DownloadJob, bytes: number): Promise<void> {
  const from = job.progress.loaded;
  await until(() => job.progress.loaded >= from + bytes || ['done', 'error', 'cancelled'].includes(job.progress.state));
}

describe('a cancelled job never touches another job’s download', () => {
  // Over one 4 MiB IndexedDB chunk, so a partial removed under its writer loses stored chunks.
  const SIZE = 5 * MiB;
  const HELD_AT = 4.5 * MiB;

  for (const second of ['the same manager', 'another manager on the store'] as const) {
    it(`cancelling a job queued behind the writer (${second}) leaves the writer's partial whole, ${RUNS} times`, async () => {
      const paths = Array.from({ length: RUNS }, (_, run) => `w${run}.bin`);
      const repo = await syntheticRepo('cancel-queued', Object.fromEntries(paths.map((path) => [path, SIZE])));
      const options = { download: { stallTimeout: '60s' } };
      const a = manager(options);
      const b = second === 'the same manager' ? a : manager({ ...options, storeName: a.config.storeName });
      for (const path of paths) {
        // The writer's body stops past the first chunk until the queued job was cancelled.
        const hold = `${repo}/${path}`;
        await hub.addFault({ repo, path, fault: { type: 'hold', afterBytes: HELD_AT, name: hold } });
        const writer = a.download(repo, { files: [path] });
        await until(async () => ((await hub.stats(repo)).files[hold]?.bytes ?? 0) >= HELD_AT && writer.progress.loaded > 0);
        const queued = b.download(repo, { files: [path] });
        await until(() => queued.progress.files[0]?.state === 'downloading');
        queued.cancel();
        expect(await rejection(queued.done)).toBeInstanceOf(AbortError);
        await hub.release(hold);
        await writer.done;
        expect((await a.cache.file(repo, path)).size).toBe(SIZE);
      }
      expect((await a.cache.verify(repo)).bad).toEqual([]);
      // Every file is there, whole: a new download of the repo fetches nothing.
      const served = async (): Promise<number> => Object.values((await hub.stats(repo)).files).reduce((sum, file) => sum + file.bytes, 0);
      const before = await served();
      await b.download(repo).done;
      expect(await served()).toBe(before);
    });
  }
});

describe('pause() and resume() never fail a job', () => {
  for (const gap of [0, 5] as const) {
    it(`pause then resume ${gap === 0 ? 'in the same tick' : `${gap} ms apart`}, ${RUNS} times in one download`, async () => {
      const repo = await syntheticRepo(`pause-resume-${gap}`, { 'model.bin': 4 * MiB });
      await hub.addFault({ repo, times: 0, fault: { type: 'throttle', bytesPerSecond: 1.5 * MiB } });
      const mm = manager();
      const job = mm.download(repo);
      let cycles = 0;
      for (let run = 0; run < RUNS; run++) {
        await advance(job, 64 * 1024);
        expect(job.progress.state).toBe('downloading');
        job.pause();
        if (gap > 0) await sleep(gap);
        job.resume();
        cycles++;
      }
      const model = await job.done;
      console.log('cycles', cycles, job.progress.files[0]?.attempts);
      expect(job.progress.state).toBe('done');
      expect(model.files[0]?.size).toBe(4 * MiB);
    });
  }

  it(`resume then pause then resume in the same tick, ${RUNS} times, before and after the first byte`, async () => {
    for (let run = 0; run < RUNS; run++) {
      const repo = await syntheticRepo('pause-early', { 'a.bin': 256 * 1024 });
      const mm = manager();
      const job = mm.download(repo);
      job.pause();
      job.resume();
      job.pause();
      job.resume();
      await job.done;
      expect(job.progress.state).toBe('done');
      mm.close();
    }
  });
});
