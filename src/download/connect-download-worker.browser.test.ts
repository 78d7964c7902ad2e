import { describe, expect, it } from 'vitest';
import { DownloadError } from '../errors/index.ts';
import { rejection } from '../../test/support/browser.ts';
import { connectDownloadWorker } from './connect-download-worker.ts';

describe('the download worker', () => {
  it('a worker that crashes fails its pending calls with a retryable NETWORK error and says it is dead', async () => {
    // A real worker whose first message throws outside any handler that could catch it.
    const source = URL.createObjectURL(
      new Blob(['onmessage = () => { throw new Error("out of memory, say"); };'], { type: 'text/javascript' }),
    );
    const worker = connectDownloadWorker(() => new Worker(source));
    expect(worker.alive).toBe(true);
    const error = await rejection(worker.hashBlob(new Blob(['x']), { algorithm: 'sha256', value: '0'.repeat(64) }));
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.code).toBe('NETWORK');
    expect(error.message).toMatch(/The download worker failed/);
    expect(worker.alive).toBe(false);
    URL.revokeObjectURL(source);
  });

  it('a call to a terminated worker fails with the typed reason it stopped, not a raw error', async () => {
    const worker = connectDownloadWorker();
    worker.terminate();
    expect(worker.alive).toBe(false);
    expect((await rejection(worker.hashBlob(new Blob(['x']), { algorithm: 'sha256', value: '0'.repeat(64) }))).code).toBe('ABORTED');
  });
});
