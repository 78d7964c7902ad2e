import { afterEach, describe, expect, it } from 'vitest';
import { managersClosedAfterEach, rejection, syntheticRepo, until } from '../../test/support/browser.ts';
import { faultDownloadWorkers } from './fault-download.test-support.ts';
import { startHashThread, type StreamHasher } from './hash-thread.ts';

const manager = managersClosedAfterEach();
let restoreWorkers = (): void => {};
afterEach(() => restoreWorkers());

/** A worker that starts and never answers. */
function silentWorker(): Worker {
  return new Worker(URL.createObjectURL(new Blob(['// never answers'], { type: 'text/javascript' })));
}

const HASH = { algorithm: 'sha256' as const, value: '0'.repeat(64) };

/** Sends 1 MiB chunks until one has to wait for the thread (8 in flight). */
function fill(hasher: StreamHasher, signal?: AbortSignal): Promise<void> {
  return (async () => {
    for (let sent = 0; sent < 16; sent++) await hasher.update(new Uint8Array(2 ** 20), signal);
  })();
}

// A hash thread is used only where the device has a core to spare for it (two per download).
const spareCore = navigator.hardwareConcurrency >= 2;

describe('waits on the hash thread are bounded and honour the attempt abort', () => {
  it('a wait on a silent thread ends at once with the abort reason; the thread stays usable to close', async () => {
    const hasher = startHashThread(HASH, 16 * 2 ** 20, undefined, { stallMs: 60_000, spawn: silentWorker })!;
    const controller = new AbortController();
    const waiting = fill(hasher, controller.signal);
    const started = performance.now();
    controller.abort(new Error('stop'));
    const error = await rejection(waiting);
    expect(error.code).toBe('ABORTED');
    expect(performance.now() - started).toBeLessThan(1000);
    // digest and save with an aborted signal do not wait either.
    expect((await rejection(hasher.digest(controller.signal))).code).toBe('ABORTED');
    expect((await rejection(hasher.save(AbortSignal.timeout(50)))).code).toBe('ABORTED');
    hasher.close();
  });

  it('a thread that owes an answer and gives none for stallMs fails STALLED (retryable), is ended, and later files hash inline', async () => {
    const hasher = startHashThread(HASH, 16 * 2 ** 20, undefined, { stallMs: 300, spawn: silentWorker })!;
    const started = performance.now();
    const error = await rejection(fill(hasher));
    expect(error).toMatchObject({ name: 'DownloadError', code: 'STALLED', retryable: true });
    expect(error.message).toMatch(/hash thread answered nothing for 300 ms/);
    expect(performance.now() - started).toBeLessThan(3000);
    expect((await rejection(hasher.digest())).code).toBe('STALLED');
    hasher.close();
    // It never answered: it could not start, and hashing falls back to the download's own thread.
    expect(startHashThread(HASH, 16 * 2 ** 20)).toBeUndefined();
  });

  it.skipIf(!spareCore)('cancel() settles promptly while the hash thread of a download answers nothing', async () => {
    restoreWorkers = faultDownloadWorkers('silent-hash');
    const repo = await syntheticRepo('silent-hash', { 'w.bin': 24 * 2 ** 20 });
    // The stall bound is far: only the cancel can end the attempt.
    const mm = manager({ download: { concurrent: 1, stallTimeout: '60s' } });
    const job = mm.download(repo);
    await until(() => job.progress.loaded > 0);
    const started = performance.now();
    job.cancel();
    expect((await rejection(job.done)).code).toBe('ABORTED');
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it.skipIf(!spareCore)(
    'with no cancel, a silent hash thread fails the attempt STALLED within the stall bound and the retry finishes inline',
    async () => {
      restoreWorkers = faultDownloadWorkers('silent-hash');
      const repo = await syntheticRepo('silent-hash', { 'w.bin': 24 * 2 ** 20 });
      const mm = manager({ download: { concurrent: 1, stallTimeout: '1s' } });
      const job = mm.download(repo);
      const retries: Array<{ code: string; message: string }> = [];
      job.on('retry', ({ error }) => retries.push({ code: error.code, message: error.message }));
      const started = performance.now();
      const model = await job.done;
      expect(model.files.map((file) => file.size)).toEqual([24 * 2 ** 20]);
      expect(retries).toEqual([{ code: 'STALLED', message: expect.stringMatching(/hash thread answered nothing for 1000 ms/) }]);
      expect(performance.now() - started).toBeLessThan(20_000);
    },
  );
});
