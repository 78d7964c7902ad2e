import { afterEach, describe, expect, it } from 'vitest';
import type { CrossOriginEvent } from '../index.ts';
import { hub, managersClosedAfterEach, rejection, sha256, syntheticRepo, until } from '../../test/support/browser.ts';
import {
  CROSS_ORIGIN_ANSWER_MS,
  crossOriginStorage,
  type CrossOriginStorageFileHandle,
  type CrossOriginStorageHash,
  type CrossOriginStorageManager,
} from './cross-origin-storage.ts';

const manager = managersClosedAfterEach();
const KiB = 1024;

/**
 * A minimal in-page Cross-Origin Storage, standing in for the browser (or for the test extension
 * of the end-to-end spec, test/extensions/cross-origin-storage): files by SHA-256 in a Map, the
 * user's answer set by the test, every call logged. No engine ships the API, so this is how the
 * logic runs in Chromium, Firefox and WebKit alike; the real cross-site flow is the e2e spec's.
 */
class FakeCrossOriginStorage implements CrossOriginStorageManager {
  readonly files = new Map<string, Blob>();
  readonly calls: Array<{ hashes: string[]; create: boolean }> = [];
  answer: 'grant' | 'deny' | 'never' = 'grant';

  async requestFileHandles(hashes: CrossOriginStorageHash[], options: { create?: boolean } = {}): Promise<CrossOriginStorageFileHandle[]> {
    const create = options.create === true;
    this.calls.push({ hashes: hashes.map((hash) => hash.value), create });
    if (hashes.some((hash) => hash.algorithm !== 'SHA-256')) throw new TypeError('SHA-256 only');
    if (!create && this.answer === 'never') return new Promise(() => {});
    if (!create && this.answer === 'deny') throw new DOMException('denied', 'NotAllowedError');
    if (!create && hashes.some((hash) => !this.files.has(hash.value))) throw new DOMException('not stored', 'NotFoundError');
    return hashes.map(({ value }) => ({
      getFile: async () => new File([this.files.get(value)!], value),
      createWritable: async () => {
        const parts: Blob[] = [];
        return {
          write: async (data: Blob) => void parts.push(data),
          close: async () => void this.files.set(value, new Blob(parts)),
        };
      },
    }));
  }
}

function install(fake: FakeCrossOriginStorage): void {
  Object.defineProperty(navigator, 'crossOriginStorage', { configurable: true, get: () => fake });
}

afterEach(() => {
  delete (navigator as { crossOriginStorage?: unknown }).crossOriginStorage;
});

/** Downloads `repo` into a fresh store; returns the job's cross-origin events, the network bytes it counted and how long it took. */
async function download(repo: string, crossOrigin: 'auto' | 'off' = 'auto', concurrent = 2) {
  const mm = manager({ cache: { crossOrigin }, download: { concurrent } });
  const job = mm.download(repo);
  const events: CrossOriginEvent[] = [];
  job.on('cross-origin', (event) => events.push(event));
  const started = performance.now();
  await job.done;
  const report = await mm.cache.verify(repo);
  return { mm, job, events, ms: performance.now() - started, bytesFetched: mm.metrics().downloads.bytesFetched, report };
}

async function repoOf(prefix: string): Promise<{ repo: string; model: string; size: number }> {
  const size = 300 * KiB;
  const repo = await syntheticRepo(prefix, { 'model.onnx': size, 'config.json': '{"a":1}' });
  return { repo, model: `${repo}/model.onnx`, size };
}

const served = async (key: string): Promise<number> => (await hub.stats()).files[key]?.bytes ?? 0;

describe('Cross-Origin Storage', () => {
  it('is absent in every engine as tested: nothing is asked, downloads are unchanged', async () => {
    expect('crossOriginStorage' in navigator).toBe(false);
    expect(crossOriginStorage('auto')).toBeUndefined();
    const { repo, model, size } = await repoOf('cos-absent');
    const { events, report } = await download(repo);
    expect(events).toEqual([]);
    expect(report.bad).toEqual([]);
    expect(await served(model)).toBe(size);
  });

  it('a verified download is offered; the next store copies it from there with no byte from the Hub', async () => {
    const fake = new FakeCrossOriginStorage();
    install(fake);
    const { repo, model, size } = await repoOf('cos-share');
    const first = await download(repo);
    expect(first.events).toEqual([{ path: 'model.onnx', outcome: 'not-found' }]);
    // Only the LFS file, by its SHA-256; config.json (git SHA-1) is never asked for.
    const hash = (await first.mm.cache.load(repo)).files.find((file) => file.path === 'model.onnx')!.hash.value;
    await until(() => fake.files.has(hash));
    expect(await sha256(fake.files.get(hash)!)).toBe(hash);
    expect(fake.calls).toEqual([
      { hashes: [hash], create: false },
      { hashes: [hash], create: true },
    ]);

    const second = await download(repo);
    expect(second.events).toEqual([{ path: 'model.onnx', outcome: 'copied' }]);
    expect(await served(model)).toBe(size); // the first download's bytes only
    expect(second.report.bad).toEqual([]);
    // The copy advanced `loaded` but is not network bytes: only config.json came from the Hub.
    expect(second.job.progress.loaded).toBe(second.job.progress.total);
    expect(second.bytesFetched).toBe('{"a":1}'.length);
    expect(fake.calls.filter((call) => call.create)).toHaveLength(1); // a copy is not offered back
  });

  it('a shared copy that does not hash right, or has the wrong size, is ignored and the file comes from the Hub', async () => {
    const fake = new FakeCrossOriginStorage();
    install(fake);
    for (const bad of ['same size', 'short']) {
      const { repo, model, size } = await repoOf('cos-tampered');
      const hash = await listedHash(repo);
      fake.files.set(hash, new Blob([new Uint8Array(bad === 'short' ? size - 1 : size).fill(7)]));
      const { events, report } = await download(repo);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({ path: 'model.onnx', outcome: 'rejected', error: { code: 'INTEGRITY_MISMATCH' } });
      expect(report.bad).toEqual([]);
      expect(await served(model)).toBe(size);
    }
  });

  it('a refused or unanswered prompt falls back to the Hub within the bound, and the job asks no more', async () => {
    const fake = new FakeCrossOriginStorage();
    install(fake);
    for (const answer of ['deny', 'never'] as const) {
      fake.answer = answer;
      fake.calls.length = 0;
      const repo = await syntheticRepo(`cos-${answer}`, { 'a.onnx': 100 * KiB, 'b.onnx': 100 * KiB, 'c.onnx': 100 * KiB });
      // One file at a time: the first file's look-up is refused (or unanswered), the others are not asked.
      const { events, report, ms } = await download(repo, 'auto', 1);
      expect(events).toEqual([{ path: 'a.onnx', outcome: answer === 'deny' ? 'denied' : 'no-answer' }]);
      expect(fake.calls.filter((call) => !call.create)).toHaveLength(1);
      expect(report.bad).toEqual([]);
      for (const path of ['a.onnx', 'b.onnx', 'c.onnx']) expect(await served(`${repo}/${path}`)).toBe(100 * KiB);
      if (answer === 'never') {
        expect(ms).toBeGreaterThanOrEqual(CROSS_ORIGIN_ANSWER_MS - 50);
        expect(ms).toBeLessThan(CROSS_ORIGIN_ANSWER_MS + 10_000);
      }
    }
  });

  it('a cancel while the prompt waits ends the job at once', async () => {
    const fake = new FakeCrossOriginStorage();
    fake.answer = 'never';
    install(fake);
    const { repo } = await repoOf('cos-cancel');
    const job = manager().download(repo);
    await until(() => fake.calls.length === 1);
    const started = performance.now();
    job.cancel();
    expect(await rejection(job.done)).toMatchObject({ code: 'ABORTED' });
    expect(performance.now() - started).toBeLessThan(CROSS_ORIGIN_ANSWER_MS / 2);
  });

  it("cache.crossOrigin: 'off' never calls it", async () => {
    const fake = new FakeCrossOriginStorage();
    install(fake);
    const { repo } = await repoOf('cos-off');
    const { events } = await download(repo, 'off');
    expect(events).toEqual([]);
    // Offers go out in the background after a download: once a later 'auto' download's offer is in, one of 'off' would be too.
    const later = await repoOf('cos-off-later');
    await download(later.repo, 'auto');
    await until(() => fake.calls.some((call) => call.create));
    expect(fake.calls.flatMap((call) => call.hashes)).not.toContain(await listedHash(repo));
  });
});

/** The SHA-256 the Hub lists for `repo`'s model.onnx. */
async function listedHash(repo: string): Promise<string> {
  const response = await fetch(`${hub.url}/__hub/repos/${repo}`);
  const info = (await response.json()) as { commits: Array<{ files: Array<{ path: string; sha256?: string }> }> };
  return info.commits.at(-1)!.files.find((file) => file.path === 'model.onnx')!.sha256!;
}
