import { AbortError, toHangarError } from '../errors/index.ts';

/** A job's pause switch: waits while paused, and a signal that aborts the attempts in flight at each pause. */
export class PauseGate {
  #resumed: { promise: Promise<void>; resolve: () => void } | undefined;
  #pausing = new AbortController();

  get paused(): boolean {
    return this.#resumed !== undefined;
  }

  /** Aborts (reason: AbortError, `details.reason: 'pause'`) at the next pause. */
  get signal(): AbortSignal {
    return this.#pausing.signal;
  }

  /** Returns false when already paused. */
  pause(): boolean {
    if (this.#resumed !== undefined) return false;
    let resolve = (): void => {};
    const promise = new Promise<void>((done) => (resolve = done));
    this.#resumed = { promise, resolve };
    this.#pausing.abort(new AbortError('Download paused', { details: { reason: 'pause' } }));
    return true;
  }

  /** Returns false when not paused. */
  resume(): boolean {
    if (this.#resumed === undefined) return false;
    const { resolve } = this.#resumed;
    this.#resumed = undefined;
    this.#pausing = new AbortController();
    resolve();
    return true;
  }

  /** Lets waiters go without resuming (they find their signal aborted). */
  release(): void {
    this.#resumed?.resolve();
  }

  /** Waits while paused; throws once `signal` is aborted. */
  async whenRunning(signal: AbortSignal): Promise<void> {
    while (this.#resumed !== undefined && !signal.aborted) await this.#resumed.promise;
    if (signal.aborted) throw toHangarError(signal.reason);
  }
}
