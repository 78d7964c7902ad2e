import { BackupError, isHangarError } from '../errors/index.ts';
import { parseBackupManifest, type BackupManifest } from './backup-manifest.ts';

/** The layout of a backup folder: `blobs/<key>` (content-addressed, written once) and `snapshots/<time>.json`. */
const BLOBS = 'blobs';
const SNAPSHOTS = 'snapshots';

type Entries = { entries(): AsyncIterable<[string, FileSystemHandle]> };

/**
 * A backup folder on a FileSystemDirectoryHandle (a folder the user picked, or an OPFS folder). A
 * blob is written through `createWritable()`, whose bytes become visible only on `close()`: an
 * interrupted write leaves no half-written blob, and the next run writes it again.
 */
export class BackupFolder {
  readonly #blobs: FileSystemDirectoryHandle;
  readonly #snapshots: FileSystemDirectoryHandle;

  private constructor(blobs: FileSystemDirectoryHandle, snapshots: FileSystemDirectoryHandle) {
    this.#blobs = blobs;
    this.#snapshots = snapshots;
  }

  /** The backup layout in `root`; `create` makes its folders (for writing), else BACKUP_INVALID where they are missing. */
  static async open(root: FileSystemDirectoryHandle, create: boolean): Promise<BackupFolder> {
    return folderCall(`open ${root.name}`, async () => {
      try {
        return new BackupFolder(await root.getDirectoryHandle(BLOBS, { create }), await root.getDirectoryHandle(SNAPSHOTS, { create }));
      } catch (error) {
        if ((error as DOMException).name !== 'NotFoundError' && (error as DOMException).name !== 'TypeMismatchError') throw error;
        throw new BackupError('BACKUP_INVALID', `The folder ${root.name} holds no Hangar backup (no blobs/ and snapshots/ folders)`, {
          cause: error,
          details: { folder: root.name },
        });
      }
    });
  }

  /** The size of blob `key` in the folder, or undefined when it is not there. */
  async blobSize(key: string): Promise<number | undefined> {
    return (await this.readBlob(key))?.size;
  }

  /** Blob `key`'s bytes, or undefined when the folder lacks it. */
  readBlob(key: string): Promise<File | undefined> {
    return folderCall(`read ${key}`, async () => {
      try {
        return await (await this.#blobs.getFileHandle(key)).getFile();
      } catch (error) {
        if ((error as DOMException).name === 'NotFoundError') return undefined;
        throw error;
      }
    });
  }

  /** Writes blob `key`; its bytes appear only once all are written (a failed write may leave an empty file, which the size check refuses). */
  writeBlob(key: string, bytes: Blob, signal?: AbortSignal): Promise<void> {
    return folderCall(`write ${key}`, async () => {
      const handle = await this.#blobs.getFileHandle(key, { create: true });
      if (typeof handle.createWritable !== 'function') {
        await this.#blobs.removeEntry(key).catch(() => {});
        throw new BackupError('BACKUP_UNSUPPORTED', 'This browser cannot write files into a folder (no createWritable)');
      }
      const writable = await handle.createWritable();
      const stop = (): void => void writable.abort().catch(() => {});
      signal?.addEventListener('abort', stop, { once: true });
      try {
        await writable.write(bytes);
        await writable.close();
      } catch (error) {
        await writable.abort().catch(() => {});
        throw signal?.aborted ? signal.reason : error;
      } finally {
        signal?.removeEventListener('abort', stop);
      }
    });
  }

  /** Writes a snapshot manifest; returns its file name. */
  writeSnapshot(manifest: BackupManifest): Promise<string> {
    const name = `${manifest.createdAt.replace(/:/g, '-')}.json`;
    return folderCall(`write ${name}`, async () => {
      const writable = await (await this.#snapshots.getFileHandle(name, { create: true })).createWritable();
      await writable.write(JSON.stringify(manifest, null, 1));
      await writable.close();
      return name;
    });
  }

  /** The newest snapshot (by name, which is its ISO time), parsed and checked, or undefined when there is none. */
  latestSnapshot(): Promise<{ name: string; manifest: BackupManifest } | undefined> {
    return folderCall('read the snapshots', async () => {
      const names: string[] = [];
      for await (const [name, handle] of (this.#snapshots as unknown as Entries).entries()) {
        if (handle.kind === 'file' && name.endsWith('.json')) names.push(name);
      }
      const name = names.sort().at(-1);
      if (name === undefined) return undefined;
      const text = await (await this.#snapshots.getFileHandle(name)).getFile().then((file) => file.text());
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new BackupError('BACKUP_INVALID', `The backup snapshot ${name} is not JSON`, { cause: error, details: { snapshot: name } });
      }
      return { name, manifest: parseBackupManifest(json, name) };
    });
  }
}

/** Runs a folder operation; the browser's errors become BackupError (permission, quota, a folder that went away). */
async function folderCall<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (isHangarError(error)) throw error;
    const name = (error as DOMException | undefined)?.name ?? 'Error';
    const message = (error as Error | undefined)?.message ?? String(error);
    const details = { causeName: name, causeMessage: message };
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      throw new BackupError('BACKUP_PERMISSION', `No permission to ${what} in the backup folder`, { cause: error, details });
    }
    throw new BackupError('BACKUP_FAILED', `Could not ${what} in the backup folder: ${message}`, { cause: error, details });
  }
}
