import { skipIf } from '../../test/support/engine.ts';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../errors/index.ts';
import { hub, managersClosedAfterEach, rejection, setup, uniqueName } from '../../test/support/browser.ts';
import { openIdbPartial } from './idb-backend.ts';

const manager = managersClosedAfterEach();
const MiB = 2 ** 20;

describe("a storage failure keeps the browser's own error", () => {
  it("a chunk IndexedDB refuses fails with the refusal itself as cause, not the transaction's AbortError", async () => {
    const storeName = uniqueName('refused');
    const proto = IDBObjectStore.prototype;
    const put = proto.put;
    // WebKit private browsing refuses Blob values for real; elsewhere the refusal is played by the page's IndexedDB.
    if (setup.expect.chunks !== 'arraybuffer') {
      proto.put = function (this: IDBObjectStore, value: unknown, key?: IDBValidKey) {
        const data = (value as { data?: unknown } | undefined)?.data;
        if (data instanceof Blob) throw new DOMException('Error preparing Blob/File data to be stored in object store', 'UnknownError');
        return put.call(this, value, key);
      } as typeof put;
    }
    try {
      const partial = await openIdbPartial(storeName, 'sha256-refused', 'blob', 8 * MiB);
      if (partial === 'stored') throw new Error('unexpectedly stored');
      const error = await rejection(partial.append(new Uint8Array(4 * MiB + 1)));
      expect(error).toBeInstanceOf(StoreError);
      expect(error.code).toBe('STORAGE_UNAVAILABLE');
      expect(error.message).toMatch(/^Write failed at byte \d+ \(UnknownError: .*Blob/);
      expect(error.details).toMatchObject({ causeName: 'UnknownError', causeMessage: expect.stringMatching(/Blob/) });
      expect((error.cause as DOMException).name).toBe('UnknownError');
      await partial.close();
    } finally {
      proto.put = put;
    }
  });

  it('a partial the worker cannot open fails the download with STORAGE_UNAVAILABLE, the DOMException kept across the worker hop', async (context) => {
    skipIf(
      context,
      setup.expect.backend === 'opfs' ? undefined : "plants a folder where the OPFS partial's checkpoint goes: OPFS engines only",
    );
    const repo = `hangar-test/${uniqueName('blocked')}`;
    const info = await hub.addRepo({ id: repo, commits: [{ files: { 'model.bin': { synthetic: { size: MiB, seed: 5 } } } }] });
    const key = `sha256-${info.commits[0]!.files[0]!.sha256}`;
    const mm = manager();
    const root = await navigator.storage.getDirectory();
    const partials = await (
      await root.getDirectoryHandle(mm.config.storeName, { create: true })
    ).getDirectoryHandle('partials', { create: true });
    // Only the worker opens the checkpoint: the page never reads it, so the error can only come across the hop.
    await partials.getDirectoryHandle(`${key}.ckpt`, { create: true });
    const error = await rejection(mm.download(repo).done);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('STORAGE_UNAVAILABLE');
    expect(error.message).toMatch(new RegExp(`^${key}: cannot open the partial download's checkpoint \\(\\w+Error: `));
    expect(error.details!.causeName).toMatch(/^\w+Error$/);
    expect((error.cause as Error).name).toBe(error.details!.causeName);
    expect((error.cause as Error).message).toBe(error.details!.causeMessage);
  });
});
