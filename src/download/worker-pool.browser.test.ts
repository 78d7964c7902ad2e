import { afterEach, describe, expect, it } from 'vitest';
import { managersClosedAfterEach, rejection, sha256, syntheticRepo } from '../../test/support/browser.ts';
import type { BlobHashReport } from './hash-blob.ts';
import { WorkerPool, type WorkerLease } from './worker-pool.ts';

const manager = managersClosedAfterEach();
const pools: WorkerPool[] = [];
afterEach(() => {
  for (const pool of pools.splice(0)) pool.terminate();
});

function pool(size: number, cores = 2): WorkerPool {
  const created = new WorkerPool(size, cores);
  pools.push(created);
  return created;
}

async function hashWith({ worker }: WorkerLease, text: string): Promise<BlobHashReport> {
  const blob = new Blob([text]);
  return worker.hashBlob(blob, { algorithm: 'sha256', value: await sha256(blob) });
}

describe('the download worker pool', () => {
  it('starts workers only when needed: an idle one is reused, a busy one gets a new one beside it', async () => {
    const workers = pool(2);
    expect(workers.running).toBe(0);
    const first = workers.lease();
    first.release();
    const again = workers.lease();
    expect(again.worker).toBe(first.worker);
    expect(workers.running).toBe(1);
    const second = workers.lease();
    expect(second.worker).not.toBe(again.worker);
    expect(workers.running).toBe(2);
    // Both are real, separate workers that each do the work.
    expect((await Promise.all([hashWith(again, 'a'), hashWith(second, 'b')])).every((report) => report.ok)).toBe(true);
  });

  it('never runs more than its size: a third lease shares the least busy worker', () => {
    const workers = pool(2);
    const a = workers.lease();
    const b = workers.lease();
    const c = workers.lease();
    expect(workers.running).toBe(2);
    expect([a.worker, b.worker]).toContain(c.worker);
    // c shares a's worker (both tied at one lease, the first wins); once b is released its worker is the free one.
    b.release();
    b.release(); // a second release changes nothing
    expect(workers.lease().worker).toBe(b.worker);
  });

  it('offers a hash thread to a lease while every lease so far can have two cores', () => {
    const workers = pool(3, 4);
    const a = workers.lease();
    const b = workers.lease();
    const c = workers.lease();
    expect([a.hashThread, b.hashThread, c.hashThread]).toEqual([true, true, false]);
    c.release();
    b.release();
    expect(workers.lease().hashThread).toBe(true);
    expect(pool(1, 1).lease().hashThread).toBe(false);
  });

  it('replaces a worker that died, and the primary too', async () => {
    const workers = pool(2);
    const lease = workers.lease();
    expect(workers.primary()).toBe(lease.worker);
    lease.worker.terminate();
    lease.release();
    const next = workers.lease();
    expect(next.worker).not.toBe(lease.worker);
    expect(next.worker.alive).toBe(true);
    expect(workers.primary()).toBe(next.worker);
    expect((await hashWith(next, 'still works')).ok).toBe(true);
  });

  it('terminate() stops every worker: their pending calls fail with AbortError', async () => {
    const workers = pool(2);
    const lease = workers.lease();
    const pending = lease.worker.hashBlob(new Blob([new Uint8Array(64 * 2 ** 20)]), { algorithm: 'sha256', value: '0'.repeat(64) });
    workers.terminate();
    expect((await rejection(pending)).code).toBe('ABORTED');
    expect(workers.running).toBe(0);
  });

  it('a job with two large files and two slots fetches them on two download workers at once', async () => {
    const spawned: string[] = [];
    const Original = globalThis.Worker;
    globalThis.Worker = class extends Original {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        spawned.push(options?.name ?? '');
      }
    };
    try {
      const repo = await syntheticRepo('two-workers', { 'a.bin': 8 * 2 ** 20, 'b.bin': 8 * 2 ** 20 });
      const mm = manager({ download: { concurrent: 2 } });
      const model = await mm.download(repo).done;
      expect(model.files).toHaveLength(2);
      expect(spawned.filter((name) => name === 'hangar-download')).toHaveLength(Math.min(2, navigator.hardwareConcurrency));
    } finally {
      globalThis.Worker = Original;
    }
  });
});
