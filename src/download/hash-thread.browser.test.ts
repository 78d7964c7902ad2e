import { describe, expect, it } from 'vitest';
import { fileHash, hub, sha256, syntheticRepo, uniqueName } from '../../test/support/browser.ts';
import type { FileHash } from '../hub/index.ts';
import { connectDownloadWorker } from './connect-download-worker.ts';
import { startHashThread, type StreamHasher } from './hash-thread.ts';

function randomBytes(size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(bytes.subarray(at, Math.min(size, at + 65536)));
  return bytes;
}

/** Sends `bytes` in chunks of `chunk` bytes, each a fresh buffer of its own (the thread takes it). */
async function feed(hasher: StreamHasher, bytes: Uint8Array, chunk: number): Promise<void> {
  for (let at = 0; at < bytes.length; at += chunk) await hasher.update(bytes.slice(at, at + chunk));
}

function thread(hash: FileHash, size: number, state?: Uint8Array): StreamHasher {
  const started = startHashThread(hash, size, state);
  if (started === undefined) throw new Error('no hash thread in this engine');
  return started;
}

describe('the hash thread', () => {
  it('hashes chunks in order, hands the buffers back to read into, and its digest matches', async () => {
    const size = 9 * 2 ** 20 + 123;
    const bytes = randomBytes(size);
    const expected = await sha256(new Blob([bytes]));
    const hasher = thread({ algorithm: 'sha256', value: expected }, size);
    expect(hasher.spare()).toBeUndefined();
    await feed(hasher, bytes, 2 ** 20);
    expect(await hasher.digest()).toBe(expected);
    // Every buffer sent has come back by the time the digest does.
    expect(hasher.spare()?.byteLength).toBe(2 ** 20);
    hasher.close();
  });

  it('takes a chunk that is a view into a larger buffer (copying it), and continues from a saved state when started again', async () => {
    const size = 3 * 2 ** 20;
    const bytes = randomBytes(size);
    const hash: FileHash = { algorithm: 'sha256', value: await sha256(new Blob([bytes])) };
    const first = thread(hash, size);
    // A view at an offset: the buffer around it stays usable by the caller.
    const around = new Uint8Array(2 ** 20 + 16);
    around.set(bytes.subarray(0, 2 ** 20), 16);
    await first.update(around.subarray(16));
    expect(around.byteLength).toBe(2 ** 20 + 16);
    const state = await first.save();
    first.close();
    const second = thread(hash, size, state);
    await feed(second, bytes.subarray(2 ** 20), 512 * 1024);
    expect(await second.digest()).toBe(hash.value);
    second.close();
  });

  it('reset() starts over (a server that ignored Range), git-sha1 included', async () => {
    const bytes = randomBytes(100_000);
    const hash: FileHash = { algorithm: 'git-sha1', value: await fileHash(new Blob([bytes]), 'git-sha1') };
    const hasher = thread(hash, bytes.length);
    await hasher.update(randomBytes(5000));
    hasher.reset();
    await feed(hasher, bytes, 30_000);
    expect(await hasher.digest()).toBe(hash.value);
    hasher.close();
  });

  it('a thread whose file ended cleanly serves the next file; one closed with chunks unanswered is ended', async () => {
    const real = globalThis.Worker;
    let started = 0;
    globalThis.Worker = class extends real {
      constructor(...args: ConstructorParameters<typeof Worker>) {
        super(...args);
        started++;
      }
    };
    try {
      const size = 2 * 2 ** 20 + 7;
      const bytes = randomBytes(size);
      const hash: FileHash = { algorithm: 'sha256', value: await sha256(new Blob([bytes])) };
      const first = thread(hash, size);
      await feed(first, bytes, 2 ** 20);
      expect(await first.digest()).toBe(hash.value);
      first.close();
      const before = started;
      // The same thread, started over: its digest is of the new file's bytes only.
      const second = thread(hash, size);
      expect(started).toBe(before);
      await feed(second, bytes, 2 ** 20);
      expect(await second.digest()).toBe(hash.value);
      await second.update(bytes.slice(0, 2 ** 20));
      second.close(); // a chunk not yet handed back: this thread must not serve another file
      const third = thread(hash, size);
      expect(started).toBe(before + 1);
      await feed(third, bytes, 512 * 1024);
      expect(await third.digest()).toBe(hash.value);
      third.close();
    } finally {
      globalThis.Worker = real;
    }
  });

  it('after close(), calls fail with a retryable NETWORK error instead of hanging', async () => {
    const hasher = thread({ algorithm: 'sha256', value: '0'.repeat(64) }, 10);
    hasher.close();
    await expect(hasher.digest()).rejects.toMatchObject({ code: 'NETWORK' });
    await expect(hasher.update(new Uint8Array(10))).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('the download worker hashes a large file on its own thread and a small one inline, both verified', async () => {
    const repo = await syntheticRepo('hash-thread', { 'big.bin': 12 * 2 ** 20, 'small.bin': 2 ** 20 });
    const tree = (await (await fetch(`${hub.url}/api/models/${repo}/tree/main`)).json()) as Array<{
      path: string;
      size: number;
      lfs?: { oid: string };
    }>;
    const worker = connectDownloadWorker();
    const storeName = uniqueName('store');
    try {
      const storage = await worker.probeStorage(storeName, 'auto');
      const results = [];
      for (const path of ['big.bin', 'small.bin']) {
        const entry = tree.find((file) => file.path === path)!;
        const task = {
          url: `${hub.url}/${repo}/resolve/main/${path}`,
          headers: {},
          storeName,
          storage,
          path,
          size: entry.size,
          hash: { algorithm: 'sha256' as const, value: entry.lfs!.oid },
          timeoutMs: 60_000,
          stallMs: 10_000,
          hashThread: true,
        };
        results.push(await worker.fetchBlob(task, () => {}));
      }
      expect(results.map((result) => [result.size, result.hashThread])).toEqual([
        [12 * 2 ** 20, true],
        [2 ** 20, false],
      ]);
    } finally {
      worker.terminate();
    }
  });
});
