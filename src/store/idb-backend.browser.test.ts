import { skipIf } from '../../test/support/engine.ts';
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

async function open(storeName: string, key: string, values: ChunkValues): Promise<PartialWriter> {
  const partial = await openIdbPartial(storeName, key, values);
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
      expect(await openIdbPartial(storeName, key, values)).toBe('stored');
    },
  );
});
