import { removeStore } from './remove-store.ts';
import { createModelManager, type ModelManager } from '../src/index.ts';
import { profileList } from './cache-profile.ts';
import { seedStore } from './cache-seed.ts';
import type { CachePageApi, CacheRunInput, CacheRunResult } from './cache-types.ts';

async function times(runs: number, step: () => Promise<unknown>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await step();
    out.push(performance.now() - started);
  }
  return out;
}

async function opfsFileCount(storeName: string): Promise<number> {
  const root = await navigator.storage.getDirectory();
  const dir = await (await root.getDirectoryHandle(storeName)).getDirectoryHandle('blobs');
  let count = 0;
  for await (const _ of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) count++;
  return count;
}

async function measure(mm: ModelManager, input: CacheRunInput): Promise<CacheRunResult> {
  const { storeName, models, repeats } = input;
  const seedStarted = performance.now();
  const { files, blobs } = await seedStore(storeName, models);
  const seedMs = performance.now() - seedStarted;
  const list = async (): Promise<void> => {
    const listed = await mm.cache.list();
    if (listed.length !== models) throw new Error(`list() gave ${listed.length} models, seeded ${models}`);
  };
  // A page's first list(): a new manager on the store reads every repo.
  const firstListMs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const fresh = createModelManager({ storeName, endpoint: 'http://127.0.0.1:9', cache: { autoClean: false } });
    try {
      await fresh.cache.usage(); // opens the store: what is timed is the listing alone
      const started = performance.now();
      const listed = await fresh.cache.list();
      firstListMs.push(performance.now() - started);
      if (listed.length !== models) throw new Error(`a fresh list() gave ${listed.length} models, seeded ${models}`);
    } finally {
      fresh.close();
    }
  }
  await list();
  const listMs = await times(repeats, list);
  const listAfterChangeMs: number[] = [];
  const [some] = await mm.cache.list();
  for (let i = 0; i < repeats; i++) {
    await (i % 2 === 0 ? mm.cache.pin(some!.repo) : mm.cache.unpin(some!.repo));
    listAfterChangeMs.push(...(await times(1, list)));
  }
  const maxSize = Math.floor(blobs / 2);
  let planned = 0;
  const dryRunMs = await times(repeats, async () => {
    planned = (await mm.cache.clean({ maxSize, dryRun: true })).remove.length;
  });
  const breakdown = await profileList(storeName, repeats);
  const started = performance.now();
  const report = await mm.cache.clean({ maxSize });
  const cleanMs = performance.now() - started;
  const opfsFilesAfter = await opfsFileCount(storeName);
  const modelsAfter = (await mm.cache.list()).length;
  if (report.sizeAfter > maxSize || opfsFilesAfter !== blobs - report.blobs) {
    throw new Error(`clean() left size ${report.sizeAfter} > ${maxSize}, or ${opfsFilesAfter} files of ${blobs} - ${report.blobs} deleted`);
  }
  return {
    models,
    files,
    blobs,
    seedMs,
    listMs,
    listAfterChangeMs,
    firstListMs,
    dryRunMs,
    maxSize,
    planned,
    cleanMs,
    evicted: report.remove.length,
    blobsDeleted: report.blobs,
    modelsAfter,
    opfsFilesAfter,
    breakdown,
  };
}

async function run(input: CacheRunInput): Promise<CacheRunResult> {
  const mm = createModelManager({ storeName: input.storeName, endpoint: 'http://127.0.0.1:9', cache: { autoClean: false } });
  try {
    if ((await mm.cache.list()).length !== 0) throw new Error(`store ${input.storeName} is not empty`);
    return await measure(mm, input);
  } finally {
    mm.close();
  }
}

const api: CachePageApi = { run, cleanup: removeStore };
window.hangarCacheBench = api;
