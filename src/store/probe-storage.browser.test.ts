import { describe, expect, it } from 'vitest';
import { StoreError } from '../errors/index.ts';
import { hub, managersClosedAfterEach, rejection, setup, uniqueName } from '../../test/support/browser.ts';
import { checkStorage, probeStorage } from './probe-storage.ts';

const manager = managersClosedAfterEach();
const TINY = 'hangar-test/tiny-multi';

/** Runs `body` with IndexedDB refusing Blob values on this page, the way WebKit's private browsing does (the put fails, the transaction aborts). */
async function withBlobValuesRefused<T>(body: () => Promise<T>, refuseBuffers = false): Promise<T> {
  const proto = IDBObjectStore.prototype;
  const put = proto.put;
  proto.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
    const refused = value instanceof Blob || (refuseBuffers && value instanceof ArrayBuffer);
    if (refused) throw new DOMException('Error preparing Blob/File data to be stored in object store', 'UnknownError');
    return put.call(this, value, key);
  } as typeof put;
  try {
    return await body();
  } finally {
    proto.put = put;
  }
}

describe('where blob bytes live: found by trying, in every engine', () => {
  it(`a manager's store uses what this engine can really do (${setup.expect.backend}${setup.expect.chunks === undefined ? '' : `, ${setup.expect.chunks} chunks`}) and says why in usage() and probe()`, async () => {
    const mm = manager();
    await mm.download(TINY, { files: ['config.json', 'onnx/model_quantized.onnx'] }).done;
    const usage = await mm.cache.usage();
    expect(usage.backend).toBe(setup.expect.backend);
    expect(usage.storage.backend).toBe(setup.expect.backend);
    expect(usage.storage.chunks).toBe(setup.expect.chunks);
    expect(usage.storage.reason).toMatch(
      setup.expect.backend === 'opfs' ? /OPFS sync access handles work in a worker$/ : /IndexedDB stores \w+ values/,
    );
    if (setup.backend === 'auto' && setup.expect.backend === 'indexeddb') {
      // The engine offers OPFS (getDirectory) or not; either way the reason says how OPFS failed before IndexedDB was chosen.
      expect(usage.storage.reason).toMatch(/OPFS sync access handles failed \(\w+Error: /);
      expect(usage.storage.errors?.[0]?.what).toBe('OPFS sync access handles');
    }
    if (setup.expect.chunks === 'arraybuffer') expect(usage.storage.reason).toMatch(/IndexedDB Blob values failed \(\w+Error: .+\)/);
    expect((await mm.probe()).storage.blobs).toEqual(usage.storage);
    expect((await mm.cache.verify()).bad).toEqual([]);
  });

  it('on a page (no sync access handles outside workers) auto falls back to IndexedDB and names what failed', async () => {
    const found = await probeStorage(uniqueName('page'), 'auto');
    expect(found.backend).toBe('indexeddb');
    expect(found.chunks).toBe(setup.expect.chunks ?? 'blob');
    expect(found.reason).toMatch(/^auto; OPFS sync access handles failed \(\w+Error: .+\); IndexedDB stores/);
  });

  it('where IndexedDB refuses Blob values it keeps ArrayBuffer chunks, and says so', async () => {
    const found = await withBlobValuesRefused(() => probeStorage(uniqueName('no-blobs'), 'indexeddb'));
    expect(found).toMatchObject({ backend: 'indexeddb', chunks: 'arraybuffer' });
    expect(found.reason).toBe(
      'cache.backend is indexeddb; IndexedDB Blob values failed (UnknownError: Error preparing Blob/File data to be stored in object store); IndexedDB stores ArrayBuffer values (not Blob values)',
    );
  });

  it('when nothing works the store does not open: STORAGE_UNAVAILABLE lists what was tried, the last failure as cause', async () => {
    const found = await withBlobValuesRefused(() => probeStorage(uniqueName('nothing'), 'auto'), true);
    expect(found.backend).toBe('none');
    const error = (() => {
      try {
        checkStorage(found);
      } catch (thrown) {
        return thrown as StoreError;
      }
      throw new Error('expected checkStorage to throw');
    })();
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.message).toMatch(
      /^No storage for model files works in this browser: OPFS sync access handles failed \(\w+Error: .+\); IndexedDB Blob values failed \(UnknownError: .+\); IndexedDB ArrayBuffer values failed \(UnknownError: .+\)$/,
    );
    expect(error.cause).toMatchObject({ name: 'UnknownError', message: 'Error preparing Blob/File data to be stored in object store' });
    expect(error.details['IndexedDB ArrayBuffer values']).toBe('UnknownError: Error preparing Blob/File data to be stored in object store');
  });

  it(`forcing cache.backend 'opfs' ${setup.opfs ? 'works here' : 'fails at open with a clear message, before any request'}`, async () => {
    await hub.reset();
    const mm = manager({ cache: { backend: 'opfs' } });
    if (setup.opfs) {
      await mm.download(TINY, { files: ['config.json'] }).done;
      expect((await mm.cache.usage()).backend).toBe('opfs');
      return;
    }
    const error = await rejection(mm.cache.usage());
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.message).toMatch(
      /^cache\.backend is 'opfs', and it does not work in this browser: OPFS sync access handles failed \(\w+Error: .+\)$/,
    );
    const failed = await rejection(mm.download(TINY, { files: ['config.json'] }).done);
    expect(failed.code).toBe('STORAGE_UNAVAILABLE');
    expect((await hub.stats()).requests.filter((request) => request.url.includes('/resolve/'))).toEqual([]);
  });
});
