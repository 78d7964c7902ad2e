import { StoreError } from '../errors/index.ts';
import { storageUnavailable } from './storage-error.ts';

/** The OPFS folders of a store: verified blobs, and partial downloads with their checkpoints. */
export interface OpfsDirs {
  blobs: FileSystemDirectoryHandle;
  partials: FileSystemDirectoryHandle;
}

/** Opens (creating as needed) `<storeName>/blobs` and `<storeName>/partials` in the origin private file system. */
export async function opfsDirs(storeName: string): Promise<OpfsDirs> {
  if (typeof navigator === 'undefined' || navigator.storage?.getDirectory === undefined) {
    throw new StoreError('STORAGE_UNAVAILABLE', 'This browser has no origin private file system (OPFS)');
  }
  try {
    const root = await navigator.storage.getDirectory();
    const store = await root.getDirectoryHandle(storeName, { create: true });
    const [blobs, partials] = await Promise.all([
      store.getDirectoryHandle('blobs', { create: true }),
      store.getDirectoryHandle('partials', { create: true }),
    ]);
    return { blobs, partials };
  } catch (error) {
    throw storageUnavailable(`Could not open the OPFS store "${storeName}"`, error);
  }
}

/** A handle to `name` in `dir`, or undefined when it does not exist. */
export async function maybeFile(dir: FileSystemDirectoryHandle, name: string): Promise<FileSystemFileHandle | undefined> {
  try {
    return await dir.getFileHandle(name);
  } catch (error) {
    if ((error as DOMException).name === 'NotFoundError') return undefined;
    throw storageUnavailable(`Cannot open ${name} in the OPFS store`, error);
  }
}

/** Removes `name` from `dir`; a missing entry is not an error. */
export async function removeEntry(dir: FileSystemDirectoryHandle, name: string): Promise<void> {
  try {
    await dir.removeEntry(name);
  } catch (error) {
    if ((error as DOMException).name !== 'NotFoundError') throw storageUnavailable(`Cannot remove ${name} from the OPFS store`, error);
  }
}
