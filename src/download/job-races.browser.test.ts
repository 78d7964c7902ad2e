import { describe, expect, it } from 'vitest';
import { AbortError } from '../index.ts';
import { hub, managersClosedAfterEach, rejection, syntheticRepo, until } from '../../test/support/browser.ts';

const manager = managersClosedAfterEach();
const MiB = 2 ** 20;
const RUNS = 20;

describe('a cancelled job never touches another job’s download', () => {
  // Over one 4 MiB IndexedDB chunk, so a partial removed under its writer loses stored chunks.
  const SIZE = 5 * MiB;
  const HELD_AT = 4.5 * MiB;

  // The race itself is the same in both: the second manager shows that the lock, not the manager, keeps the writer's partial.
  for (const [second, runs] of [
    ['the same manager', RUNS],
    ['another manager on the store', 5],
  ] as const) {
    it(`cancelling a job queued behind the writer (${second}) leaves the writer's partial whole, ${runs} times`, async () => {
      const paths = Array.from({ length: runs }, (_, run) => `w${run}.bin`);
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
