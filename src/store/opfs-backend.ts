import type { BlobBackend, PartialInfo, PartialWriter } from './blob-backend.ts';
import { maybeFile, opfsDirs, removeEntry } from './opfs-dirs.ts';
import { storageUnavailable, storageWriteError } from './storage-error.ts';

/** Blob bytes as files in the origin private file system: `<store>/blobs/<key>`, `<store>/partials/<key>.part|.ckpt`. */
export async function openOpfsBackend(storeName: string): Promise<BlobBackend> {
  const dirs = await opfsDirs(storeName);
  return {
    kind: 'opfs',
    async blobFile(key, size) {
      const file = await (await maybeFile(dirs.blobs, key))?.getFile();
      return file !== undefined && file.size === size ? file : undefined;
    },
    async hasBlob(key, size) {
      return (await (await maybeFile(dirs.blobs, key))?.getFile())?.size === size;
    },
    async listBlobs() {
      const out: Array<{ key: string; size: number; committed: number }> = [];
      for (const [name, handle] of await entries(dirs.blobs)) {
        if (handle.kind !== 'file') continue;
        const file = await (handle as FileSystemFileHandle).getFile();
        out.push({ key: name, size: file.size, committed: file.lastModified });
      }
      return out;
    },
    removeBlob: (key) => removeEntry(dirs.blobs, key),
    async listPartials() {
      const names = new Map(await entries(dirs.partials));
      const out: PartialInfo[] = [];
      for (const [name, handle] of names) {
        if (handle.kind !== 'file') continue;
        const key = name.replace(/\.(part|ckpt)$/, '');
        if (name.endsWith('.ckpt') && names.has(`${key}.part`)) continue;
        const file = await (handle as FileSystemFileHandle).getFile();
        out.push({ key, size: name.endsWith('.part') ? file.size : 0, modified: file.lastModified, orphan: name.endsWith('.ckpt') });
      }
      return out;
    },
    async partialSize(key) {
      return (await (await maybeFile(dirs.partials, `${key}.part`))?.getFile())?.size ?? 0;
    },
    async removePartial(key) {
      await removeEntry(dirs.partials, `${key}.part`);
      await removeEntry(dirs.partials, `${key}.ckpt`);
    },
  };
}

/** Opens `partials/<key>.part` (+ `.ckpt`) through sync access handles (worker only); 'stored' when the blob is in place with `expectedSize` bytes. */
export async function openOpfsPartial(storeName: string, key: string, expectedSize: number): Promise<PartialWriter | 'stored'> {
  const dirs = await opfsDirs(storeName);
  let partHandle: FileSystemFileHandle;
  let data: FileSystemSyncAccessHandle;
  let ckpt: FileSystemSyncAccessHandle;
  try {
    const blob = await (await maybeFile(dirs.blobs, key))?.getFile();
    if (blob?.size === expectedSize) return 'stored';
    // Bytes of another size are not the blob (cut short behind the store's back): it is fetched again.
    if (blob !== undefined) await removeEntry(dirs.blobs, key);
    partHandle = await dirs.partials.getFileHandle(`${key}.part`, { create: true });
    data = await partHandle.createSyncAccessHandle();
  } catch (error) {
    throw storageUnavailable(`${key}: cannot open the partial download`, error);
  }
  try {
    ckpt = await (await dirs.partials.getFileHandle(`${key}.ckpt`, { create: true })).createSyncAccessHandle();
  } catch (error) {
    data.close();
    throw storageUnavailable(`${key}: cannot open the partial download's checkpoint`, error);
  }
  let size = data.getSize();
  let open = true;
  const release = (): void => {
    if (!open) return;
    open = false;
    data.close();
    ckpt.close();
  };
  return {
    size: () => size,
    async readCheckpoint() {
      const length = ckpt.getSize();
      if (length === 0 || length > 65536) return undefined;
      const bytes = new Uint8Array(length);
      ckpt.read(bytes, { at: 0 });
      return new TextDecoder().decode(bytes);
    },
    async read(into, at) {
      return data.read(into, { at });
    },
    async truncate(to) {
      data.truncate(to);
      size = to;
    },
    async append(chunk) {
      write(data, chunk, size);
      size += chunk.byteLength;
    },
    async checkpoint(text) {
      data.flush();
      const bytes = new TextEncoder().encode(text);
      ckpt.truncate(0);
      ckpt.write(bytes, { at: 0 });
      ckpt.flush();
    },
    async commit() {
      try {
        data.flush();
        if (data.getSize() !== size) return false;
        release();
        await (partHandle as unknown as { move(dir: FileSystemDirectoryHandle, name: string): Promise<void> }).move(dirs.blobs, key);
      } catch (error) {
        throw storageUnavailable(`${key}: cannot move the verified download into place`, error);
      }
      await removeEntry(dirs.partials, `${key}.ckpt`);
      return true;
    },
    async discard() {
      release();
      await removeEntry(dirs.partials, `${key}.part`);
      await removeEntry(dirs.partials, `${key}.ckpt`);
    },
    async close() {
      release();
    },
  };
}

function write(data: FileSystemSyncAccessHandle, chunk: Uint8Array, at: number): void {
  try {
    const written = data.write(chunk, { at });
    if (written !== chunk.byteLength) throw new DOMException(`short write (${written} of ${chunk.byteLength})`, 'QuotaExceededError');
  } catch (error) {
    throw storageWriteError(error, at);
  }
}

/** A folder's entries, read whole before the caller deletes any of them. */
async function entries(dir: FileSystemDirectoryHandle): Promise<Array<[string, FileSystemHandle]>> {
  const out: Array<[string, FileSystemHandle]> = [];
  for await (const entry of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) out.push(entry);
  return out;
}
