import { openDB } from 'idb';
import { listModels } from '../src/store/list-models.ts';
import { META_VERSION, type MetaSchema } from '../src/store/meta-db.ts';
import type { ListBreakdown } from './cache-types.ts';
import { median } from './util.ts';

async function timed<T>(runs: number, step: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const times: number[] = [];
  let value: T | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    value = await step();
    times.push(performance.now() - started);
  }
  return { ms: median(times), value: value as T };
}

/** Times the parts of `Store.list()` one by one on store `storeName`'s database: the reads, the grouping, a structured clone. */
export async function profileList(storeName: string, runs: number): Promise<ListBreakdown> {
  const db = await openDB<MetaSchema>(`${storeName}-meta`, META_VERSION);
  try {
    const snapshots = await timed(runs, () => db.getAll('snapshots'));
    const refs = await timed(runs, () => db.getAll('refs'));
    const blobs = await timed(runs, () => db.getAll('blobs'));
    const blobKeys = await timed(runs, () => db.getAllKeys('blobs'));
    const all = await timed(runs, () => {
      const tx = db.transaction(['snapshots', 'refs', 'blobs']);
      return Promise.all([tx.objectStore('snapshots').getAll(), tx.objectStore('refs').getAll(), tx.objectStore('blobs').getAll()]);
    });
    const grouping = await timed(runs, () => listModels(snapshots.value, refs.value));
    const clone = await timed(runs, () => structuredClone(snapshots.value));
    return {
      snapshotsGetAllMs: snapshots.ms,
      refsGetAllMs: refs.ms,
      blobsGetAllMs: blobs.ms,
      blobsGetAllKeysMs: blobKeys.ms,
      allGetAllMs: all.ms,
      listModelsMs: grouping.ms,
      structuredCloneMs: clone.ms,
      snapshotsJsonBytes: JSON.stringify(snapshots.value).length,
    };
  } finally {
    db.close();
  }
}
