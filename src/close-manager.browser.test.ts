import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AbortError, type ModelManager } from './index.ts';
import { hub, managersClosedAfterEach, rejection, syntheticRepo } from '../test/support/browser.ts';
import { benchmark, createSession, validate } from './runtime/index.ts';
import { transformersCache } from './transformers/index.ts';

const manager = managersClosedAfterEach();

/** Counts what a page can open: workers, IndexedDB databases, broadcast channels. */
function countOpens(): { workers: number; databases: number; channels: number; restore: () => void } {
  const counts = { workers: 0, databases: 0, channels: 0 };
  const { Worker: RealWorker, BroadcastChannel: RealChannel } = globalThis;
  const realOpen = indexedDB.open.bind(indexedDB);
  globalThis.Worker = class extends RealWorker {
    constructor(...args: ConstructorParameters<typeof Worker>) {
      super(...args);
      counts.workers++;
    }
  };
  globalThis.BroadcastChannel = class extends RealChannel {
    constructor(name: string) {
      super(name);
      counts.channels++;
    }
  };
  indexedDB.open = (...args: Parameters<IDBFactory['open']>) => {
    counts.databases++;
    return realOpen(...args);
  };
  return Object.assign(counts, {
    restore() {
      globalThis.Worker = RealWorker;
      globalThis.BroadcastChannel = RealChannel;
      indexedDB.open = realOpen;
    },
  });
}

/** Every public call of a manager that can start work, each as a promise. */
function everyCall(mm: ModelManager, repo: string, commit: string): Record<string, () => Promise<unknown>> {
  // Never used: a closed manager looks at nothing (WebKit's private mode has no OPFS folder to give).
  const folder = { name: 'backup', getDirectoryHandle: () => Promise.reject(new Error('touched')) } as unknown as FileSystemDirectoryHandle;
  return {
    download: () => mm.download(repo).done,
    'download at a commit': () => mm.download(repo, { revision: commit }).done,
    'cache.list': () => mm.cache.list(),
    'cache.load': () => mm.cache.load(repo),
    'cache.file': () => mm.cache.file(repo, 'config.json'),
    'cache.delete': () => mm.cache.delete(repo),
    'cache.pin': () => mm.cache.pin(repo),
    'cache.unpin': () => mm.cache.unpin(repo),
    'cache.clean': () => mm.cache.clean(),
    'cache.verify': () => mm.cache.verify(repo),
    'cache.blobs': () => mm.cache.blobs(),
    'cache.usage': () => mm.cache.usage(),
    'cache.export': () => mm.cache.export(repo),
    'cache.import': () => mm.cache.import(new Blob(['not an archive'])),
    'backup.status': () => mm.backup.status(),
    'backup.configure': () => mm.backup.configure({ target: folder }),
    'backup.run': () => mm.backup.run(),
    'backup.requestPermission': () => mm.backup.requestPermission(),
    'backup.restore': () => mm.backup.restore(folder),
    probe: () => mm.probe(),
    plan: () => mm.plan(repo),
    createSession: () => createSession(mm, repo, 'model.onnx'),
    validate: () => validate(mm, repo, 'model.onnx'),
    benchmark: () => benchmark(mm, repo, 'model.onnx'),
    'transformersCache().match': () => transformersCache(mm).match(`${hub.url}/${repo}/resolve/main/config.json`),
  };
}

describe('close() is final', () => {
  let opens: ReturnType<typeof countOpens> | undefined;
  beforeEach(() => (opens = undefined));
  afterEach(() => opens?.restore());

  it('after close(), every call rejects at once with AbortError (reason close) and opens, starts and fetches nothing', async () => {
    const repo = await syntheticRepo('closed', { 'config.json': '{}', 'model.bin': 4096 });
    const mm = manager();
    const { commit } = await mm.download(repo).done;
    // The listing of this commit is kept: before the fix, a download at it went on without asking the Hub.
    mm.close();
    const requests = (await hub.stats(repo)).requests.length;
    opens = countOpens();
    const calls = everyCall(mm, repo, commit);
    for (const [name, call] of Object.entries(calls)) {
      const started = performance.now();
      const error = await rejection(call());
      expect(error, name).toBeInstanceOf(AbortError);
      expect(error.details?.reason, name).toBe('close');
      expect(performance.now() - started, name).toBeLessThan(1000);
    }
    const job = mm.download(repo);
    expect(mm.downloads()).toEqual([]);
    expect((await rejection(job.done)).details?.reason).toBe('close');
    expect(job.progress.state).toBe('cancelled');
    const unsubscribe = mm.on('change', () => {});
    unsubscribe();
    mm.close();
    expect({ workers: opens.workers, databases: opens.databases, channels: opens.channels }).toEqual({
      workers: 0,
      databases: 0,
      channels: 0,
    });
    expect((await hub.stats(repo)).requests.length).toBe(requests);
  });

  it('a call in flight when close() comes rejects with the same AbortError', async () => {
    const repo = await syntheticRepo('closing', { 'config.json': '{}', 'model.bin': 4096 });
    const mm = manager();
    await mm.download(repo).done;
    const pending = [mm.cache.list(), mm.cache.verify(repo), mm.cache.usage(), mm.cache.file(repo, 'model.bin')];
    mm.close();
    for (const result of await Promise.allSettled(pending)) {
      if (result.status === 'fulfilled') continue;
      expect(result.reason).toBeInstanceOf(AbortError);
    }
  });
});
