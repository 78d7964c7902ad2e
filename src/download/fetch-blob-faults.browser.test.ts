import { afterEach, describe, expect, it } from 'vitest';
import { backend, hub, managersClosedAfterEach, plantPartial, rejection, setup, uniqueName } from '../../test/support/browser.ts';
import { connectDownloadWorker } from './connect-download-worker.ts';
import { faultDownloadWorker, faultDownloadWorkers } from './fault-download.test-support.ts';
import type { FetchBlobTask } from './fetch-blob.ts';

const manager = managersClosedAfterEach();
let restoreWorkers = (): void => {};
afterEach(() => restoreWorkers());

/** A one-file repo of `size` synthetic bytes, and its blob key. */
async function oneFile(prefix: string, size: number): Promise<{ repo: string; key: string; sha256: string }> {
  const repo = `hangar-test/${uniqueName(prefix)}`;
  const info = await hub.addRepo({ id: repo, commits: [{ files: { 'w.bin': { synthetic: { size, seed: 77 } } } }] });
  const sha256 = info.commits[0]!.files[0]!.sha256!;
  return { repo, key: `sha256-${sha256}`, sha256 };
}

describe('an attempt releases its partial whatever fails, and its catch-up re-hash hears the abort', () => {
  it('a hasher that cannot be created fails the attempt typed and leaves the partial for the next attempt to open', async () => {
    const size = 2 * 2 ** 20;
    const { repo, key, sha256 } = await oneFile('hasher-fails', size);
    const storeName = uniqueName('store');
    const head = new Uint8Array(await (await fetch(`${hub.url}/${repo}/resolve/main/w.bin`)).arrayBuffer()).slice(0, size / 2);
    const worker = connectDownloadWorker(() => faultDownloadWorker('hasher-fails-once'));
    try {
      const storage = await worker.probeStorage(storeName, backend);
      expect(storage.backend).toBe(setup.expect.backend);
      await plantPartial(storeName, key, head);
      const task: FetchBlobTask = {
        url: `${hub.url}/${repo}/resolve/main/w.bin`,
        headers: {},
        storeName,
        storage,
        path: 'w.bin',
        size,
        hash: { algorithm: 'sha256', value: sha256 },
        timeoutMs: 30_000,
        stallMs: 10_000,
        hashThread: false,
      };
      const error = await rejection(worker.fetchBlob(task, () => {}));
      // The same worker opens the same partial again (OPFS: its sync access handles were closed) and resumes from it.
      const result = await worker.fetchBlob(task, () => {});
      expect(result).toMatchObject({ size, resumedFrom: size / 2, received: size / 2 });
      expect(error).toMatchObject({ name: 'HangarError', code: 'INTERNAL' });
      expect(error.message).toMatch(/w\.bin: RangeError: .*test fault/);
    } finally {
      worker.terminate();
    }
  });

  // The slow disk is simulated on OPFS reads and Blob chunks; ArrayBuffer chunks (WebKit private) come from IndexedDB as they are.
  it.skipIf(setup.expect.chunks === 'arraybuffer')(
    'cancel() during the catch-up re-hash of a large partial settles within a short bound',
    async () => {
      const { repo, key } = await oneFile('catch-up', 80 * 2 ** 20);
      const channel = uniqueName('faults');
      // Every read of stored bytes takes 400 ms: the 64 MiB below take 3.2 s or more to re-hash.
      restoreWorkers = faultDownloadWorkers(`slow-reads:${channel}:400`);
      const mm = manager();
      await plantPartial(mm.config.storeName, key, new Uint8Array(64 * 2 ** 20));
      const reading = new BroadcastChannel(channel);
      try {
        const job = mm.download(repo);
        const started = await new Promise<number>((resolve, reject) => {
          reading.onmessage = () => resolve(performance.now());
          job.done.then(() => reject(new Error('the job ended before reading its partial')), reject);
        });
        job.cancel();
        expect((await rejection(job.done)).code).toBe('ABORTED');
        expect(performance.now() - started).toBeLessThan(2000);
      } finally {
        reading.close();
      }
    },
  );
});
