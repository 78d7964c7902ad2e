import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { AbortError, HangarError } from '../index.ts';
import { corruptBlob, hub, managersClosedAfterEach, rejection, sha256, syntheticRepo, until } from '../../test/support/browser.ts';

const manager = managersClosedAfterEach();
const MiB = 2 ** 20;

/** Resolves once the Hub has answered the head of `repo`'s revision request (a stall fault then holds its body). */
const revisionAsked = (repo: string): Promise<void> =>
  until(async () => (await hub.stats(repo)).requests.some((request) => request.url.includes('/revision/') && request.status !== 0));

/**
 * Collects errors nobody handled while `body` runs (a raw DOMException escaping a closed channel,
 * say) and until `settled` has seen the last of what `body` left running end.
 */
async function unhandledDuring(body: () => Promise<void>, settled: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const onRejection = (event: PromiseRejectionEvent): void => void seen.push(event.reason);
  const onError = (event: ErrorEvent): void => void seen.push(event.error ?? event.message);
  addEventListener('unhandledrejection', onRejection);
  addEventListener('error', onError);
  try {
    await body();
    await settled();
  } finally {
    removeEventListener('unhandledrejection', onRejection);
    removeEventListener('error', onError);
  }
  return seen;
}

describe('closing the manager', () => {
  it('close() mid-download rejects the job with AbortError reason close, and nothing escapes untyped', async () => {
    const repo = await syntheticRepo('close', { 'a.bin': 2 * MiB, 'b.bin': 2 * MiB, 'config.json': '{}' });
    await hub.addFault({ repo, times: 0, fault: { type: 'throttle', bytesPerSecond: MiB } });
    const mm = manager();
    const job = mm.download(repo);
    let error: Error | undefined;
    const escaped = await unhandledDuring(
      async () => {
        await until(() => job.progress.loaded > 64 * 1024);
        mm.close();
        error = await rejection(job.done);
      },
      // What close() cut short last: the bodies the Hub was sending. Once it has seen each one end, the page has let go of them.
      () => until(async () => Object.values((await hub.stats(repo)).files).every((file) => file.inFlight === 0)),
    );
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).details.reason).toBe('close');
    expect(job.progress.state).toBe('cancelled');
    expect(escaped).toEqual([]);
  });

  it('close() while the revision is still resolving rejects the same way', async () => {
    const repo = await syntheticRepo('close-early', { 'a.bin': 1024 });
    await hub.addFault({ repo, origin: 'hub', fault: { type: 'stall', afterBytes: 1, ms: 2000 } });
    const mm = manager();
    const job = mm.download(repo);
    // The store the job opens is open and its revision request is stalled at the Hub: close() finds the job resolving, nothing else under way.
    await mm.cache.usage();
    await revisionAsked(repo);
    expect(job.progress.state).toBe('resolving');
    let requests = 0;
    const escaped = await unhandledDuring(
      async () => {
        requests = (await hub.stats(repo)).requests.length;
        mm.close();
        const error = await rejection(job.done);
        expect(error).toBeInstanceOf(AbortError);
        expect((error as AbortError).details.reason).toBe('close');
      },
      // The stalled request was the last thing under way and its abort ended the job; nothing was asked after it.
      async () => expect((await hub.stats(repo)).requests).toHaveLength(requests),
    );
    expect(escaped).toEqual([]);
  });
});

describe('a verified blob is never thrown away', () => {
  it('bytes committed without their record (a reload between the two) are adopted after a hash check, not deleted and fetched again', async () => {
    const repo = await syntheticRepo('adopt', { 'model.bin': MiB, 'config.json': '{"a":1}' });
    const first = manager();
    const model = await first.download(repo).done;
    const storeName = first.config.storeName;
    first.close();
    // The state a reload leaves between "moved into blobs/" and "recorded": bytes in place, no snapshot, no blob record.
    const meta = await openDB(`${storeName}-meta`);
    await meta.clear('snapshots');
    await meta.clear('refs');
    await meta.clear('blobs');
    meta.close();
    const served = (await hub.stats()).files[`${repo}/model.bin`]!.bytes;
    const second = manager({ storeName });
    await second.cache.clean(); // what start-up does: it must keep the unrecorded, verified bytes
    const again = await second.download(repo).done;
    expect(again.commit).toBe(model.commit);
    expect((await hub.stats()).files[`${repo}/model.bin`]!.bytes).toBe(served);
    expect((await second.cache.verify()).bad).toEqual([]);
  });

  it('unrecorded bytes that no longer match their name are dropped and fetched again', async () => {
    const repo = await syntheticRepo('adopt-bad', { 'model.bin': MiB });
    const first = manager();
    const model = await first.download(repo).done;
    const storeName = first.config.storeName;
    first.close();
    const meta = await openDB(`${storeName}-meta`);
    await meta.clear('snapshots');
    await meta.clear('blobs');
    meta.close();
    const file = model.files[0]!;
    await corruptBlob(storeName, `${file.hash.algorithm}-${file.hash.value}`, 1000, new Uint8Array([1, 2, 3]));
    const second = manager({ storeName });
    await second.download(repo).done;
    expect((await second.cache.verify()).bad).toEqual([]);
    expect(await sha256(await second.cache.file(repo, 'model.bin'))).toBe(file.hash.value);
  });
});

describe('every error is typed, with the right retry policy', () => {
  it('cancel() while the revision is resolving ends in AbortError reason cancel', async () => {
    const repo = await syntheticRepo('cancel-early', { 'a.bin': 1024 });
    await hub.addFault({ repo, origin: 'hub', fault: { type: 'stall', afterBytes: 1, ms: 3000 } });
    const job = manager().download(repo);
    await revisionAsked(repo);
    expect(job.progress.state).toBe('resolving');
    job.cancel();
    const error = await rejection(job.done);
    expect(error).toBeInstanceOf(AbortError);
    expect((error as AbortError).details.reason).toBe('cancel');
  });

  it.for([
    ['QuotaExceededError', 'QUOTA_EXCEEDED'],
    ['TypeError', 'INTERNAL'],
  ] as const)('a %s writing metadata is %s, reported at once, not retried as a network failure', async ([name, code]) => {
    const repo = await syntheticRepo(`meta-${name}`, { 'a.bin': 64 * 1024 });
    const mm = manager();
    await mm.cache.usage(); // the store is open: only the download's own writes meet the failure
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (this.name === 'snapshots')
        throw name === 'TypeError' ? new TypeError('not what anyone expected') : new DOMException('full', name);
      return put.call(this, value, key);
    } as typeof put;
    try {
      const job = mm.download(repo);
      const retries: string[] = [];
      job.on('retry', (event) => retries.push(event.error.code));
      const error = await rejection(job.done);
      expect(error).toBeInstanceOf(HangarError);
      expect([error.code, (error as HangarError).retryable]).toEqual([code, false]);
      expect(error.details).toMatchObject({ causeName: name });
      expect(retries).toEqual([]);
    } finally {
      IDBObjectStore.prototype.put = put;
    }
  });

  it('metrics count every byte fetched, those fetched again after a restart from byte 0 too', async () => {
    const repo = await syntheticRepo('refetched', { 'model.bin': 2 * MiB });
    await hub.addFault({ repo, path: 'model.bin', fault: { type: 'drop', afterBytes: MiB, lingerMs: 300 } });
    await hub.addFault({ repo, path: 'model.bin', fault: { type: 'ignore-range' } });
    const mm = manager();
    await mm.download(repo).done;
    const served = (await hub.stats()).files[`${repo}/model.bin`]!.bytes;
    expect(served).toBeGreaterThan(2 * MiB);
    expect(mm.metrics().downloads.bytesFetched).toBe(served);
  });
});
