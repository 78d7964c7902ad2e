import { describe, expect, it } from 'vitest';
import { AbortError, ConfigError, StoreError, type DownloadProgress } from '../index.ts';
import {
  hub,
  managersClosedAfterEach,
  plantPartial,
  rejection,
  sha256,
  storedNames,
  syntheticRepo,
  uniqueName,
  until,
} from '../../test/support/browser.ts';

const manager = managersClosedAfterEach();

const TINY = 'hangar-test/tiny-multi';

describe('download a multi-file repo', () => {
  it('at a branch: every file lands verified, readable through cache.file', async () => {
    const mm = manager();
    const job = mm.download(TINY);
    const model = await job.done;
    expect(model.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(model.files.map((file) => file.path).sort()).toEqual([
      'README.md',
      'config.json',
      'onnx/model.onnx',
      'onnx/model_quantized.onnx',
      'tokenizer.json',
    ]);
    for (const file of model.files) {
      const stored = await mm.cache.file(TINY, file.path);
      expect(stored.size).toBe(file.size);
      if (file.hash.algorithm === 'sha256') expect(await sha256(stored)).toBe(file.hash.value);
    }
    const progress = job.progress;
    expect(progress.state).toBe('done');
    expect(progress.loaded).toBe(progress.total);
    expect(progress.files.every((file) => file.state === 'done')).toBe(true);
    expect(await storedNames(mm.config.storeName, 'partials')).toEqual([]);
  });

  it('downloads() lists the jobs still running and on("download") announces each new one', async () => {
    const mm = manager();
    const announced: string[] = [];
    const off = mm.on('download', (job) => announced.push(job.repo));
    const job = mm.download(TINY);
    expect(mm.downloads()).toEqual([job]);
    await job.done;
    await until(() => mm.downloads().length === 0);
    off();
    mm.download(TINY, { files: ['config.json'] });
    expect(announced).toEqual([TINY]);
  });

  it('at a tag, a commit and a PR ref, resolving each to its commit', async () => {
    const mm = manager();
    const tag = await mm.download(TINY, { revision: 'v1.0' }).done;
    const main = await mm.download(TINY, { revision: 'main' }).done;
    expect(tag.commit).not.toBe(main.commit);
    const byCommit = await mm.download(TINY, { revision: tag.commit }).done;
    expect(byCommit.commit).toBe(tag.commit);
    const pr = await mm.download(TINY, { revision: 'refs/pr/1', files: ['onnx/model_fp16.onnx'] }).done;
    expect(pr.files.map((file) => file.path)).toEqual(['onnx/model_fp16.onnx']);
    const oldConfig = await (await mm.cache.file(TINY, 'config.json', { revision: 'v1.0' })).text();
    const newConfig = await (await mm.cache.file(TINY, 'config.json', { revision: 'main' })).text();
    expect(oldConfig).not.toBe(newConfig);
    expect((await mm.cache.file(TINY, 'onnx/model_fp16.onnx', { revision: 'refs/pr/1' })).size).toBe(150 * 1024);
  });

  it("at a short sha, and under a renamed repo's former id (the Hub answers 307s)", async () => {
    const mm = manager();
    const tag = await mm.download(TINY, { revision: 'v1.0', files: ['config.json'] }).done;
    const short = await mm.download(TINY, { revision: tag.commit.slice(0, 8), files: ['config.json'] }).done;
    expect(short.commit).toBe(tag.commit);
    const id = `hangar-test/${uniqueName('renamed')}`;
    await hub.addRepo({ id, aliases: [`${id}-before`], commits: [{ files: { 'a.json': '{"a":1}' } }] });
    const moved = await mm.download(`${id}-before`).done;
    expect(moved.files.map((file) => file.path)).toEqual(['a.json']);
    expect(await (await mm.cache.file(`${id}-before`, 'a.json')).text()).toBe('{"a":1}');
  });

  it('stores a file shared by two revisions once and fetches it once', async () => {
    const mm = manager();
    await hub.reset();
    await mm.download(TINY, { revision: 'v1.0' }).done;
    const job = mm.download(TINY, { revision: 'main' });
    const cached: string[] = [];
    job.on('file-done', (event) => event.cached && cached.push(event.path));
    await job.done;
    expect(cached.sort()).toEqual(['README.md', 'onnx/model_quantized.onnx', 'tokenizer.json']);
    const stats = await hub.stats();
    expect(stats.files[`${TINY}/onnx/model_quantized.onnx`]?.requests).toBe(1);
  });

  it('downloads only the files asked for, and rejects an unknown one before moving bytes', async () => {
    const mm = manager();
    const model = await mm.download(TINY, { files: ['config.json'] }).done;
    expect(model.files.map((file) => file.path)).toEqual(['config.json']);
    await expect(mm.cache.file(TINY, 'tokenizer.json')).rejects.toMatchObject({ code: 'NOT_CACHED' });
    const error = await rejection(mm.download(TINY, { files: ['config.json', 'missing.bin'] }).done);
    expect(error.code).toBe('ENTRY_NOT_FOUND');
  });

  it('refuses a dtype it does not know (an empty select, a typo) before any request, naming the key', async () => {
    const mm = manager();
    await hub.reset();
    for (const dtype of ['', 'Q8', 'int4']) {
      expect(() => mm.download(TINY, { dtype: dtype as 'q8' })).toThrow(ConfigError);
      await expect(mm.plan(TINY, { dtype: dtype as 'q8' })).rejects.toMatchObject({ code: 'CONFIG_INVALID', details: { key: 'dtype' } });
    }
    expect((await hub.stats()).requests).toEqual([]);
  });

  it.each(['hangar-test/silero-vad', 'hangar-test/tiny-mlp'])('real ONNX fixture %s lands byte-exact', async (repo) => {
    const mm = manager();
    const model = await mm.download(repo).done;
    const onnx = model.files.find((file) => file.path === 'onnx/model.onnx')!;
    const stored = await mm.cache.file(repo, onnx.path);
    expect(await sha256(stored)).toBe(onnx.hash.value);
    // ONNX ModelProto starts with field 1 (ir_version, varint): byte 0x08.
    expect(new Uint8Array(await stored.slice(0, 1).arrayBuffer())[0]).toBe(0x08);
  });

  it('cache.file never touches the network and says NOT_CACHED', async () => {
    const mm = manager();
    const error = await rejection(mm.cache.file('hangar-test/never', 'a.bin'));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('NOT_CACHED');
  });
});

describe('progress, pause, resume, cancel', () => {
  it('reports per-file and total progress with rate and ETA', async () => {
    const repo = await syntheticRepo('progress', { 'a.bin': 3 * 2 ** 20, 'b.bin': 2 * 2 ** 20 });
    await hub.addFault({ repo, path: 'a.bin', times: 0, fault: { type: 'throttle', bytesPerSecond: 6 * 2 ** 20 } });
    const mm = manager();
    const job = mm.download(repo);
    const snapshots: DownloadProgress[] = [];
    job.on('progress', (progress) => snapshots.push(progress));
    await job.done;
    const moving = snapshots.filter((s) => s.state === 'downloading' && s.loaded > 0 && s.loaded < s.total);
    expect(moving.length).toBeGreaterThan(2);
    expect(moving.some((s) => s.bytesPerSecond > 0 && s.etaSeconds !== null && s.etaSeconds > 0)).toBe(true);
    const loaded = snapshots.map((s) => s.loaded);
    expect(loaded).toEqual([...loaded].sort((x, y) => x - y));
    const last = snapshots.at(-1)!;
    expect(last.total).toBe(5 * 2 ** 20);
    expect(last.files.map((f) => [f.path, f.loaded, f.total])).toEqual([
      ['a.bin', 3 * 2 ** 20, 3 * 2 ** 20],
      ['b.bin', 2 * 2 ** 20, 2 * 2 ** 20],
    ]);
  });

  it('pause stops the bytes, resume continues from the partial with a Range request', async () => {
    const size = 4 * 2 ** 20;
    const repo = await syntheticRepo('pause', { 'w.onnx': size });
    await hub.addFault({ repo, path: 'w.onnx', times: 0, fault: { type: 'throttle', bytesPerSecond: 4 * 2 ** 20 } });
    const mm = manager();
    const job = mm.download(repo);
    await until(() => job.progress.loaded >= size / 2);
    job.pause();
    await until(() => job.progress.files[0]?.state === 'paused');
    // The paused attempt's answer ends; a request made while paused would show as a second Range request below.
    await until(async () => (await hub.stats()).files[`${repo}/w.onnx`]!.inFlight === 0);
    const before = (await hub.stats()).files[`${repo}/w.onnx`]!.bytes;
    expect(job.progress.state).toBe('paused');
    job.resume();
    const model = await job.done;
    const { files, requests } = await hub.stats();
    const stats = files[`${repo}/w.onnx`]!;
    expect(stats.rangeRequests).toBe(1);
    // The resume asks for exactly what is not stored; only what was in flight at the pause was sent twice.
    const resumedAt = Number(
      /^bytes=(\d+)-$/.exec(requests.find((request) => request.range !== undefined && request.url.includes(repo))!.range!)![1],
    );
    expect(resumedAt).toBeGreaterThanOrEqual(size / 2);
    expect(stats.bytes).toBe(before + (size - resumedAt));
    expect(await sha256(await mm.cache.file(repo, 'w.onnx'))).toBe(model.files[0]!.hash.value);
  });

  it('resumes after an abort at ~60% fetching at most 55% of the file again (new manager, same store)', async () => {
    const size = 8 * 2 ** 20;
    const repo = await syntheticRepo('resume', { 'w.onnx': size });
    const throttle = await hub.addFault({ repo, path: 'w.onnx', times: 1, fault: { type: 'throttle', bytesPerSecond: 8 * 2 ** 20 } });
    expect(throttle).toBeTruthy();
    const first = manager();
    const job = first.download(repo);
    // Past 60%: IndexedDB makes bytes durable a 4 MiB chunk at a time, so the first half is surely on disk.
    await until(() => job.progress.loaded >= 0.6 * size);
    first.close(); // the worker dies mid-stream, as in a crash: only the last checkpoint survives
    await rejection(job.done);
    const partials = await storedNames(first.config.storeName, 'partials');
    expect(partials.some((name) => name.endsWith('.part'))).toBe(true);
    const second = manager({ storeName: first.config.storeName });
    const model = await second.download(repo).done;
    // One request (its redirect to the CDN included) continues the file from where its stored bytes end, whenever the dead worker's answer ends.
    const { files, requests } = await hub.stats();
    expect(files[`${repo}/w.onnx`]!.rangeRequests).toBe(1);
    const range = requests.find((request) => request.repo === repo && request.range !== undefined)!.range!;
    expect(Number(/^bytes=(\d+)-$/.exec(range)?.[1])).toBeGreaterThanOrEqual(0.45 * size);
    expect(await sha256(await second.cache.file(repo, 'w.onnx'))).toBe(model.files[0]!.hash.value);
    expect(await storedNames(first.config.storeName, 'partials')).toEqual([]);
  });

  it('cancel stops the job, rejects done with AbortError and deletes the partials', async () => {
    const repo = await syntheticRepo('cancel', { 'w.onnx': 4 * 2 ** 20 });
    await hub.addFault({ repo, path: 'w.onnx', times: 0, fault: { type: 'throttle', bytesPerSecond: 2 * 2 ** 20 } });
    const mm = manager();
    const job = mm.download(repo);
    await until(() => job.progress.loaded > 2 ** 20);
    job.cancel();
    const error = await rejection(job.done);
    expect(error).toBeInstanceOf(AbortError);
    expect(job.progress.state).toBe('cancelled');
    expect(await storedNames(mm.config.storeName, 'partials')).toEqual([]);
    expect(await storedNames(mm.config.storeName, 'blobs')).toEqual([]);
    await expect(mm.cache.file(repo, 'w.onnx')).rejects.toMatchObject({ code: 'NOT_CACHED' });
  });

  it('an AbortSignal cancels like cancel()', async () => {
    const repo = await syntheticRepo('signal', { 'w.onnx': 2 * 2 ** 20 });
    await hub.addFault({ repo, path: 'w.onnx', times: 0, fault: { type: 'throttle', bytesPerSecond: 2 ** 20 } });
    const controller = new AbortController();
    const mm = manager();
    const job = mm.download(repo, { signal: controller.signal });
    await until(() => job.progress.loaded > 2 ** 19);
    controller.abort();
    const error = await rejection(job.done);
    expect(error).toBeInstanceOf(AbortError);
    expect(error.details).toMatchObject({ reason: 'cancel' });
    expect(job.progress.state).toBe('cancelled');
    // Like cancel(): the partial is deleted and nothing is stored.
    expect(await storedNames(mm.config.storeName, 'partials')).toEqual([]);
    await expect(mm.cache.file(repo, 'w.onnx')).rejects.toMatchObject({ code: 'NOT_CACHED' });
  });

  it('never runs more files at once than download.concurrent', async () => {
    const files = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`f${i}.bin`, 2 ** 20]));
    const repo = await syntheticRepo('slots', files);
    await hub.reset();
    for (const path of Object.keys(files)) {
      await hub.addFault({ repo, path, times: 0, fault: { type: 'throttle', bytesPerSecond: 4 * 2 ** 20 } });
    }
    // Firefox may keep an aborted, stalled response of an earlier test open (it drains it for reuse): count from those.
    const before = (await hub.stats()).inFlight;
    await manager({ download: { concurrent: 2 } }).download(repo).done;
    const stats = await hub.stats();
    expect(stats.maxInFlight - before).toBe(2);
  });
});

describe('leftovers in the partials folder are never trusted', () => {
  async function plantedRepo(prefix: string, size: number): Promise<{ repo: string; key: string }> {
    const repo = `hangar-test/${uniqueName(prefix)}`;
    const info = await hub.addRepo({ id: repo, commits: [{ files: { 'w.onnx': { synthetic: { size, seed: 4242 } } } }] });
    return { repo, key: `sha256-${info.commits[0]!.files[0]!.sha256}` };
  }

  it('a partial of wrong bytes fails the hash once, is dropped, and the file is fetched again whole', async () => {
    const size = 2 ** 20;
    const { repo, key } = await plantedRepo('junk', size);
    const mm = manager();
    await plantPartial(mm.config.storeName, key, new Uint8Array(size / 2).fill(7));
    const job = mm.download(repo);
    const retries: string[] = [];
    job.on('retry', (event) => retries.push(event.error.code));
    const model = await job.done;
    expect(retries).toEqual(['INTEGRITY_MISMATCH']);
    expect(await sha256(await mm.cache.file(repo, 'w.onnx'))).toBe(model.files[0]!.hash.value);
  });

  it('a partial longer than the file, with a torn checkpoint, restarts from byte 0', async () => {
    const size = 2 ** 20;
    const { repo, key } = await plantedRepo('long', size);
    const mm = manager();
    await plantPartial(mm.config.storeName, key, new Uint8Array(size + 10), '{"v":1,"key":');
    const job = mm.download(repo);
    const retries: string[] = [];
    job.on('retry', (event) => retries.push(event.error.code));
    const model = await job.done;
    expect(retries).toEqual([]);
    expect(await sha256(await mm.cache.file(repo, 'w.onnx'))).toBe(model.files[0]!.hash.value);
    const stats = (await hub.stats()).files[`${repo}/w.onnx`]!;
    expect(stats.rangeRequests).toBe(0);
  });
});
