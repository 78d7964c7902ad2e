import { removeStore } from './remove-store.ts';
import { connectDownloadWorker } from '../src/download/index.ts';
import { createModelManager, type LocalModel } from '../src/index.ts';
import type { PageApi, PageRunInput, PageRunResult } from './download-types.ts';

async function download(input: PageRunInput): Promise<{ model: LocalModel; downloadMs: number; firstByteMs: number | undefined }> {
  const mm = createModelManager({
    endpoint: input.endpoint,
    storeName: input.storeName,
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
  try {
    const report = await worker.hashStoredBlob(input.storeName, file.hash);
    if (!report.ok || report.size !== file.size)
      throw new Error(`${input.path}: the stored blob hashes to ${report.actual} (${report.size} bytes)`);
    return { bytes: file.size, downloadMs, firstByteMs, hashMs: report.hashMs, hashTotalMs: report.totalMs, hash: file.hash };
  } finally {
    worker.terminate();
  }
}

function burn(ms: number): number {
  const end = performance.now() + ms;
  let spins = 0;
  while (performance.now() < end) spins++;
  return spins;
}

const api: PageApi = { run, cleanup: removeStore, burn };
window.hangarBench = api;
