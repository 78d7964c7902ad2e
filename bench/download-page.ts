import { removeStore } from './remove-store.ts';
import { connectDownloadWorker } from '../src/download/index.ts';
import { createModelManager, type LocalModel } from '../src/index.ts';
import type { PageApi, PageRunInput, PageRunResult } from './download-types.ts';

async function download(input: PageRunInput): Promise<{ model: LocalModel; downloadMs: number; firstByteMs: number | undefined }> {
  const mm = createModelManager({
    endpoint: input.endpoint,
    storeName: input.storeName,
    cache: { backend: input.backend },
    download: { concurrent: 1, retries: 0, timeout: '10m', stallTimeout: '30s' },
  });
  try {
    const started = performance.now();
    let firstByteMs: number | undefined;
    const job = mm.download(input.repo, { files: [input.path] });
    job.on('progress', (progress) => {
      if (firstByteMs === undefined && progress.loaded > 0) firstByteMs = performance.now() - started;
    });
    const model = await job.done;
    return { model, downloadMs: performance.now() - started, firstByteMs };
  } finally {
    mm.close();
  }
}

async function run(input: PageRunInput): Promise<PageRunResult> {
  const { model, downloadMs, firstByteMs } = await download(input);
  const file = model.files[0];
  if (file === undefined) throw new Error(`${input.repo}: no file downloaded`);
  if (file.hash.algorithm !== 'sha256' || file.hash.value !== input.sha256) {
    throw new Error(`${input.path}: stored as ${file.hash.algorithm}:${file.hash.value}, the Hub has sha256:${input.sha256}`);
  }
  await window.benchPhase?.('hash');
  const worker = connectDownloadWorker();
  const mm = createModelManager({
    storeName: input.storeName,
    endpoint: input.endpoint,
    cache: { autoClean: false, backend: input.backend },
  });
  try {
    const stored = await mm.cache.file(input.repo, input.path);
    const report = await worker.hashBlob(stored, file.hash);
    if (!report.ok || report.size !== file.size)
      throw new Error(`${input.path}: the stored blob hashes to ${report.actual} (${report.size} bytes)`);
    const readMs = await readWhole(await mm.cache.file(input.repo, input.path));
    return { bytes: file.size, downloadMs, firstByteMs, hashMs: report.hashMs, hashTotalMs: report.totalMs, readMs, hash: file.hash };
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

const api: PageApi = { run, cleanup: removeStore };
window.hangarBench = api;
