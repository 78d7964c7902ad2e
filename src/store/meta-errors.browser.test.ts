import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../index.ts';
import { managersClosedAfterEach, rejection, syntheticRepo } from '../../test/support/browser.ts';
import { META_VERSION } from './meta-db.ts';

const manager = managersClosedAfterEach();

/** Every metadata call of `mm.cache`, each as a promise. */
function metadataCalls(mm: ReturnType<typeof manager>, repo: string): Record<string, () => Promise<unknown>> {
  return {
    list: () => mm.cache.list(),
    file: () => mm.cache.file(repo, 'config.json'),
    load: () => mm.cache.load(repo),
    pin: () => mm.cache.pin(repo),
    delete: () => mm.cache.delete(repo),
    usage: () => mm.cache.usage(),
    blobs: () => mm.cache.blobs(),
  };
}

describe('metadata errors are StoreErrors', () => {
  it('after another tab upgrades the metadata database, every call says to reload (StoreError), not a raw DOMException', async () => {
    const repo = await syntheticRepo('upgraded', { 'config.json': '{}' });
    const mm = manager();
    await mm.download(repo).done;
    // A newer version of the app in another tab: its upgrade waits for this tab to let go.
    const newer = await openDB(`${mm.config.storeName}-meta`, META_VERSION + 1);
    newer.close();
    for (const [name, call] of Object.entries(metadataCalls(mm, repo))) {
      const error = await rejection(call());
      expect(error, name).toBeInstanceOf(StoreError);
      expect(error.code, name).toBe('STORE_UPGRADED');
      expect(error.message, name).toMatch(/reload/i);
    }
  });

  it('after another tab deletes the metadata database, the store opens it again and goes on', async () => {
    const repo = await syntheticRepo('deleted', { 'config.json': '{}' });
    const mm = manager();
    await mm.download(repo).done;
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(`${mm.config.storeName}-meta`);
      request.onsuccess = () => resolve();
      request.onerror = () => reject(request.error ?? new Error('delete failed'));
    });
    expect(await mm.cache.list()).toEqual([]);
    await mm.download(repo).done;
    expect((await mm.cache.list()).map((model) => model.repo)).toEqual([repo]);
  });

  it('a QuotaExceededError writing metadata is StoreError QUOTA_EXCEEDED, and a read that cannot record its use still reads', async () => {
    const repo = await syntheticRepo('meta-quota', { 'config.json': '{"a":1}' });
    const mm = manager();
    await mm.download(repo).done;
    const put = IDBObjectStore.prototype.put;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
      if (this.transaction.db.name.endsWith('-meta')) throw new DOMException('full', 'QuotaExceededError');
      return put.call(this, value, key);
    } as typeof put;
    try {
      expect(await (await mm.cache.file(repo, 'config.json')).text()).toBe('{"a":1}');
      const error = await rejection(mm.cache.pin(repo));
      expect(error).toBeInstanceOf(StoreError);
      expect(error.code).toBe('QUOTA_EXCEEDED');
      expect(error.details).toMatchObject({ causeName: 'QuotaExceededError' });
    } finally {
      IDBObjectStore.prototype.put = put;
    }
  });
});
