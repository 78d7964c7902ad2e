import { openDB } from 'idb';
import { inject } from 'vitest';

/** The engine of this browser project, the `cache.backend` its managers ask for, and where blob bytes must end up. */
export const setup = inject('setup');
/** The `cache.backend` test managers ask for. */
export const backend = setup.backend;

const CHUNK = 4 * 2 ** 20;
const inIndexedDb = setup.expect.backend === 'indexeddb';

/** A chunk's bytes as this engine's IndexedDB backend stores them. */
function chunkValue(bytes: Uint8Array): Blob | ArrayBuffer {
  return setup.expect.chunks === 'arraybuffer' ? bytes.slice().buffer : new Blob([bytes.slice()]);
}

/**
 * Names in a store's `blobs` or `partials` folder, the same for both backends: blob keys, and
 * `<key>.part` / `<key>.ckpt` for partial downloads.
 */
export async function storedNames(storeName: string, folder: 'blobs' | 'partials'): Promise<string[]> {
  if (inIndexedDb) {
    const db = await openDB(`${storeName}-blobs`);
    try {
      if (!db.objectStoreNames.contains(folder)) return [];
      const records = (await db.getAll(folder)) as Array<{ key: string; checkpoint?: string }>;
      if (folder === 'blobs') return records.map((record) => record.key).sort();
      return records
        .flatMap((record) => (record.checkpoint === undefined ? [`${record.key}.part`] : [`${record.key}.ckpt`, `${record.key}.part`]))
        .sort();
    } finally {
      db.close();
    }
  }
  const root = await navigator.storage.getDirectory();
  try {
    const dir = await (await root.getDirectoryHandle(storeName)).getDirectoryHandle(folder);
    const names: string[] = [];
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    return names.sort();
  } catch {
    return [];
  }
}

/** Leaves a partial download behind, as a crashed or foreign writer would. */
export async function plantPartial(storeName: string, key: string, bytes: Uint8Array, checkpoint?: string): Promise<void> {
  if (inIndexedDb) {
    const db = await openBlobDb(storeName);
    const tx = db.transaction(['chunks', 'partials'], 'readwrite');
    for (let index = 0; index * CHUNK < bytes.length; index++) {
      await tx.objectStore('chunks').put({ key, index, data: chunkValue(bytes.subarray(index * CHUNK, (index + 1) * CHUNK)) });
    }
    await tx.objectStore('partials').put({ key, size: bytes.length, checkpoint, modified: Date.now() });
    await tx.done;
    db.close();
    return;
  }
  const root = await navigator.storage.getDirectory();
  const partials = await (await root.getDirectoryHandle(storeName, { create: true })).getDirectoryHandle('partials', { create: true });
  const write = async (name: string, data: Uint8Array | string): Promise<void> => {
    const writable = await (await partials.getFileHandle(name, { create: true })).createWritable();
    await writable.write(data as FileSystemWriteChunkType);
    await writable.close();
  };
  await write(`${key}.part`, bytes);
  if (checkpoint !== undefined) await write(`${key}.ckpt`, checkpoint);
}

/** Changes bytes of a stored blob in place, as disk corruption would. */
export async function corruptBlob(storeName: string, key: string, at: number, bytes: Uint8Array): Promise<void> {
  if (inIndexedDb) {
    const db = await openBlobDb(storeName);
    const index = Math.floor(at / CHUNK);
    const chunk = (await db.get('chunks', [key, index])) as { data: Blob | ArrayBuffer };
    const data = new Uint8Array(chunk.data instanceof Blob ? await chunk.data.arrayBuffer() : chunk.data);
    data.set(bytes, at - index * CHUNK);
    await db.put('chunks', { key, index, data: chunkValue(data) });
    db.close();
    return;
  }
  const root = await navigator.storage.getDirectory();
  const blobs = await (await root.getDirectoryHandle(storeName)).getDirectoryHandle('blobs');
  const writable = await (await blobs.getFileHandle(key)).createWritable({ keepExistingData: true });
  await writable.write({ type: 'write', position: at, data: bytes as Uint8Array<ArrayBuffer> });
  await writable.close();
}

/** Loses part of a stored blob's bytes behind the store's back, its records kept: IndexedDB's first chunk, or OPFS's file cut to half. */
export async function cutBlob(storeName: string, key: string): Promise<void> {
  if (inIndexedDb) {
    const db = await openBlobDb(storeName);
    await db.delete('chunks', [key, 0]);
    db.close();
    return;
  }
  const root = await navigator.storage.getDirectory();
  const handle = await (await (await root.getDirectoryHandle(storeName)).getDirectoryHandle('blobs')).getFileHandle(key);
  const writable = await handle.createWritable({ keepExistingData: true });
  await writable.truncate(Math.floor((await handle.getFile()).size / 2));
  await writable.close();
}

/** Deletes a stored blob's bytes behind the store's back. */
export async function removeBlobBytes(storeName: string, key: string): Promise<void> {
  if (inIndexedDb) {
    const db = await openBlobDb(storeName);
    const tx = db.transaction(['chunks', 'blobs'], 'readwrite');
    await tx.objectStore('chunks').delete(IDBKeyRange.bound([key, 0], [key, Infinity]));
    await tx.objectStore('blobs').delete(key);
    await tx.done;
    db.close();
    return;
  }
  const root = await navigator.storage.getDirectory();
  await (await (await root.getDirectoryHandle(storeName)).getDirectoryHandle('blobs')).removeEntry(key);
}

function openBlobDb(storeName: string) {
  return openDB(`${storeName}-blobs`, 1, {
    upgrade(db) {
      db.createObjectStore('chunks', { keyPath: ['key', 'index'] });
      db.createObjectStore('partials', { keyPath: 'key' });
      db.createObjectStore('blobs', { keyPath: 'key' });
    },
  });
}
