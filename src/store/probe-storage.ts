import { openDB } from 'idb';
import { StoreError } from '../errors/index.ts';
import type { BackendKind, BlobStorage, ChunkValues } from './blob-backend.ts';
import { errorDetails, errorText } from './storage-error.ts';

/** One way of storing bytes that was tried, and how it failed. */
interface Failure {
  what: string;
  error: unknown;
}

/**
 * Finds where a store can keep blob bytes in this browser, by trying (run it in the download
 * worker, where the writes happen). OPFS needs more than `getDirectory()`: a sync access handle on
 * a probe file must write, read back and truncate (WebKitGTK has the API and refuses the handle).
 * Else IndexedDB, with Blob values, or ArrayBuffer values where Blob values are refused (WebKit
 * private browsing). `wanted` other than `'auto'` tries only that backend. Never throws: when
 * nothing works the answer is `backend: 'none'` with what was tried; `checkStorage` turns that into
 * an error.
 */
export async function probeStorage(storeName: string, wanted: 'auto' | BackendKind): Promise<BlobStorage> {
  const failures: Failure[] = [];
  const why = (found: string): string =>
    [wanted === 'auto' ? 'auto' : `cache.backend is ${wanted}`, ...failures.map(describe), found].join('; ');
  if (wanted !== 'indexeddb') {
    const error = await tryOpfs(storeName);
    if (error === undefined) return { backend: 'opfs', reason: why('OPFS sync access handles work in a worker') };
    failures.push({ what: 'OPFS sync access handles', error });
  }
  if (wanted !== 'opfs') {
    for (const chunks of ['blob', 'arraybuffer'] as const) {
      const error = await tryIdb(storeName, chunks);
      if (error === undefined) {
        const found = chunks === 'blob' ? 'IndexedDB stores Blob values' : 'IndexedDB stores ArrayBuffer values (not Blob values)';
        return { backend: 'indexeddb', chunks, reason: why(found), ...failed(failures) };
      }
      failures.push({ what: `IndexedDB ${chunks === 'blob' ? 'Blob' : 'ArrayBuffer'} values`, error });
    }
  }
  const prefix =
    wanted === 'auto'
      ? 'No storage for model files works in this browser'
      : `cache.backend is '${wanted}', and it does not work in this browser`;
  return { backend: 'none', reason: `${prefix}: ${failures.map(describe).join('; ')}`, ...failed(failures) };
}

/** The store's backend, or StoreError STORAGE_UNAVAILABLE saying what was tried (the last failure as `cause`). */
export function checkStorage(storage: BlobStorage): asserts storage is BlobStorage & { backend: BackendKind } {
  if (storage.backend !== 'none') return;
  const last = storage.errors?.at(-1);
  const cause = last === undefined ? undefined : Object.assign(new Error(last.message), { name: last.name });
  throw new StoreError('STORAGE_UNAVAILABLE', storage.reason, {
    cause,
    details: Object.fromEntries((storage.errors ?? []).map((error) => [error.what, `${error.name}: ${error.message}`])),
  });
}

function failed(failures: Failure[]): Pick<BlobStorage, 'errors'> {
  if (failures.length === 0) return {};
  return {
    errors: failures.map(({ what, error }) => {
      const { causeName: name, causeMessage: message } = errorDetails(error);
      return { what, name, message };
    }),
  };
}

function describe({ what, error }: Failure): string {
  return `${what} failed (${errorText(error)})`;
}

const PROBE_BYTES = new Uint8Array([0x68, 0x61, 0x6e, 0x67]);

/** Writes, reads back and truncates a probe file through a sync access handle; the error, or undefined when it all worked. */
async function tryOpfs(storeName: string): Promise<unknown> {
  if (globalThis.navigator?.storage?.getDirectory === undefined)
    return new DOMException('navigator.storage.getDirectory is missing', 'NotSupportedError');
  // A name of its own: another tab probing at the same moment must not hold our handle.
  const name = `.probe-${Math.random().toString(36).slice(2)}`;
  let dir: FileSystemDirectoryHandle | undefined;
  try {
    dir = await (await navigator.storage.getDirectory()).getDirectoryHandle(storeName, { create: true });
    const handle = await dir.getFileHandle(name, { create: true });
    if (typeof handle.createSyncAccessHandle !== 'function') {
      return new DOMException('createSyncAccessHandle is missing (not in a worker?)', 'NotSupportedError');
    }
    const access = await handle.createSyncAccessHandle();
    try {
      const written = access.write(PROBE_BYTES, { at: 0 });
      access.flush();
      const back = new Uint8Array(PROBE_BYTES.length);
      const read = access.read(back, { at: 0 });
      access.truncate(0);
      if (
        written !== PROBE_BYTES.length ||
        read !== PROBE_BYTES.length ||
        back.some((byte, i) => byte !== PROBE_BYTES[i]) ||
        access.getSize() !== 0
      ) {
        return new DOMException(`the probe file did not read back what was written (wrote ${written}, read ${read})`, 'InvalidStateError');
      }
    } finally {
      access.close();
    }
    return undefined;
  } catch (error) {
    return error;
  } finally {
    await dir?.removeEntry(name).catch(() => {});
  }
}

/**
 * Puts and deletes a probe value in `<store>-probe`; the error, or undefined when it worked. Not in
 * the blob database itself: in WebKitGTK 2.50 a Blob value put and deleted there by one connection
 * was later read back as the bytes of another connection's next Blob chunk.
 */
async function tryIdb(storeName: string, values: ChunkValues): Promise<unknown> {
  try {
    const db = await openDB(`${storeName}-probe`, 1, { upgrade: (probe) => probe.createObjectStore('probe') });
    try {
      const tx = db.transaction('probe', 'readwrite');
      // The put's own error names the cause (WebKit: "Error preparing Blob/File data..."); the transaction's is only AbortError.
      const put = tx.store.put(values === 'blob' ? new Blob([PROBE_BYTES]) : PROBE_BYTES.slice().buffer, 'probe');
      await Promise.all([put, tx.store.delete('probe'), tx.done]);
    } finally {
      db.close();
    }
    return undefined;
  } catch (error) {
    return error;
  }
}
