import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hub, managersClosedAfterEach, syntheticRepo, uniqueName, until } from '../../test/support/browser.ts';
import type { DownloadJob, ModelManager } from '../index.ts';
import type { HangarPanel } from './hangar-panel.ts';
import './index.ts';

const MiB = 1024 * 1024;
const manager = managersClosedAfterEach();

type Read = 'list' | 'blobs' | 'usage' | 'probe';

/** A real manager seen through a wrapper that counts the listeners the panel holds and the reads it makes. */
interface Watched {
  manager: ModelManager;
  /** Listeners held now: on the manager (`change`, `download`) and on `job` (any event). */
  live(): { manager: number; job: number };
  calls: Record<Read, number>;
  /** Reads not settled yet. */
  pending(): number;
}

function watched(mm: ModelManager, job?: DownloadJob): Watched {
  const held = { manager: 0, job: 0 };
  const calls: Record<Read, number> = { list: 0, blobs: 0, usage: 0, probe: 0 };
  let pending = 0;
  const counted = <T>(read: Read, promise: Promise<T>): Promise<T> => {
    calls[read]++;
    pending++;
    const settled = (): void => void pending--;
    void promise.then(settled, settled);
    return promise;
  };
  // Each unsubscribe counts once, however often it is called.
  const holding = <F extends (...args: never[]) => () => void>(key: keyof typeof held, subscribe: F): F =>
    ((...args: Parameters<F>) => {
      const off = subscribe(...args);
      held[key]++;
      let done = false;
      return () => {
        if (!done) held[key]--;
        done = true;
        off();
      };
    }) as F;
  if (job !== undefined) {
    const on = job.on.bind(job);
    job.on = holding('job', on);
  }
  const manager: ModelManager = {
    ...mm,
    on: holding('manager', mm.on.bind(mm)),
    probe: (options) => counted('probe', mm.probe(options)),
    cache: {
      ...mm.cache,
      list: () => counted('list', mm.cache.list()),
      blobs: () => counted('blobs', mm.cache.blobs()),
      usage: () => counted('usage', mm.cache.usage()),
    },
  };
  return { manager, live: () => ({ ...held }), calls, pending: () => pending };
}

/** A frame of a panel module (not of a test) in a stack trace, in every engine's format. */
const PANEL_FRAME = /\/src\/panel\/[\w-]+\.ts/;

/** Timers the panel's own code started and that have neither fired (timeouts) nor been cleared. */
type Start = (handler: () => void, ms?: number) => number;
type Stop = (id?: number) => void;

function panelTimers(): { live(): string[]; restore(): void } {
  const live = new Map<number, 'timeout' | 'interval'>();
  const original = {
    setTimeout: window.setTimeout as unknown as Start,
    setInterval: window.setInterval as unknown as Start,
    clearTimeout: window.clearTimeout as Stop,
    clearInterval: window.clearInterval as Stop,
  };
  const fromPanel = (): boolean => PANEL_FRAME.test(new Error().stack ?? '');
  const start: Start = (handler, ms) => original.setTimeout.call(window, handler, ms);
  const wrapped: typeof original = {
    setTimeout: (handler, ms) => {
      if (!fromPanel()) return start(handler, ms);
      const id = start(() => (live.delete(id), handler()), ms);
      live.set(id, 'timeout');
      return id;
    },
    setInterval: (handler, ms) => {
      const id = original.setInterval.call(window, handler, ms);
      if (fromPanel()) live.set(id, 'interval');
      return id;
    },
    clearTimeout: (id) => (id !== undefined && live.delete(id), original.clearTimeout.call(window, id)),
    clearInterval: (id) => (id !== undefined && live.delete(id), original.clearInterval.call(window, id)),
  };
  Object.assign(window, wrapped);
  return {
    live: () => [...live.values()].sort(),
    restore: () => Object.assign(window, original),
  };
}

let timers: ReturnType<typeof panelTimers>;
const panels: HangarPanel[] = [];

beforeEach(() => {
  timers = panelTimers();
});

afterEach(() => {
  for (const panel of panels.splice(0)) panel.remove();
  timers.restore();
});

function panelFor(manager: ModelManager | undefined): HangarPanel {
  const panel = document.createElement('hangar-panel');
  panel.manager = manager;
  panels.push(panel);
  return panel;
}

const shown = (panel: HangarPanel, selector: string): boolean => panel.shadowRoot?.querySelector(selector) !== null;
const intervals = (): number => timers.live().filter((kind) => kind === 'interval').length;

/** A manager with a small model stored and a slow download running (throttled: it outlives the test). */
async function busyManager(): Promise<{ mm: ModelManager; small: string; job: DownloadJob }> {
  const small = await syntheticRepo('panel-small', { 'config.json': '{}' });
  const slow = await syntheticRepo('panel-slow', { 'a.bin': 2 * MiB, 'config.json': '{}' });
  await hub.addFault({ repo: slow, times: 0, fault: { type: 'throttle', bytesPerSecond: 64 * 1024 } });
  const mm = manager();
  await mm.download(small).done;
  return { mm, small, job: mm.download(slow) };
}

describe('<hangar-panel> in and out of the document', () => {
  it('removed, it holds no listener and no timer and does no work; re-added, it holds exactly one set', async () => {
    const { mm, small, job } = await busyManager();
    const seen = watched(mm, job);
    const panel = panelFor(seen.manager);
    document.body.append(panel);
    await until(() => seen.calls.probe === 1 && shown(panel, '.usage'));
    expect(seen.live()).toEqual({ manager: 2, job: 1 });
    expect(intervals()).toBe(1);

    // A store change schedules the coalesced refresh; removing the panel right then drops it with everything else
    // (this listener runs just after the panel's, in the same event).
    let pendingThen: string[] = [];
    const removeNow = mm.on('change', (event) => {
      if (event.type !== 'pinned') return;
      pendingThen = timers.live();
      panel.remove();
    });
    await mm.cache.pin(small);
    removeNow();
    expect(pendingThen).toContain('timeout');
    expect(seen.live()).toEqual({ manager: 0, job: 0 });
    expect(timers.live()).toEqual([]);

    // While out of the document a change starts nothing.
    const reads = { ...seen.calls };
    let told = false;
    const off = mm.on('change', () => (told = true));
    await mm.cache.unpin(small);
    await until(() => told);
    off();
    expect(timers.live()).toEqual([]);
    expect(seen.calls).toEqual(reads);

    // Back in: one set again (twice in and out), and the store is read again.
    for (let round = 1; round <= 2; round++) {
      document.body.append(panel);
      expect(seen.live()).toEqual({ manager: 2, job: 1 });
      expect(intervals()).toBe(1);
      await until(() => seen.calls.list >= reads.list + round && seen.pending() === 0);
      panel.remove();
      expect(seen.live()).toEqual({ manager: 0, job: 0 });
      expect(timers.live()).toEqual([]);
    }
  });

  it('a refresh in flight when the panel is removed renders nothing and reads no further', async () => {
    const seen = watched(manager());
    const panel = panelFor(seen.manager);
    document.body.append(panel);
    expect(seen.pending()).toBe(3);
    panel.remove();
    // The refresh goes on from where list/blobs/usage settle, within the same microtask checkpoint.
    await until(() => seen.pending() === 0);
    expect(seen.calls.probe).toBe(0);
    expect(shown(panel, '.usage')).toBe(false);
    expect(timers.live()).toEqual([]);
  });

  it("another tab's ended download: its expiry timer goes with the panel, and back in the panel shows no stale row", async () => {
    const slow = await syntheticRepo('panel-other', { 'a.bin': 2 * MiB });
    await hub.addFault({ repo: slow, times: 0, fault: { type: 'throttle', bytesPerSecond: 64 * 1024 } });
    const storeName = uniqueName('store');
    const mm = manager({ storeName });
    // A second manager on the same store stands in for another tab (its events come over the BroadcastChannel).
    const job = manager({ storeName }).download(slow);
    const seen = watched(mm);
    const panel = panelFor(seen.manager);
    document.body.append(panel);
    const otherTab = (): boolean => panel.shadowRoot?.textContent?.includes('(other tab)') === true;
    await until(otherTab);

    let pendingThen: string[] | undefined;
    const removeNow = mm.on('change', (event) => {
      if (event.type !== 'progress' || event.state !== 'cancelled') return;
      pendingThen = timers.live();
      panel.remove();
    });
    job.cancel();
    await until(() => pendingThen !== undefined);
    removeNow();
    expect(pendingThen).toContain('timeout');
    expect(timers.live()).toEqual([]);

    const listed = seen.calls.list;
    document.body.append(panel);
    await until(() => seen.calls.list > listed && seen.pending() === 0 && shown(panel, '.usage'));
    expect(otherTab()).toBe(false);
  });

  it('a new manager while connected moves every subscription; undefined drops them and what was shown', async () => {
    const { mm, job } = await busyManager();
    const first = watched(mm, job);
    const second = watched(manager());
    const panel = panelFor(first.manager);
    document.body.append(panel);
    await until(() => shown(panel, 'details'));
    expect(first.live()).toEqual({ manager: 2, job: 1 });

    panel.manager = second.manager;
    const listed = first.calls.list;
    expect(first.live()).toEqual({ manager: 0, job: 0 });
    expect(second.live()).toEqual({ manager: 2, job: 0 });
    expect(intervals()).toBe(1);
    await until(() => panel.shadowRoot?.textContent?.includes('Nothing stored yet.') === true && !shown(panel, 'details'));

    panel.manager = undefined;
    expect(second.live()).toEqual({ manager: 0, job: 0 });
    expect(timers.live()).toEqual([]);
    expect(shown(panel, '.usage')).toBe(false);

    panel.remove();
    panel.manager = first.manager;
    expect(first.live()).toEqual({ manager: 0, job: 0 });
    expect(first.calls.list).toBe(listed);
    document.body.append(panel);
    expect(first.live()).toEqual({ manager: 2, job: 1 });
    expect(intervals()).toBe(1);
  });
});
