import { describe, expect, it } from 'vitest';
import { DownloadError, StoreError } from '../errors/index.ts';
import { hub, rejection, syntheticRepo, uniqueName } from '../../test/support/browser.ts';
import { connectDownloadWorker } from './connect-download-worker.ts';
import { WORKER_READY } from './worker-ready.ts';

/** A worker running `source` (classic script). */
function scriptWorker(source: string): () => Worker {
  const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
  return () => new Worker(url);
}

describe('the download worker', () => {
  it('a worker that crashes fails its pending calls with a retryable NETWORK error and says it is dead', async () => {
    // A real worker, ready, whose first message throws outside any handler that could catch it.
    const worker = connectDownloadWorker(
      scriptWorker(`postMessage(${JSON.stringify(WORKER_READY)}); onmessage = () => { throw new Error("out of memory, say"); };`),
    );
    expect(worker.alive).toBe(true);
    const error = await rejection(worker.hashBlob(new Blob(['x']), { algorithm: 'sha256', value: '0'.repeat(64) }));
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/The download worker failed/);
    expect(worker.alive).toBe(false);
  });

  it('a message from the worker that cannot be read fails its pending calls typed, and it is dead', async () => {
    // A ready worker that never answers a call; the browser then fails to read one of its messages.
    let spawned: Worker | undefined;
    const spawn = scriptWorker(`postMessage(${JSON.stringify(WORKER_READY)});`);
    const worker = connectDownloadWorker(() => (spawned = spawn()));
    const ready = new Promise((resolve) => spawned!.addEventListener('message', resolve, { once: true }));
    const pending = rejection(worker.hashBlob(new Blob(['x']), { algorithm: 'sha256', value: '0'.repeat(64) }));
    await ready;
    spawned!.dispatchEvent(new MessageEvent('messageerror'));
    const error = await pending;
    expect(error).toBeInstanceOf(DownloadError);
    expect(error).toMatchObject({ code: 'NETWORK', message: 'The download worker failed: a message from it could not be read' });
    expect(worker.alive).toBe(false);
  });

  it('a worker that never says it is ready is replaced once, then probeStorage rejects typed, in words, within the bound', async () => {
    let spawned = 0;
    const silent = scriptWorker('// loads, and never answers');
    const worker = connectDownloadWorker(() => (spawned++, silent()), { readyMs: 300 });
    const started = performance.now();
    const error = await rejection(worker.probeStorage(uniqueName('store'), 'auto'));
    expect(performance.now() - started).toBeLessThan(3000);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.message).toMatch(/The download worker did not start, twice: it said nothing within 300 ms/);
    expect(error.cause).toMatchObject({ name: 'DownloadError', code: 'NETWORK' });
    expect(spawned).toBe(2);
    expect(worker.alive).toBe(false);
    // Other calls fail the same way, at once.
    expect((await rejection(worker.hashBlob(new Blob(['x']), { algorithm: 'sha256', value: '0'.repeat(64) }))).code).toBe('NETWORK');
  });

  it('a worker whose script fails to load is reported at once, not after the ready bound', async () => {
    let spawned = 0;
    const broken = scriptWorker('this is not JavaScript (');
    const worker = connectDownloadWorker(() => (spawned++, broken()), { readyMs: 60_000 });
    const started = performance.now();
    const error = await rejection(worker.probeStorage(uniqueName('store'), 'auto'));
    expect(performance.now() - started).toBeLessThan(5000);
    expect(error).toMatchObject({ name: 'StoreError', code: 'STORAGE_UNAVAILABLE' });
    expect(error.message).toMatch(/The download worker did not start, twice: /);
    expect(spawned).toBe(2);
  });

  it('a worker that does not come up is replaced once: calls go to the new one', async () => {
    const spawns = [
      scriptWorker('// never answers'),
      () => new Worker(new URL('./download.worker.ts', import.meta.url), { type: 'module' }),
    ];
    let spawned = 0;
    // Long enough for the real worker to load its modules from the dev server in a loaded Firefox (500 ms was not).
    const worker = connectDownloadWorker(() => spawns[spawned++]!(), { readyMs: 4000 });
    try {
      const storage = await worker.probeStorage(uniqueName('store'), 'auto');
      expect(storage.backend).toMatch(/^(opfs|indexeddb)$/);
      expect(spawned).toBe(2);
      expect(worker.alive).toBe(true);
    } finally {
      worker.terminate();
    }
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
