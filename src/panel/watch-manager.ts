import type { DownloadJob, ModelManager, StoreEvent } from '../index.ts';
import type { DownloadActivity } from './download-activity.ts';

/** What the panel does when its manager tells it something. */
export interface ManagerListeners {
  /** The store changed (bursts coalesced): read it again. */
  refresh(): void;
  /** A download of this tab or another started, moved or ended, or a rate sample was taken. */
  downloads(): void;
}

/**
 * Subscribes the panel to `manager`: its `change` and `download` events, each running job's
 * `progress`, a rate sample a second into `activity`, and the timeouts these schedule. Returns
 * the stop, which drops every listener and clears every timer (nothing runs after it).
 */
export function watchManager(manager: ModelManager, activity: DownloadActivity, listeners: ManagerListeners): () => void {
  let stopped = false;
  const timeouts = new Set<ReturnType<typeof setTimeout>>();
  const later = (run: () => void, ms: number): ReturnType<typeof setTimeout> => {
    const id = setTimeout(() => (timeouts.delete(id), run()), ms);
    timeouts.add(id);
    return id;
  };
  const cancel = (id: ReturnType<typeof setTimeout> | undefined): void => {
    if (id !== undefined) timeouts.delete(id);
    clearTimeout(id);
  };

  const jobs = new Map<DownloadJob, () => void>();
  const watch = (job: DownloadJob): void => {
    if (jobs.has(job)) return;
    jobs.set(
      job,
      job.on('progress', () => listeners.downloads()),
    );
    void job.done
      .catch(() => {})
      .finally(() => {
        if (stopped) return;
        jobs.get(job)?.();
        jobs.delete(job);
        listeners.downloads();
      });
    listeners.downloads();
  };

  let refreshing: ReturnType<typeof setTimeout> | undefined;
  const onChange = (event: StoreEvent): void => {
    if (event.type === 'progress') {
      if (event.local) return;
      const ended = activity.record(event);
      if (ended !== undefined) later(() => (activity.forget(ended), listeners.downloads()), 3000);
      listeners.downloads();
      return;
    }
    // Coalesce bursts (a download adds one event per file).
    cancel(refreshing);
    refreshing = later(() => listeners.refresh(), 100);
  };

  const unsubscribe = [manager.on('change', onChange), manager.on('download', watch)];
  for (const job of manager.downloads()) watch(job);
  const sampler = setInterval(() => {
    const local = manager.downloads().reduce((sum, job) => sum + job.progress.bytesPerSecond, 0);
    if (activity.sample(local)) listeners.downloads();
  }, 1000);

  return () => {
    stopped = true;
    for (const off of [...unsubscribe, ...jobs.values()]) off();
    jobs.clear();
    for (const id of timeouts) clearTimeout(id);
    timeouts.clear();
    clearInterval(sampler);
  };
}
