import { skipIf } from '../../test/support/engine.ts';
import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { setup, uniqueName } from '../../test/support/browser.ts';
import type { ChunkValues, PartialWriter } from './blob-backend.ts';
import { openIdbBackend, openIdbPartial } from './idb-backend.ts';

const MiB = 2 ** 20;

function bytesOf(length: number, seed: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let x = seed;
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    bytes[i] = x >>> 24;
  }
  return bytes;
}

/** The first index where `a` and `b` differ, or -1 (a deep toEqual over megabytes takes minutes). */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

async function open(storeName: string, key: string, values: ChunkValues, size = 9 * MiB + 123): Promise<PartialWriter> {
  const partial = await openIdbPartial(storeName, key, values, size);
  if (partial === 'stored') throw new Error('unexpectedly stored');
  return partial;
}

describe('IndexedDB blob chunks', () => {
  it.for(['blob', 'arraybuffer'] as const)(
    '%s values: appends across 4 MiB chunks, checkpoints, reopens, truncates and commits byte-exact',
    async (values, context) => {
      skipIf(
        context,
        values === 'blob' && setup.expect.chunks === 'arraybuffer' ? 'this engine refuses Blob values in IndexedDB' : undefined,
      );
      const storeName = uniqueName(`idb-${values}`);
      const key = `sha256-${values}`;
      const bytes = bytesOf(9 * MiB + 123, 7);
      let partial = await open(storeName, key, values);
      await partial.append(bytes.subarray(0, 3 * MiB));
      await partial.append(bytes.subarray(3 * MiB, 5 * MiB + 7));
      await partial.checkpoint('first');
      await partial.close();

      partial = await open(storeName, key, values);
      expect(partial.size()).toBe(5 * MiB + 7);
      expect(await partial.readCheckpoint()).toBe('first');
      const edge = new Uint8Array(16);
      expect(await partial.read(edge, 4 * MiB)).toBe(16);
      expect(edge).toEqual(bytes.subarray(4 * MiB, 4 * MiB + 16));
      await partial.truncate(3 * MiB + 5);
      expect(partial.size()).toBe(3 * MiB + 5);
      expect(await partial.readCheckpoint()).toBeUndefined();
      await partial.append(bytes.subarray(3 * MiB + 5));
      await partial.commit();

      const backend = await openIdbBackend(storeName);
      const file = await backend.blobFile(key, bytes.length);
      expect(file?.size).toBe(bytes.length);
      expect(firstDifference(new Uint8Array(await file!.arrayBuffer()), bytes)).toBe(-1);
      expect(await backend.listBlobs()).toEqual([{ key, size: bytes.length, committed: expect.any(Number) }]);
      expect(await backend.listPartials()).toEqual([]);
      expect(await openIdbPartial(storeName, key, values, bytes.length)).toBe('stored');
    },
  );
});

describe('IndexedDB chunks removed behind the writer', () => {
  const deleteChunk = async (storeName: string, key: string, index: number): Promise<void> => {
    const db = await openDB(`${storeName}-blobs`);
    await db.delete('chunks', [key, index]);
    db.close();
  };

  it('a partial with a chunk gone starts over, a commit that misses a chunk records nothing, a blob record without its chunks is not stored', async () => {
    const values: ChunkValues = setup.expect.chunks === 'arraybuffer' ? 'arraybuffer' : 'blob';
    const storeName = uniqueName('idb-holes');
    const key = 'sha256-holes';
    const bytes = bytesOf(9 * MiB, 3);
    let partial = await open(storeName, key, values, bytes.length);
    await partial.append(bytes.subarray(0, 5 * MiB));
    await partial.checkpoint('five');
    await partial.close();
    await deleteChunk(storeName, key, 0);

    partial = await open(storeName, key, values, bytes.length);
    expect(partial.size()).toBe(0);
    expect(await partial.readCheckpoint()).toBeUndefined();
    await partial.append(bytes.subarray(0, 5 * MiB));
    await deleteChunk(storeName, key, 0);
    await partial.append(bytes.subarray(5 * MiB));
    expect(await partial.commit()).toBe(false);
    const backend = await openIdbBackend(storeName);
    expect(await backend.listBlobs()).toEqual([]);
    await partial.discard();

    partial = await open(storeName, key, values, bytes.length);
    await partial.append(bytes);
    expect(await partial.commit()).toBe(true);
    await deleteChunk(storeName, key, 1);
    const reopened = await openIdbPartial(storeName, key, values, bytes.length);
    expect(reopened).not.toBe('stored');
    expect(await backend.listBlobs()).toEqual([]);
    if (reopened !== 'stored') await reopened.discard();
  });
});
