import { describe, expect, it } from 'vitest';
import { isHangarError, type ModelManager, type StoreEvent } from '../index.ts';
import { blobKey } from '../store/index.ts';
import { hub, managersClosedAfterEach, setup, storedNames, uniqueName } from '../../test/support/browser.ts';
import { expectClose } from '../../test/support/expect-close.ts';
import { runSilero } from '../../test/support/silero-run.ts';
import { inject } from 'vitest';
import { createSession } from '../runtime/index.ts';

const manager = managersClosedAfterEach();
const VAD = 'hangar-test/silero-vad';
const TINY = 'hangar-test/tiny-multi';
const reference = inject('silero');
/** Nothing listens here: a manager on it has no Hub. */
const UNREACHABLE = 'http://127.0.0.1:9';

/** A fresh folder in this origin's OPFS: the same FileSystemDirectoryHandle interface a folder from showDirectoryPicker() has. */
async function folder(): Promise<FileSystemDirectoryHandle> {
  return (await navigator.storage.getDirectory()).getDirectoryHandle(uniqueName('backup'), { create: true });
}

async function names(dir: FileSystemDirectoryHandle, sub: string): Promise<string[]> {
  const out: string[] = [];
  const handle = await dir.getDirectoryHandle(sub);
  for await (const [name] of (handle as unknown as { entries(): AsyncIterable<[string, unknown]> }).entries()) out.push(name);
  return out.sort();
}

async function overwrite(dir: FileSystemDirectoryHandle, path: string[], data: Blob | string): Promise<void> {
  let parent = dir;
  for (const name of path.slice(0, -1)) parent = await parent.getDirectoryHandle(name);
  const writable = await (await parent.getFileHandle(path.at(-1)!, { create: true })).createWritable();
  await writable.write(data);
  await writable.close();
}

/** A manager holding VAD and tiny-multi, backed up once into a new folder. */
async function backedUp(): Promise<{ mm: ModelManager; target: FileSystemDirectoryHandle }> {
  const mm = manager();
  await mm.download(VAD).done;
  await mm.download(TINY).done;
  const target = await folder();
  await mm.backup.configure({ target, every: 0 });
  await mm.backup.run();
  return { mm, target };
}

/** WebKit cannot keep a folder handle in IndexedDB (DataCloneError): its backup folder lasts for the page's life. */
const REMEMBERS = !setup.engine.startsWith('webkit');

// A private WebKit session offers no folder handle at all (no OPFS: getDirectory() fails, no directory picker).
describe.skipIf(setup.engine === 'webkit-private')('backup to a folder', () => {
  it('backs up every stored model, then restores them after an eviction with the Hub unreachable, and the session runs', async () => {
    const { mm, target } = await backedUp();
    const stored = await storedNames(mm.config.storeName, 'blobs');
    expect(stored.length).toBeGreaterThan(0);
    expect(await names(target, 'blobs')).toEqual(stored);
    const status = await mm.backup.status();
    expect(status).toMatchObject({ target: target.name, every: 0, permission: 'granted', running: false, last: { ok: true } });
    expect(status.last?.report).toMatchObject({ models: 2, blobsWritten: status.last?.report?.blobs, unchanged: false, skipped: [] });
    expect(await names(target, 'snapshots')).toHaveLength(1);

    // The browser evicts the store; the page comes back with no Hub to reach.
    const storeName = mm.config.storeName;
    await mm.cache.delete(VAD);
    await mm.cache.delete(TINY);
    mm.close();
    await hub.reset();
    const offline = manager({ storeName, endpoint: UNREACHABLE });
    expect(await offline.cache.list()).toEqual([]);
    const report = await offline.backup.restore(target);
    expect(report.damaged).toEqual([]);
    expect(report.models.map((m) => [m.repo, m.restored, m.refs])).toEqual(
      expect.arrayContaining([
        [VAD, true, ['main']],
        [TINY, true, ['main']],
      ]),
    );
    expect(report.blobsPresent).toBe(0);
    expect((await hub.stats()).requests).toEqual([]);
    expect((await offline.cache.verify()).bad).toEqual([]);
    const opened = await createSession(offline, VAD, 'onnx/model.onnx');
    expectClose(await runSilero(opened.session, reference.frames), reference.probabilities, 1e-5);
    await opened.session.release();
  });

  it('is incremental: a second run writes nothing and no new snapshot; a new model adds only its blobs', async () => {
    const { mm, target } = await backedUp();
    const first = await names(target, 'blobs');
    const again = await mm.backup.run();
    expect(again).toMatchObject({ unchanged: true, blobsWritten: 0, bytesWritten: 0, models: 2 });
    expect(await names(target, 'snapshots')).toHaveLength(1);
    const repo = `hangar-test/${uniqueName('backup-more')}`;
    await hub.addRepo({
      id: repo,
      commits: [{ files: { 'config.json': '{"n":1}', 'model.onnx': { synthetic: { size: 40_000, seed: 7 } } } }],
    });
    const added = await mm.download(repo).done;
    const third = await mm.backup.run();
    const fresh = added.files.map((f) => blobKey(f.hash)).filter((key) => !first.includes(key));
    expect(third).toMatchObject({ unchanged: false, models: 3, blobsWritten: fresh.length });
    expect(await names(target, 'snapshots')).toHaveLength(2);
  });

  it('refuses and reports a damaged or missing backup file; the other models restore and the store holds no bad bytes', async () => {
    const { mm, target } = await backedUp();
    const tiny = await mm.cache.load(TINY);
    const vad = await mm.cache.load(VAD);
    const damaged = tiny.files.filter((f) => f.hash.algorithm === 'sha256').reduce((a, b) => (b.size > a.size ? b : a));
    const file = await (await (await target.getDirectoryHandle('blobs')).getFileHandle(blobKey(damaged.hash))).getFile();
    const bytes = new Uint8Array(await file.arrayBuffer());
    bytes[bytes.length >> 1]! ^= 0xff;
    await overwrite(target, ['blobs', blobKey(damaged.hash)], new Blob([bytes]));
    const missing = vad.files.find((f) => f.path === 'onnx/model.onnx')!;
    await (await target.getDirectoryHandle('blobs')).removeEntry(blobKey(missing.hash));

    const fresh = manager({ endpoint: UNREACHABLE });
    const report = await fresh.backup.restore(target);
    expect(report.damaged).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          key: blobKey(damaged.hash),
          reason: 'hash',
          uses: [{ repo: TINY, commit: tiny.commit, path: damaged.path }],
        }),
        expect.objectContaining({ key: blobKey(missing.hash), reason: 'missing' }),
      ]),
    );
    expect(report.damaged).toHaveLength(2);
    expect(report.models.every((m) => !m.restored)).toBe(true);
    // Nothing half-restored is visible: no ref, no load, no bad bytes kept, no partial left.
    await expect(fresh.cache.load(TINY)).rejects.toMatchObject({ code: 'NOT_CACHED' });
    expect(await storedNames(fresh.config.storeName, 'blobs')).not.toContain(blobKey(damaged.hash));
    expect(await storedNames(fresh.config.storeName, 'partials')).toEqual([]);
    expect((await fresh.cache.verify()).bad).toEqual([]);
  });

  it('restores an older revision without moving a ref the store already has to it', async () => {
    const mm = manager();
    const repo = `hangar-test/${uniqueName('backup-refs')}`;
    const first = { files: { 'config.json': '{"v":1}', 'model.onnx': { synthetic: { size: 30_000, seed: 11 } } } };
    await hub.addRepo({ id: repo, commits: [first] });
    const old = await mm.download(repo).done;
    const target = await folder();
    await mm.backup.configure({ target, every: 0 });
    await mm.backup.run();
    await hub.addRepo({ id: repo, commits: [first, { files: { 'config.json': '{"v":2}' } }] });
    const latest = await mm.download(repo).done;
    expect(latest.commit).not.toBe(old.commit);
    await mm.cache.delete(repo, { revision: old.commit });
    const report = await mm.backup.restore(target);
    expect(report.models.find((m) => m.repo === repo)).toMatchObject({ commit: old.commit, restored: true, refs: ['main'] });
    expect((await mm.cache.load(repo)).commit).toBe(latest.commit);
    expect((await mm.cache.load(repo, { revision: old.commit })).files).toHaveLength(2);
  });

  it('runs on its schedule, remembers the folder across managers, and posts a backup event', async () => {
    const mm = manager();
    await mm.download(TINY).done;
    const target = await folder();
    const events: StoreEvent[] = [];
    mm.on('change', (event) => event.type === 'backup' && events.push(event));
    const configured = await mm.backup.configure({ target, every: '1s' });
    expect(configured).toMatchObject({ target: target.name, every: 1000, last: null });
    expect(configured.nextAt).toBeGreaterThan(Date.now() - 10);
    await expect.poll(() => events.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(events[0]).toMatchObject({ type: 'backup', ok: true, code: null });
    expect(await names(target, 'snapshots')).toHaveLength(1);
    expect(await mm.backup.status()).toMatchObject({ target: target.name, remembered: REMEMBERS });
    const again = manager({ storeName: mm.config.storeName });
    expect(await again.backup.status()).toMatchObject({ target: REMEMBERS ? target.name : null, every: 1000, last: { ok: true } });
    await again.backup.configure(null);
    expect(await again.backup.status()).toMatchObject({ target: null, nextAt: null });
  });

  it('says what is wrong: no folder, a folder without a backup, a snapshot that is not JSON, an abort', async () => {
    const mm = manager();
    await expect(mm.backup.run()).rejects.toMatchObject({ name: 'BackupError', code: 'BACKUP_NOT_CONFIGURED' });
    await expect(mm.backup.restore(await folder())).rejects.toMatchObject({ code: 'BACKUP_INVALID' });
    const { mm: full, target } = await backedUp();
    const [snapshot] = await names(target, 'snapshots');
    await overwrite(target, ['snapshots', snapshot!], '{"format":"hangar-backup","version":1,"createdAt":"x"');
    const error: unknown = await manager()
      .backup.restore(target)
      .catch((e: unknown) => e);
    expect(isHangarError(error, 'BACKUP_INVALID')).toBe(true);
    await overwrite(
      target,
      ['snapshots', snapshot!],
      JSON.stringify({
        format: 'hangar-backup',
        version: 1,
        createdAt: new Date().toISOString(),
        models: [
          {
            repo: TINY,
            commit: 'a'.repeat(40),
            refs: [],
            files: [{ path: '../x', size: 1, hash: { algorithm: 'sha256', value: 'b'.repeat(64) } }],
          },
        ],
      }),
    );
    await expect(manager().backup.restore(target)).rejects.toMatchObject({ code: 'BACKUP_INVALID' });
    const controller = new AbortController();
    controller.abort();
    await expect(full.backup.run({ signal: controller.signal })).rejects.toMatchObject({ code: 'ABORTED' });
    // Stopped before it started: the last run stays the one that wrote the folder.
    expect((await full.backup.status()).last).toMatchObject({ ok: true });
  });
});

describe.runIf(setup.engine === 'webkit-private')('backup in a private WebKit session', () => {
  it('has no folder to back up into: OPFS refuses getDirectory()', async () => {
    await expect(navigator.storage.getDirectory()).rejects.toThrow();
  });
});
