import type { JobState, StoreEvent } from '../index.ts';
import type { RemoteDownload } from './downloads-view.ts';

const RATE_SAMPLES = 60;
/** Job states after which another tab's download leaves the list. */
const ENDED = new Set<string>(['done', 'error', 'cancelled'] satisfies JobState[]);

/** Other tabs' downloads, followed through the store's `progress` events, and the download rate over the last minute. */
export class DownloadActivity {
  readonly #remote = new Map<string, RemoteDownload>();
  readonly #rates: number[] = [];

  /** Other tabs' downloads, oldest first. */
  get remote(): RemoteDownload[] {
    return [...this.#remote.values()];
  }

  /** Bytes per second, one sample a second, oldest first. */
  get rates(): number[] {
    return this.#rates;
  }

  /** Takes another tab's progress; returns the download's key when it ended (for `forget` a little later). */
  record(event: Extract<StoreEvent, { type: 'progress' }>): string | undefined {
    const key = `${event.tab} ${event.repo}@${event.revision}`;
    const previous = this.#remote.get(key);
    const seconds = previous === undefined ? 0 : (event.at - previous.at) / 1000;
    const bytesPerSecond = previous !== undefined && seconds > 0 ? Math.max(0, (event.loaded - previous.loaded) / seconds) : 0;
    this.#remote.set(key, {
      repo: event.repo,
      revision: event.revision,
      loaded: event.loaded,
      total: event.total,
      state: event.state,
      at: event.at,
      bytesPerSecond,
    });
    return ENDED.has(event.state) ? key : undefined;
  }

  forget(key: string): void {
    this.#remote.delete(key);
  }

  /** Adds a rate sample (this tab's jobs plus other tabs' running ones); true when the plot has something to show. */
  sample(localBytesPerSecond: number): boolean {
    const remote = this.remote.reduce((sum, download) => sum + (ENDED.has(download.state) ? 0 : download.bytesPerSecond), 0);
    const rate = localBytesPerSecond + remote;
    this.#rates.push(rate);
    if (this.#rates.length > RATE_SAMPLES) this.#rates.shift();
    return rate > 0 || this.#rates.some((sample) => sample > 0);
  }

  /** Forgets everything (the panel stopped listening, so what it knew may be stale). */
  clear(): void {
    this.#remote.clear();
    this.#rates.length = 0;
  }
}
