import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction } from 'idb';
import { StoreError } from '../errors/index.ts';
import type { BlobBackend, ChunkValues, PartialWriter } from './blob-backend.ts';
import { storageUnavailable, storageWriteError } from './storage-error.ts';

interface BlobSchema extends DBSchema {
  /**
   * Blob bytes in 4 MiB records, keyed by blob key and index: Blob values, so they stay on disk,
   * or ArrayBuffers where the browser refuses Blob values (WebKit private browsing).
   */
  chunks: { key: [string, number]; value: { key: string; index: number; data: Blob | ArrayBuffer } };
  /** Partial downloads: bytes stored so far and the last checkpoint. */
  partials: { key: string; value: { key: string; size: number; checkpoint?: string; modified: number } };
  /** Complete, verified blobs (`committed`: when, ms since the epoch; absent in records from before it was kept). */
  blobs: { key: string; value: { key: string; size: number; committed?: number } };
}

type BlobDb = IDBPDatabase<BlobSchema>;
type PartialTx = IDBPTransaction<BlobSchema, Array<'chunks' | 'partials'>, 'readwrite'>;

const CHUNK = 4 * 2 ** 20;

function chunksOf(key: string, from = 0): IDBKeyRange {
  return IDBKeyRange.bound([key, from], [key, Infinity]);
}

/** Whether chunk `keys` (in key order) hold every chunk of `size` bytes: 0, 1, ... with none missing. */
function covers(keys: ReadonlyArray<[string, number]>, size: number): boolean {
  const count = Math.ceil(size / CHUNK);
  return keys.length >= count && keys.slice(0, count).every(([, index], at) => index === at);
}

/**
 * Removes a blob or a partial record. A partial and the blob it becomes share their chunk records:
 * removing a partial whose blob is committed (a stale record left beside it) removes the record
 * only, never the blob's bytes.
 */
async function remove(db: BlobDb, key: string, store: 'blobs' | 'partials'): Promise<void> {
  const tx = db.transaction(['chunks', 'blobs', 'partials'], 'readwrite');
  if (store === 'blobs' || (await tx.objectStore('blobs').get(key)) === undefined) await tx.objectStore('chunks').delete(chunksOf(key));
  await tx.objectStore(store).delete(key);
  await tx.done;
}

async function openBlobDb(storeName: string): Promise<BlobDb> {
  if (typeof indexedDB === 'undefined') throw new StoreError('STORAGE_UNAVAILABLE', 'This browser has no IndexedDB');
  try {
    return await openDB<BlobSchema>(`${storeName}-blobs`, 1, {
      upgrade(db) {
        db.createObjectStore('chunks', { keyPath: ['key', 'index'] });
        db.createObjectStore('partials', { keyPath: 'key' });
        db.createObjectStore('blobs', { keyPath: 'key' });
      },
    });
  } catch (error) {
    throw storageUnavailable(`Could not open the IndexedDB blob store of "${storeName}"`, error);
  }
}

/** Blob bytes as chunked records in IndexedDB (`<store>-blobs`), for browsers without OPFS or by choice. Reads both kinds of chunk values. */
export async function openIdbBackend(storeName: string): Promise<BlobBackend> {
  const db = await openBlobDb(storeName);
  return {
    kind: 'indexeddb',
    async blobFile(key, size) {
      const record = await db.get('blobs', key);
      if (record === undefined || record.size !== size) return undefined;
      // One chunk at a time: an ArrayBuffer chunk (private browsing) becomes a Blob before the next is read, so reading
      // never holds a second copy of the whole file.
      const parts: Blob[] = [];
      for (let index = 0; index * CHUNK < size; index++) {
        const chunk = await db.get('chunks', [key, index]);
        if (chunk === undefined) return undefined;
        parts.push(chunk.data instanceof Blob ? chunk.data : new Blob([chunk.data]));
      }
      const file = new File(parts, key);
      return file.size === size ? file : undefined;
    },
    async hasBlob(key, size) {
      const tx = db.transaction(['blobs', 'chunks']);
      const [record, keys] = await Promise.all([tx.objectStore('blobs').get(key), tx.objectStore('chunks').getAllKeys(chunksOf(key))]);
      return record?.size === size && covers(keys, size);
    },
    listBlobs: async () => (await db.getAll('blobs')).map(({ key, size, committed }) => ({ key, size, committed: committed ?? 0 })),
    removeBlob: (key) => remove(db, key, 'blobs'),
    listPartials: async () => (await db.getAll('partials')).map(({ key, size, modified }) => ({ key, size, modified, orphan: false })),
    partialSize: async (key) => (await db.get('partials', key))?.size ?? 0,
    removePartial: (key) => remove(db, key, 'partials'),
  };
}

/**
 * Opens the partial download of `key` in IndexedDB. Bytes gather in a 4 MiB tail buffer; each full
 * chunk is stored with the partial's new size in one transaction, and a checkpoint stores the tail
 * and the checkpoint text together, so size and checkpoint never disagree with the chunks.
 */
export async function openIdbPartial(
  storeName: string,
  key: string,
  values: ChunkValues,
  expectedSize: number,
): Promise<PartialWriter | 'stored'> {
  const db = await openBlobDb(storeName);
  const stored = await db.get('blobs', key);
  if (stored !== undefined) {
    if (stored.size === expectedSize && covers(await db.getAllKeys('chunks', chunksOf(key)), stored.size)) {
      db.close();
      return 'stored';
    }
    // A record without all its chunks (removed behind the store's back) is not the blob: it is fetched again.
    await remove(db, key, 'blobs');
  }
  const record = (await db.get('partials', key)) ?? { key, size: 0, modified: Date.now() };
  // Only a partial whose chunks are all there is continued.
  if (!covers(await db.getAllKeys('chunks', chunksOf(key)), record.size)) {
    record.size = 0;
    delete record.checkpoint;
  }
  let index = Math.floor(record.size / CHUNK);
  let tail = new Uint8Array(CHUNK);
  let tailLength = 0;
  const chunkBytes = async (at: number): Promise<Uint8Array | undefined> => {
    const chunk = await db.get('chunks', [key, at]);
    if (chunk === undefined) return undefined;
    return new Uint8Array(chunk.data instanceof Blob ? await chunk.data.arrayBuffer() : chunk.data);
  };
  if (record.size > index * CHUNK) {
    const bytes = await chunkBytes(index);
    if (bytes === undefined || bytes.length < record.size - index * CHUNK) {
      record.size = 0; // chunks and record disagree (an outside edit): start over
      index = 0;
    } else {
      tailLength = record.size - index * CHUNK;
      tail.set(bytes.subarray(0, tailLength));
    }
  }
  const size = (): number => index * CHUNK + tailLength;
  /** Runs `write` in one transaction; a request's own error (which names the cause) wins over the transaction's AbortError. */
  const put = async (write: (tx: PartialTx) => Array<Promise<unknown>>): Promise<void> => {
    try {
      const tx = db.transaction(['chunks', 'partials'], 'readwrite');
      await Promise.all([...write(tx), tx.done]);
    } catch (error) {
      throw storageWriteError(error, size());
    }
  };
  // put() copies its value at once (a Blob is built, an ArrayBuffer cloned), so the tail buffer can be reused at once.
  const putTail = (chunks: { put(value: BlobSchema['chunks']['value']): Promise<unknown> }): Array<Promise<unknown>> => {
    if (tailLength === 0) return [];
    const bytes = tail.subarray(0, tailLength);
    const data = values === 'blob' ? new Blob([bytes]) : tailLength === CHUNK ? tail.buffer : bytes.slice().buffer;
    return [chunks.put({ key, index, data })];
  };
  return {
    size,
    readCheckpoint: async () => record.checkpoint,
    async read(into, at) {
      const inChunk = Math.floor(at / CHUNK);
      const bytes = inChunk === index ? tail.subarray(0, tailLength) : await chunkBytes(inChunk);
      if (bytes === undefined) return 0;
      const part = bytes.subarray(at - inChunk * CHUNK, at - inChunk * CHUNK + into.length);
      into.set(part);
      return part.length;
    },
    async truncate(to) {
      if (to === size()) return;
      const newIndex = Math.floor(to / CHUNK);
      const keep = to - newIndex * CHUNK;
      const bytes = newIndex === index ? tail.slice(0, keep) : ((await chunkBytes(newIndex))?.slice(0, keep) ?? new Uint8Array(0));
      await put((tx) => [
        tx.objectStore('chunks').delete(chunksOf(key, newIndex)),
        tx.objectStore('partials').put({ ...record, size: newIndex * CHUNK, checkpoint: undefined, modified: Date.now() }),
      ]);
      record.size = newIndex * CHUNK;
      delete record.checkpoint;
      index = newIndex;
      tail = new Uint8Array(CHUNK);
      tail.set(bytes);
      tailLength = bytes.length;
    },
    async append(chunk) {
      for (let at = 0; at < chunk.length;) {
        const take = Math.min(CHUNK - tailLength, chunk.length - at);
        tail.set(chunk.subarray(at, at + take), tailLength);
        tailLength += take;
        at += take;
        if (tailLength === CHUNK) {
          record.size = (index + 1) * CHUNK;
          record.modified = Date.now();
          await put((tx) => [...putTail(tx.objectStore('chunks')), tx.objectStore('partials').put({ ...record })]);
          index++;
          tailLength = 0;
        }
      }
    },
    async checkpoint(text) {
      record.size = size();
      record.checkpoint = text;
      record.modified = Date.now();
      await put((tx) => [...putTail(tx.objectStore('chunks')), tx.objectStore('partials').put({ ...record })]);
    },
    async commit() {
      try {
        // The record is written only in the transaction that sees every chunk of the blob.
        const tx = db.transaction(['chunks', 'partials', 'blobs'], 'readwrite');
        const chunks = tx.objectStore('chunks');
        await Promise.all(putTail(chunks));
        if (!covers(await chunks.getAllKeys(chunksOf(key)), size())) {
          tx.abort();
          await tx.done.catch(() => {});
          return false;
        }
        await Promise.all([
          tx.objectStore('blobs').put({ key, size: size(), committed: Date.now() }),
          tx.objectStore('partials').delete(key),
          tx.done,
        ]);
      } catch (error) {
        db.close();
        throw storageWriteError(error, size());
      }
      db.close();
      return true;
    },
    async discard() {
      const tx = db.transaction(['chunks', 'partials'], 'readwrite');
      void tx.objectStore('chunks').delete(chunksOf(key));
      void tx.objectStore('partials').delete(key);
      await tx.done;
      db.close();
    },
    async close() {
      db.close();
    },
  };
}
