import { describe, expect, it } from 'vitest';
import type { DownloadJob } from '../index.ts';
import { hub, managersClosedAfterEach, syntheticRepo, until } from '../../test/support/browser.ts';

const manager = managersClosedAfterEach();
const MiB = 2 ** 20;
const RUNS = 20;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits until `job` has stored `bytes` more than it had, or ended. */
async function advance(job: DownloadJob, bytes: number): Promise<void> {
  const from = job.progress.loaded;
  await until(() => job.progress.loaded >= from + bytes || ['done', 'error', 'cancelled'].includes(job.progress.state));
}

describe('pause() and resume() never fail a job', () => {
  for (const gap of [0, 5] as const) {
    it(`pause then resume ${gap === 0 ? 'in the same tick' : `${gap} ms apart`}, ${RUNS} times in one download`, async () => {
      const repo = await syntheticRepo(`pause-resume-${gap}`, { 'model.bin': 4 * MiB });
      await hub.addFault({ repo, times: 0, fault: { type: 'throttle', bytesPerSecond: 1.5 * MiB } });
      const mm = manager();
      const job = mm.download(repo);
      for (let run = 0; run < RUNS; run++) {
        await advance(job, 64 * 1024);
        expect(job.progress.state).toBe('downloading');
        job.pause();
        if (gap > 0) await sleep(gap);
        job.resume();
      }
      const model = await job.done;
      expect(job.progress.state).toBe('done');
      expect(model.files[0]?.size).toBe(4 * MiB);
    });
  }

  it(`pause, resume, pause, resume in the tick a job starts, ${RUNS} times`, async () => {
    const paths = Array.from({ length: RUNS }, (_, run) => `f${run}.bin`);
    const repo = await syntheticRepo('pause-early', Object.fromEntries(paths.map((path) => [path, 64 * 1024])));
    const mm = manager();
    for (const path of paths) {
      const job = mm.download(repo, { files: [path] });
      job.pause();
      job.resume();
      job.pause();
      job.resume();
      await job.done;
      expect(job.progress.state).toBe('done');
    }
  });
});
