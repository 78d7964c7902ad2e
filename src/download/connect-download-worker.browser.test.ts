import { describe, expect, it } from 'vitest';
import { DownloadError } from '../errors/index.ts';
import { hub, rejection, syntheticRepo, uniqueName } from '../../test/support/browser.ts';
import { connectDownloadWorker } from './connect-download-worker.ts';

describe('the download worker', () => {
  it('a worker that crashes fails its pending calls with a retryable NETWORK error and says it is dead', async () => {
    // A real worker whose first message throws outside any handler that could catch it.
    const source = URL.createObjectURL(
      new Blob(['onmessage = () => { throw new Error("out of memory, say"); };'], { type: 'text/javascript' }),
    );
    const worker = connectDownloadWorker(() => new Worker(source));
    expect(worker.alive).toBe(true);
    const error = await rejection(worker.hashBlob(new Blob(['x']), { algorithm: 'sha256', value: '0'.repeat(64) }));
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/The download worker failed/);
    expect(worker.alive).toBe(false);
    URL.revokeObjectURL(source);
  });

  it('an abort never gets lost: before the call, nothing is fetched; in the same tick as the call, the fetch stops', async () => {
    const repo = await syntheticRepo('abort-race', { 'w.bin': 4 * 2 ** 20 });
    await hub.addFault({ repo, path: 'w.bin', times: 0, fault: { type: 'throttle', bytesPerSecond: 2 ** 20 } });
    const [entry] = (await (await fetch(`${hub.url}/api/models/${repo}/tree/main`)).json()) as Array<{
      size: number;
      lfs: { oid: string };
    }>;
    const worker = connectDownloadWorker();
    const storeName = uniqueName('store');
    try {
      const task = {
        url: `${hub.url}/${repo}/resolve/main/w.bin`,
        headers: {},
        storeName,
        storage: await worker.probeStorage(storeName, 'auto'),
        path: 'w.bin',
        size: entry!.size,
        hash: { algorithm: 'sha256' as const, value: entry!.lfs.oid },
        timeoutMs: 60_000,
        stallMs: 10_000,
        hashThread: false,
      };
      const before = new AbortController();
      before.abort();
      expect((await rejection(worker.fetchBlob(task, () => {}, before.signal))).code).toBe('ABORTED');
      expect((await hub.stats(repo)).files[`${repo}/w.bin`]).toBeUndefined();
      const same = new AbortController();
      const running = worker.fetchBlob(task, () => {}, same.signal);
      same.abort();
      // Throttled to 1 MiB/s, the whole file would take 4 s.
      const started = performance.now();
      expect((await rejection(running)).code).toBe('ABORTED');
      expect(performance.now() - started).toBeLessThan(3000);
    } finally {
      worker.terminate();
    }
  });

  it('a call to a terminated worker fails with the typed reason it stopped, not a raw error', async () => {
    const worker = connectDownloadWorker();
    worker.terminate();
    expect(worker.alive).toBe(false);
    expect((await rejection(worker.hashBlob(new Blob(['x']), { algorithm: 'sha256', value: '0'.repeat(64) }))).code).toBe('ABORTED');
  });
});
