import type { ChunkValues } from '../src/store/worker.ts';

let worker: Worker | undefined;

/** One step in the page's worker (as the download worker writes): `write` returns its ms, `read` the size read back whole. */
async function step(op: 'write' | 'read', storeName: string, sizeMiB: number, values: ChunkValues): Promise<number> {
  worker ??= new Worker(new URL('./chunks.worker.ts', import.meta.url), { type: 'module' });
  const result = await new Promise<{ ms?: number; size?: number; error?: string }>((resolve) => {
    worker!.onmessage = (event) => resolve(event.data);
    worker!.postMessage({ op, storeName, sizeMiB, values });
  });
  if (result.error !== undefined) throw new Error(result.error);
  return (op === 'write' ? result.ms : result.size)!;
}

/** Ends the worker (freeing what a read held) and deletes the store's blob database. */
async function remove(storeName: string): Promise<void> {
  worker?.terminate();
  worker = undefined;
  await new Promise((resolve) => {
    const request = indexedDB.deleteDatabase(`${storeName}-blobs`);
    request.onsuccess = request.onerror = request.onblocked = resolve;
  });
}

(window as unknown as { chunksBench: unknown }).chunksBench = { step, remove };
