import { removeStore } from './remove-store.ts';
import { connectDownloadWorker } from '../src/download/index.ts';
import { createModelManager, type LocalModel } from '../src/index.ts';
import { Store } from '../src/store/index.ts';
import type { PageApi, PageRunInput, PageRunResult, StartupResult } from './download-types.ts';

async function download(input: PageRunInput): Promise<{ model: LocalModel; downloadMs: number; firstByteMs: number | undefined }> {
  const mm = createModelManager({
    endpoint: input.endpoint,
    storeName: input.storeName,
    cache: { backend: input.backend },
    download: { concurrent: input.concurrent, retries: 0, timeout: '10m', stallTimeout: '30s' },
  });
  try {
    const started = performance.now();
    let firstByteMs: number | undefined;
    const job = mm.download(input.repo, { files: input.files.map((file) => file.path) });
    job.on('progress', (progress) => {
      if (firstByteMs === undefined && progress.loaded > 0) firstByteMs = performance.now() - started;
    });
    const model = await job.done;
    const downloadMs = performance.now() - started;
    // Ends the download phase while its workers still run (their threads' CPU time is read then).
    await window.benchPhase?.('hash');
    return { model, downloadMs, firstByteMs };
  } finally {
    mm.close();
  }
}

async function run(input: PageRunInput): Promise<PageRunResult> {
  const { model, downloadMs, firstByteMs } = await download(input);
  for (const wanted of input.files) {
    const file = model.files.find((stored) => stored.path === wanted.path);
    if (file === undefined) throw new Error(`${input.repo}: ${wanted.path} was not downloaded`);
    if (file.hash.algorithm !== 'sha256' || file.hash.value !== wanted.sha256) {
      throw new Error(`${wanted.path}: stored as ${file.hash.algorithm}:${file.hash.value}, the Hub has sha256:${wanted.sha256}`);
    }
  }
  const file = model.files.find((stored) => stored.path === input.files[0]!.path)!;
  const worker = connectDownloadWorker();
  const mm = createModelManager({
    storeName: input.storeName,
    endpoint: input.endpoint,
    cache: { autoClean: false, backend: input.backend },
  });
  try {
    const stored = await mm.cache.file(input.repo, file.path);
    const report = await worker.hashBlob(stored, file.hash);
    if (!report.ok || report.size !== file.size)
      throw new Error(`${file.path}: the stored blob hashes to ${report.actual} (${report.size} bytes)`);
    const readMs = await readWhole(await mm.cache.file(input.repo, file.path));
    const bytes = model.files.reduce((sum, stored) => sum + stored.size, 0);
    return {
      bytes,
      hashedBytes: file.size,
      downloadMs,
      firstByteMs,
      hashMs: report.hashMs,
      hashTotalMs: report.totalMs,
      readMs,
      hash: file.hash,
    };
  } finally {
    worker.terminate();
    mm.close();
  }
}

/** Time to read a File whole through its stream, chunk by chunk (what a consumer of the store does). */
async function readWhole(file: File): Promise<number> {
  const started = performance.now();
  const reader = file.stream().getReader();
  let bytes = 0;
  for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) bytes += chunk.value.byteLength;
  if (bytes !== file.size) throw new Error(`read ${bytes} of ${file.size} bytes`);
  return performance.now() - started;
}

async function cacheApi(input: PageRunInput): Promise<number> {
  const url = `${input.endpoint}/${input.repo}/resolve/main/${input.files[0]!.path}`;
  const started = performance.now();
  const cache = await caches.open(input.storeName);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  await cache.put(url, response);
  const ms = performance.now() - started;
  await caches.delete(input.storeName);
  return ms;
}

async function startup(input: PageRunInput): Promise<StartupResult> {
  let started = performance.now();
  const worker = connectDownloadWorker();
  const storage = await worker.probeStorage(input.storeName, 'auto');
  const workerProbeMs = performance.now() - started;
  worker.terminate();
  started = performance.now();
  const store = await Store.open(input.storeName, { storage });
  const storeOpenMs = performance.now() - started;
  store.close();
  await removeStore(input.storeName);
  const mm = createModelManager({
    endpoint: input.endpoint,
    storeName: input.storeName,
    download: { concurrent: 1, retries: 0, timeout: '10m', stallTimeout: '30s' },
  });
  const job = async (path: string): Promise<number> => {
    const started = performance.now();
    await mm.download(input.repo, { files: [path] }).done;
    return performance.now() - started;
  };
  try {
    const [first, second, third] = input.files.map((file) => file.path);
    const firstJobMs = await job(first!);
    const secondJobMs = await job(second!);
    started = performance.now();
    const response = await fetch(`${input.endpoint}/${input.repo}/resolve/main/${third!}`, { cache: 'no-store' });
    await response.arrayBuffer();
    const fetchMs = performance.now() - started;
    return { workerProbeMs, storeOpenMs, firstJobMs, secondJobMs, fetchMs };
  } finally {
    mm.close();
  }
}

const api: PageApi = { run, cacheApi, startup, cleanup: removeStore };
window.hangarBench = api;
