import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { StoreError, type StoreEvent } from '../index.ts';
import { blobKey } from './blob-key.ts';
import {
  until,
  corruptBlob,
  hub,
  managersClosedAfterEach,
  plantPartial,
  rejection,
  removeBlobBytes,
  setup,
  storedNames,
  uniqueName,
} from '../../test/support/browser.ts';

const manager = managersClosedAfterEach();
const TINY = 'hangar-test/tiny-multi';
const KB = 1024;
const DAY = 86_400_000;

/** A repo of synthetic LFS files with sizes in KiB; `seed` makes contents distinct across repos. */
async function repo(prefix: string, files: Record<string, number>, seed: number): Promise<string> {
  const id = `hangar-test/${uniqueName(prefix)}`;
  let n = seed;
  const sources = Object.fromEntries(Object.entries(files).map(([path, kib]) => [path, { synthetic: { size: kib * KB, seed: n++ } }]));
  await hub.addRepo({ id, commits: [{ files: sources }] });
  return id;
}

describe('list, load, file', () => {
  it('lists revisions with refs and files, counting a blob shared by two revisions once', async () => {
    const mm = manager();
    const old = await mm.download(TINY, { revision: 'v1.0' }).done;
    const main = await mm.download(TINY, { revision: 'main' }).done;
    const [model, ...others] = await mm.cache.list();
    expect(others).toEqual([]);
    expect(model!.repo).toBe(TINY);
    expect(model!.revisions.map((r) => [r.commit, r.refs])).toEqual([
      [main.commit, ['main']],
      [old.commit, ['v1.0']],
    ]);
    const unique = new Map([...old.files, ...main.files].map((f) => [f.hash.value, f.size]));
    expect(model!.size).toBe([...unique.values()].reduce((a, b) => a + b, 0));
    expect(model!.size).toBeLessThan(model!.revisions[0]!.size + model!.revisions[1]!.size);
    expect(model!.revisions[0]!.files.map((f) => f.path)).toEqual(main.files.map((f) => f.path).sort());
    expect(model!.pinned).toBe(false);
  });

  it('load works offline and says NOT_CACHED for what was never stored, without a request', async () => {
    const mm = manager();
    const model = await mm.download(TINY, { files: ['config.json', 'onnx/model.onnx'] }).done;
    await hub.reset();
    const loaded = await mm.cache.load(TINY);
    expect(loaded.commit).toBe(model.commit);
    expect(loaded.files.map((f) => f.path)).toEqual(['config.json', 'onnx/model.onnx']);
    const error = await rejection(mm.cache.load(TINY, { revision: 'v1.0' }));
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('NOT_CACHED');
    expect((await hub.stats()).requests).toEqual([]);
  });

  it('a use (load, file) moves the revision up in LRU order', async () => {
    let now = 1000;
    const mm = manager({ now: () => now });
    await mm.download(TINY, { revision: 'v1.0', files: ['config.json'] }).done;
    now = 2000;
    await mm.download(TINY, { revision: 'main', files: ['config.json'] }).done;
    now = 3000;
    await mm.cache.file(TINY, 'config.json', { revision: 'v1.0' });
    const [model] = await mm.cache.list();
    expect(model!.revisions.map((r) => [r.refs[0], r.lastUsed])).toEqual([
      ['v1.0', 3000],
      ['main', 2000],
    ]);
  });
});

describe('a kept listing', () => {
  it('list() is kept between calls and follows every change, those of another tab included', async () => {
    let now = 1000;
    const a = manager({ now: () => now, cache: { autoClean: false } });
    await a.download(TINY, { revision: 'v1.0', files: ['config.json'] }).done;
    const first = await a.cache.list();
    const again = await a.cache.list();
    expect(again[0]).toBe(first[0]); // kept, not built again
    expect(Object.isFrozen(first[0]!.revisions[0]!.files[0]!.hash)).toBe(true);
    again.pop(); // the array is the caller's own
    expect(await a.cache.list()).toHaveLength(1);
    const revisions = async (): Promise<Array<[string | undefined, number, boolean]>> =>
      (await a.cache.list())[0]?.revisions.map((r) => [r.refs[0], r.lastUsed, r.pinned]) ?? [];
    // Another tab: a manager of its own on the same store, writing while this one keeps its listing.
    const b = manager({ storeName: a.config.storeName, now: () => now, cache: { autoClean: false } });
    now = 2000;
    await b.download(TINY, { revision: 'main', files: ['config.json'] }).done;
    expect(await revisions()).toEqual([
      ['main', 2000, false],
      ['v1.0', 1000, false],
    ]);
    now = 3000;
    await b.cache.file(TINY, 'config.json', { revision: 'v1.0' });
    expect(await revisions()).toEqual([
      ['v1.0', 3000, false],
      ['main', 2000, false],
    ]);
    await b.cache.pin(TINY, { revision: 'main' });
    expect((await revisions())[1]).toEqual(['main', 2000, true]);
    await b.cache.delete(TINY, { revision: 'v1.0' });
    expect(await revisions()).toEqual([['main', 2000, true]]);
    await b.cache.delete(TINY);
    expect(await a.cache.list()).toEqual([]);
  });
});

describe('revisions and delete', () => {
  it('downloading main again after the branch moved fetches only the files that changed', async () => {
    const id = `hangar-test/${uniqueName('moved')}`;
    const first = { 'a.onnx': { synthetic: { size: 200 * KB, seed: 501 } }, 'b.onnx': { synthetic: { size: 300 * KB, seed: 502 } } };
    await hub.addRepo({ id, commits: [{ files: first }] });
    const mm = manager();
    const before = await mm.download(id).done;
    await hub.addRepo({ id, commits: [{ files: first }, { files: { 'b.onnx': { synthetic: { size: 300 * KB, seed: 503 } } } }] });
    await hub.reset();
    const after = await mm.download(id).done;
    expect(after.commit).not.toBe(before.commit);
    const stats = await hub.stats();
    expect(stats.files[`${id}/a.onnx`]).toBeUndefined();
    expect(stats.files[`${id}/b.onnx`]!.bytes).toBe(300 * KB);
    const [model] = await mm.cache.list();
    expect(model!.revisions.map((r) => r.refs)).toEqual([['main'], []]); // the old commit is now detached
  });

  it('delete of one revision keeps the blobs another revision uses; delete of the repo removes everything', async () => {
    const mm = manager();
    const old = await mm.download(TINY, { revision: 'v1.0' }).done;
    const main = await mm.download(TINY, { revision: 'main' }).done;
    const blobsBefore = await storedNames(mm.config.storeName, 'blobs');
    const report = await mm.cache.delete(TINY, { revision: 'v1.0' });
    expect(report.commits).toEqual([old.commit]);
    const onlyOld = old.files.filter((f) => !main.files.some((g) => g.hash.value === f.hash.value));
    expect(report.blobs).toBe(onlyOld.length);
    expect(report.bytesFreed).toBe(onlyOld.reduce((sum, f) => sum + f.size, 0));
    expect((await storedNames(mm.config.storeName, 'blobs')).length).toBe(blobsBefore.length - onlyOld.length);
    expect((await mm.cache.load(TINY)).files.length).toBe(main.files.length);
    await expect(mm.cache.load(TINY, { revision: 'v1.0' })).rejects.toMatchObject({ code: 'NOT_CACHED' });
    await mm.cache.delete(TINY);
    expect(await mm.cache.list()).toEqual([]);
    expect(await storedNames(mm.config.storeName, 'blobs')).toEqual([]);
    expect((await mm.cache.usage()).cacheBytes).toBe(0);
  });

  it('delete of something not stored is NOT_CACHED', async () => {
    await expect(manager().cache.delete(TINY, { revision: 'main' })).rejects.toMatchObject({ code: 'NOT_CACHED' });
  });
});

describe('clean', () => {
  it('evicts least recently used first down to maxSize, never a pinned model; dry run changes nothing', async () => {
    let now = 1000;
    const mm = manager({ now: () => now, cache: { autoClean: false } });
    const ids = [
      await repo('lru-a', { 'w.onnx': 100 }, 600),
      await repo('lru-b', { 'w.onnx': 100 }, 610),
      await repo('lru-c', { 'w.onnx': 100 }, 620),
    ];
    for (const id of ids) {
      now += 1000;
      await mm.download(id).done;
    }
    await mm.cache.pin(ids[0]!);
    const before = await mm.cache.list();
    const dry = await mm.cache.clean({ maxSize: 150 * KB, dryRun: true });
    expect(dry.dryRun).toBe(true);
    expect(dry.remove.map((r) => r.repo)).toEqual([ids[1], ids[2]]);
    expect(dry.bytesFreed).toBe(200 * KB);
    expect(await mm.cache.list()).toEqual(before);
    const report = await mm.cache.clean({ maxSize: 150 * KB });
    expect(report.remove.map((r) => r.repo)).toEqual([ids[1], ids[2]]);
    expect(report.bytesFreed).toBe(200 * KB);
    expect((await mm.cache.list()).map((m) => [m.repo, m.pinned])).toEqual([[ids[0], true]]);
    expect((await storedNames(mm.config.storeName, 'blobs')).length).toBe(1);
    await mm.cache.unpin(ids[0]!);
    expect((await mm.cache.clean({ maxSize: 0 })).remove.map((r) => r.repo)).toEqual([ids[0]]);
  });

  it('evicts models unused for longer than retention (injected clock)', async () => {
    let now = Date.UTC(2026, 0, 1);
    const mm = manager({ now: () => now, cache: { retention: '30d', autoClean: false } });
    const stale = await repo('stale', { 'w.onnx': 50 }, 630);
    const fresh = await repo('fresh', { 'w.onnx': 50 }, 640);
    await mm.download(stale).done;
    now += 20 * DAY;
    await mm.download(fresh).done;
    now += 15 * DAY;
    const report = await mm.cache.clean();
    expect(report.remove).toEqual([{ repo: stale, commit: expect.any(String), reason: 'retention' }]);
    expect((await mm.cache.list()).map((m) => m.repo)).toEqual([fresh]);
  });

  it('runs after each download: the cache stays within maxSize and the new model stays', async () => {
    let now = 1;
    const mm = manager({ now: () => now++, cache: { maxSize: 250 * KB } });
    const first = await repo('auto-a', { 'w.onnx': 100 }, 650);
    const second = await repo('auto-b', { 'w.onnx': 100 }, 660);
    const third = await repo('auto-c', { 'w.onnx': 100 }, 670);
    for (const id of [first, second, third]) await mm.download(id).done;
    expect((await mm.cache.list()).map((m) => m.repo).sort()).toEqual([second, third].sort());
    expect((await mm.cache.usage()).cacheBytes).toBeLessThanOrEqual(250 * KB);
  });

  it('a model larger than maxSize fails with QUOTA_EXCEEDED before any byte moves', async () => {
    const mm = manager({ cache: { maxSize: 100 * KB } });
    const id = await repo('too-big', { 'w.onnx': 200 }, 680);
    await hub.reset();
    const error = await rejection(mm.download(id).done);
    expect(error).toBeInstanceOf(StoreError);
    expect(error.code).toBe('QUOTA_EXCEEDED');
    expect(error.details).toMatchObject({ needed: 200 * KB, available: 100 * KB });
    expect((await hub.stats()).requests.filter((r) => r.url.includes('/resolve/'))).toEqual([]);
  });

  it('removes partials nobody is writing whose blob is stored, and old ones', async () => {
    let now = Date.now();
    const mm = manager({ now: () => now, cache: { autoClean: false } });
    const id = await repo('partials', { 'w.onnx': 512 }, 690);
    await hub.addFault({ repo: id, path: 'w.onnx', times: 0, fault: { type: 'throttle', bytesPerSecond: 128 * KB } });
    const job = mm.download(id);
    await until(() => job.progress.loaded > 0);
    job.pause();
    await until(() => job.progress.files[0]?.state === 'paused');
    expect((await storedNames(mm.config.storeName, 'partials')).length).toBe(2);
    expect((await mm.cache.clean()).partials).toBe(0); // paused, recent: kept for resume
    // A recent partial left beside a blob that is already stored (a second writer's leftover) goes at once,
    // and the blob's bytes stay (in IndexedDB the two share their chunk records).
    const stored = (await mm.download(TINY, { files: ['config.json'] }).done).files[0]!;
    await plantPartial(mm.config.storeName, blobKey(stored.hash), new Uint8Array(0));
    expect(await storedNames(mm.config.storeName, 'partials')).toContain(`${blobKey(stored.hash)}.part`);
    expect((await mm.cache.clean()).partials).toBe(1);
    expect((await storedNames(mm.config.storeName, 'partials')).length).toBe(2); // the paused one stays
    expect((await mm.cache.verify(TINY)).bad).toEqual([]);
    now += 31 * DAY;
    expect((await mm.cache.clean()).partials).toBe(1);
    expect(await storedNames(mm.config.storeName, 'partials')).toEqual([]);
    job.cancel();
  });
});

describe('verify and repair', () => {
  it('finds a blob whose bytes changed on disk, drops it, and the next download refetches only it', async () => {
    const mm = manager();
    const model = await mm.download(TINY).done;
    expect((await mm.cache.verify()).bad).toEqual([]);
    const victim = model.files.find((f) => f.path === 'onnx/model.onnx')!;
    await corruptBlob(mm.config.storeName, `sha256-${victim.hash.value}`, 10, new Uint8Array([1, 2, 3]));
    const report = await mm.cache.verify(TINY);
    expect(report.checked).toBe(model.files.length);
    expect(report.bad).toEqual([
      {
        key: `sha256-${victim.hash.value}`,
        expected: victim.hash.value,
        actual: expect.stringMatching(/^[0-9a-f]{64}$/),
        dropped: [{ repo: TINY, commit: model.commit, path: victim.path }],
      },
    ]);
    await expect(mm.cache.file(TINY, victim.path)).rejects.toMatchObject({ code: 'NOT_CACHED' });
    await hub.reset();
    await mm.download(TINY).done;
    const stats = await hub.stats();
    expect(Object.keys(stats.files)).toEqual([`${TINY}/${victim.path}`]);
    expect((await mm.cache.verify(TINY)).bad).toEqual([]);
  });

  it('reports a blob whose bytes vanished as missing', async () => {
    const mm = manager();
    const model = await mm.download(TINY, { files: ['config.json'] }).done;
    await removeBlobBytes(mm.config.storeName, `git-sha1-${model.files[0]!.hash.value}`);
    const report = await mm.cache.verify();
    expect(report.bad.map((b) => b.actual)).toEqual([null]);
    expect(await mm.cache.list()).toEqual([expect.objectContaining({ revisions: [expect.objectContaining({ files: [] })] })]);
  });
});

describe('blobs', () => {
  it('lists each blob once with every file that uses it, when it was stored (hashed on arrival) and the last verification', async () => {
    const mm = manager({ now: () => 1_000 });
    const old = await mm.download(TINY, { revision: 'v1.0' }).done;
    const main = await mm.download(TINY, { revision: 'main' }).done;
    const before = await mm.cache.blobs();
    expect(before.every((blob) => blob.verifiedAt === undefined && blob.storedAt === 1_000)).toBe(true);
    const shared = before.filter((blob) => blob.uses.length > 1);
    expect(shared.length).toBeGreaterThan(0);
    for (const blob of shared) expect(new Set(blob.uses.map((use) => use.commit))).toEqual(new Set([old.commit, main.commit]));
    expect(before.reduce((sum, blob) => sum + blob.uses.length, 0)).toBe(old.files.length + main.files.length);
    await mm.cache.verify(TINY);
    expect((await mm.cache.blobs(TINY)).every((blob) => blob.verifiedAt === 1_000 && blob.verifiedOk === true)).toBe(true);
  });
});

describe('events and usage', () => {
  it('announces changes to this tab and to another manager of the same store (BroadcastChannel)', async () => {
    const mm = manager({ cache: { autoClean: false } });
    const other = manager({ storeName: mm.config.storeName, cache: { autoClean: false } });
    const here: StoreEvent[] = [];
    const there: StoreEvent[] = [];
    mm.on('change', (event) => here.push(event));
    other.on('change', (event) => there.push(event));
    await mm.download(TINY, { files: ['config.json'] }).done;
    await mm.cache.pin(TINY);
    await mm.cache.delete(TINY);
    const types = (events: StoreEvent[]) => [...new Set(events.map((e) => e.type))];
    // The other manager hears of the changes as the channel's messages arrive: wait for every kind, then check who sent them.
    for (const events of [here, there])
      await expect
        .poll(() => types(events), { timeout: 20_000 })
        .toEqual(expect.arrayContaining(['added', 'progress', 'pinned', 'deleted']));
    expect(here.every((e) => e.local)).toBe(true);
    expect(there.every((e) => !e.local)).toBe(true);
  });

  it('usage reports the backend in use, the cache bytes, and the quota and persistence as the browser reports them', async () => {
    const mm = manager();
    const model = await mm.download(TINY, { files: ['onnx/model.onnx'] }).done;
    const usage = await mm.cache.usage();
    expect(usage.backend).toBe(setup.expect.backend);
    expect(usage.cacheBytes).toBe(model.files[0]!.size);
    const storage = (navigator as { storage?: StorageManager }).storage;
    expect(usage.quota).toBe((await storage?.estimate?.())?.quota);
    expect(usage.persisted).toBe(await storage?.persisted?.());
  });
});

describe('schema', () => {
  it('an upgrade another tab keeps blocked fails with STORAGE_UNAVAILABLE after stallTimeout instead of hanging', async () => {
    const storeName = uniqueName('blocked');
    // An old tab: a version 1 connection that never closes for an upgrade.
    const old = await openDB(`${storeName}-meta`, 1, {
      upgrade(db) {
        db.createObjectStore('snapshots', { keyPath: ['repo', 'commit'] }).createIndex('repo', 'repo');
        db.createObjectStore('refs', { keyPath: ['repo', 'ref'] }).createIndex('repo', 'repo');
        db.createObjectStore('blobs', { keyPath: 'key' });
      },
    });
    try {
      const started = performance.now();
      const error = await rejection(manager({ storeName, download: { stallTimeout: '1s' } }).cache.list());
      expect(error).toBeInstanceOf(StoreError);
      expect(error.code).toBe('STORAGE_UNAVAILABLE');
      expect(error.message).toMatch(/keeps blocked: close or reload that tab/);
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      old.close();
    }
    // Once the old tab is gone the upgrade goes through.
    expect(await manager({ storeName }).cache.list()).toEqual([]);
  });

  it('upgrades a version 1 database: snapshots become unpinned, nothing is lost', async () => {
    const storeName = uniqueName('v1');
    const v1 = await openDB(`${storeName}-meta`, 1, {
      upgrade(db) {
        db.createObjectStore('snapshots', { keyPath: ['repo', 'commit'] }).createIndex('repo', 'repo');
        db.createObjectStore('refs', { keyPath: ['repo', 'ref'] }).createIndex('repo', 'repo');
        db.createObjectStore('blobs', { keyPath: 'key' });
      },
    });
    const commit = 'c'.repeat(40);
    await v1.put('snapshots', { repo: 'org/old', commit, files: {}, createdAt: 1, lastUsed: 2 });
    await v1.put('refs', { repo: 'org/old', ref: 'main', commit, updatedAt: 1 });
    v1.close();
    const [model] = await manager({ storeName, cache: { autoClean: false } }).cache.list();
    expect(model).toMatchObject({ repo: 'org/old', pinned: false, revisions: [{ commit, refs: ['main'], pinned: false, lastUsed: 2 }] });
  });
});
