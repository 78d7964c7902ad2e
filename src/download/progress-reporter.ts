import type { StoreChange } from '../store/index.ts';
import type { DownloadProgress } from './job-progress.ts';

const PROGRESS_MS = 100;
const BROADCAST_MS = 1000;

/**
 * Paces a job's progress: listeners get it at most every 100 ms, other tabs (and panels) at most
 * once a second; a state change goes to both at once.
 */
export class ProgressReporter {
  readonly #snapshot: () => DownloadProgress;
  readonly #emit: (progress: DownloadProgress) => void;
  #post: ((change: StoreChange) => void) | undefined;
  #lastAt = 0;
  #lastPostAt = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(snapshot: () => DownloadProgress, emit: (progress: DownloadProgress) => void) {
    this.#snapshot = snapshot;
    this.#emit = emit;
  }

  /** Where to post to other tabs, once the store is open. */
  set post(post: (change: StoreChange) => void) {
    this.#post = post;
  }

  /** Reports now (`now`: a state change, also posted to other tabs at once) or within 100 ms. */
  report(now: boolean): void {
    const elapsed = performance.now() - this.#lastAt;
    if (now || elapsed >= PROGRESS_MS) this.#fire(now);
    else this.#timer ??= setTimeout(() => this.#fire(false), PROGRESS_MS - elapsed);
  }

  #fire(stateChange: boolean): void {
    this.stop();
    this.#lastAt = performance.now();
    const progress = this.#snapshot();
    this.#emit(progress);
    if (this.#post === undefined || (!stateChange && performance.now() - this.#lastPostAt < BROADCAST_MS)) return;
    this.#lastPostAt = performance.now();
    const { repo, revision, loaded, total, state } = progress;
    this.#post({ type: 'progress', repo, revision, loaded, total, state });
  }

  /** Drops a report still pending. */
  stop(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
