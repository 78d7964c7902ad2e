import { describe, expect, it } from 'vitest';
import { StoreError, type BackgroundFailure } from './index.ts';
import { managersClosedAfterEach, syntheticRepo, until } from '../test/support/browser.ts';

const manager = managersClosedAfterEach();

describe('background work that fails is told', () => {
  it('an automatic clean that fails reaches error listeners as a StoreError, and the download itself succeeds', async () => {
    const repo = await syntheticRepo('clean-fails', { 'config.json': '{}' });
    const mm = manager();
    const failures: BackgroundFailure[] = [];
    mm.on('error', (failure) => failures.push(failure));
    // Only a clean lists every blob record: it fails, the download's own reads and writes do not.
    const getAllKeys = IDBObjectStore.prototype.getAllKeys;
    IDBObjectStore.prototype.getAllKeys = function (this: IDBObjectStore, ...args: Parameters<typeof getAllKeys>) {
      if (this.name === 'blobs' && this.transaction.db.name.endsWith('-meta')) throw new DOMException('disk gone', 'UnknownError');
      return getAllKeys.apply(this, args);
    };
    try {
      await mm.download(repo).done;
      await until(() => failures.length >= 2); // the clean at start-up, and the one after the download
    } finally {
      IDBObjectStore.prototype.getAllKeys = getAllKeys;
    }
    for (const { task, error } of failures) {
      expect(task).toBe('auto-clean');
      expect(error).toBeInstanceOf(StoreError);
      expect(error.code).toBe('STORAGE_UNAVAILABLE');
      expect(error.details).toMatchObject({ causeName: 'UnknownError' });
    }
  });
});
