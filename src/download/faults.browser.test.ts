import { describe, expect, it } from 'vitest';
import { DownloadError, HubError, IntegrityError, type LocalModel, type ModelManager } from '../index.ts';
import { fileHash, hub, storedNames, rejection, syntheticRepo, managersClosedAfterEach } from '../../test/support/browser.ts';

const manager = managersClosedAfterEach();

const SIZE = 2 * 2 ** 20;

/** A repo with one LFS file (bytes from the CDN origin) and one small git file (bytes from the Hub origin). */
async function repoWithFiles(prefix: string): Promise<string> {
  return syntheticRepo(prefix, { 'model.onnx': SIZE, 'config.json': JSON.stringify({ prefix, filler: 'x'.repeat(3000) }) });
}

/** Downloads, then checks the store holds exactly the listed, verified bytes and no partial. */
async function downloadsCleanly(repo: string, mm = manager()): Promise<LocalModel> {
  const model = await mm.download(repo).done;
  for (const file of model.files) {
    const stored = await mm.cache.file(repo, file.path);
    expect(await fileHash(stored, file.hash.algorithm)).toBe(file.hash.value);
  }
  expect(await storedNames(mm.config.storeName, 'partials')).toEqual([]);
  return model;
}

function sizeOf(model: LocalModel, path: string): number {
  return model.files.find((file) => file.path === path)!.size;
}

/** After a failed job, nothing of the failed file may be visible. */
async function nothingVisible(mm: ModelManager, repo: string, path: string): Promise<void> {
  await expect(mm.cache.file(repo, path)).rejects.toMatchObject({ code: 'NOT_CACHED' });
}

describe.each(['model.onnx', 'config.json'])('injected faults on %s', (path) => {
  it('a dropped connection resumes with Range from the bytes received and completes', async () => {
    const repo = await repoWithFiles('drop');
    const at = path === 'model.onnx' ? SIZE / 2 : 1000;
    // lingerMs: the bytes reach the reader before the close errors the stream (an errored stream drops queued chunks).
    await hub.addFault({ repo, path, fault: { type: 'drop', afterBytes: at, lingerMs: 300 } });
    const model = await downloadsCleanly(repo);
    const stats = await hub.stats();
    const file = stats.files[`${repo}/${path}`]!;
    expect(file.requests).toBe(2);
    expect(file.rangeRequests).toBe(1);
    // The resume starts where the stored bytes end: all `at` of them, unless a starved reader had not
    // taken the last chunks off the stream when the close errored it (then it asks for those again).
    const range = stats.requests.find((request) => request.repo === repo && request.path === path && request.range !== undefined)?.range;
    const start = Number(/^bytes=(\d+)-$/.exec(range ?? '')?.[1]);
    expect(start).toBeGreaterThan(0);
    expect(start).toBeLessThanOrEqual(at);
    expect(file.bytes).toBe(at + sizeOf(model, path) - start);
  });

  it('a connection dropped at once still completes', async () => {
    const repo = await repoWithFiles('drop-now');
    const at = path === 'model.onnx' ? SIZE / 2 : 1000;
    await hub.addFault({ repo, path, fault: { type: 'drop', afterBytes: at } });
    const model = await downloadsCleanly(repo);
    const stats = (await hub.stats()).files[`${repo}/${path}`]!;
    expect(stats.requests).toBe(2);
    expect(stats.bytes).toBeLessThanOrEqual(at + sizeOf(model, path));
  });

  it('a stalled stream is abandoned after stallTimeout and retried', async () => {
    const repo = await repoWithFiles('stall');
    await hub.addFault({ repo, path, fault: { type: 'stall', afterBytes: 500 } });
    // Long enough that a busy machine's pause between two chunks of the retry is not taken for a stall.
    const mm = manager({ download: { stallTimeout: '1s' } });
    const retries: string[] = [];
    const job = mm.download(repo);
    job.on('retry', (event) => retries.push(event.error.code));
    await job.done;
    expect(retries).toEqual(['STALLED']);
  });

  it('a corrupted byte fails the hash, is deleted, and the retry succeeds', async () => {
    const repo = await repoWithFiles('corrupt');
    await hub.addFault({ repo, path, fault: { type: 'corrupt', atByte: 700 } });
    const mm = manager();
    const retries: string[] = [];
    const job = mm.download(repo);
    job.on('retry', (event) => retries.push(event.error.code));
    await job.done;
    expect(retries).toEqual(['INTEGRITY_MISMATCH']);
    await downloadsCleanly(repo, mm);
  });

  it('bytes that always fail the hash end in an IntegrityError naming both hashes, and nothing is stored', async () => {
    const repo = await repoWithFiles('corrupt-forever');
    await hub.addFault({ repo, path, times: 0, fault: { type: 'corrupt', atByte: 10 } });
    const mm = manager({ download: { retries: 2 } });
    const error = await rejection(mm.download(repo).done);
    expect(error).toBeInstanceOf(IntegrityError);
    expect(error.code).toBe('INTEGRITY_MISMATCH');
    expect(error.details?.expected).toMatch(/^[0-9a-f]{40,64}$/);
    expect(error.details?.actual).toMatch(/^[0-9a-f]{40,64}$/);
    expect(error.details?.actual).not.toBe(error.details?.expected);
    expect((await hub.stats()).files[`${repo}/${path}`]!.requests).toBe(3);
    await nothingVisible(mm, repo, path);
    expect((await storedNames(mm.config.storeName, 'partials')).filter((name) => name.includes(error.details!.expected as string))).toEqual(
      [],
    );
  });

  it('a lying Content-Length is refused before anything is stored, then retried', async () => {
    const repo = await repoWithFiles('length');
    await hub.addFault({ repo, path, fault: { type: 'wrong-length', contentLength: 1234 } });
    const once = manager({ download: { retries: 0 } });
    const error = await rejection(once.download(repo, { files: [path] }).done);
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toMatch(/announced 1234 bytes/);
    await nothingVisible(once, repo, path);
    expect(await storedNames(once.config.storeName, 'partials')).toEqual([]);
    // With retries, the same answer is refused once and the retry completes the file.
    await hub.addFault({ repo, path, fault: { type: 'wrong-length', contentLength: 1234 } });
    const mm = manager();
    const retries: string[] = [];
    const job = mm.download(repo);
    job.on('retry', (event) => retries.push(event.error.code));
    await job.done;
    expect(retries).toEqual(['BAD_RESPONSE']);
    await downloadsCleanly(repo, mm);
  });

  it('a server that ignores Range restarts the file cleanly from byte 0', async () => {
    const repo = await repoWithFiles('norange');
    const at = path === 'model.onnx' ? SIZE / 2 : 1000;
    await hub.addFault({ repo, path, fault: { type: 'drop', afterBytes: at, lingerMs: 300 } });
    await hub.addFault({ repo, path, fault: { type: 'ignore-range' } });
    const model = await downloadsCleanly(repo);
    const stats = (await hub.stats()).files[`${repo}/${path}`]!;
    expect(stats.rangeRequests).toBe(1);
    expect(stats.statuses).toEqual([200, 200]);
    expect(stats.bytes).toBe(at + sizeOf(model, path));
  });

  it('429 with Retry-After waits at least that long, then succeeds', async () => {
    const repo = await repoWithFiles('429');
    await hub.addFault({ repo, path, fault: { type: 'status', status: 429, retryAfter: 1 } });
    const mm = manager();
    const job = mm.download(repo);
    const delays: number[] = [];
    job.on('retry', (event) => delays.push(event.delayMs));
    const started = performance.now();
    await job.done;
    expect(delays.length).toBe(1);
    // The Hub origin does not expose Retry-After to pages (as on huggingface.co), the CDN does.
    if (path === 'model.onnx') {
      expect(delays[0]).toBeGreaterThanOrEqual(1000);
      expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    }
  });

  it('503 is retried with backoff', async () => {
    const repo = await repoWithFiles('503');
    await hub.addFault({ repo, path, times: 2, fault: { type: 'status', status: 503 } });
    const mm = manager();
    const codes: string[] = [];
    const job = mm.download(repo);
    job.on('retry', (event) => codes.push(event.error.code));
    await job.done;
    expect(codes).toEqual(['HUB_UNAVAILABLE', 'HUB_UNAVAILABLE']);
  });

  it('503 forever ends in a HubError after the retries, and the store stays clean', async () => {
    const repo = await repoWithFiles('503-forever');
    await hub.addFault({ repo, path, times: 0, fault: { type: 'status', status: 503 } });
    const mm = manager({ download: { retries: 1 } });
    const error = await rejection(mm.download(repo).done);
    expect(error).toBeInstanceOf(HubError);
    expect(error.code).toBe('HUB_UNAVAILABLE');
    await nothingVisible(mm, repo, path);
  });

  it('an HTML page with 200 is never stored as the file', async () => {
    const repo = await repoWithFiles('html');
    await hub.addFault({ repo, path, times: 0, fault: { type: 'html' } });
    const mm = manager({ download: { retries: 1 } });
    const error = await rejection(mm.download(repo).done);
    expect(error).toBeInstanceOf(DownloadError);
    expect(error.code).toBe('BAD_RESPONSE');
    expect(error.message).toMatch(/HTML/);
    await nothingVisible(mm, repo, path);
  });
});
