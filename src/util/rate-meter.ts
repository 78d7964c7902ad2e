const WINDOW_MS = 3000;

/** Bytes per second over a sliding window of progress samples. */
export class RateMeter {
  readonly #samples: Array<{ at: number; bytes: number }> = [];

  /** Records that `bytes` (a running total) had arrived at time `at`. */
  sample(bytes: number, at = performance.now()): void {
    this.#samples.push({ at, bytes });
    while (this.#samples.length > 2 && at - this.#samples[0]!.at > WINDOW_MS) this.#samples.shift();
  }

  /** Forgets the samples (after a pause or restart, so the rate does not count the gap). */
  reset(): void {
    this.#samples.length = 0;
  }

  get bytesPerSecond(): number {
    const first = this.#samples[0];
    const last = this.#samples[this.#samples.length - 1];
    if (first === undefined || last === undefined || last.at <= first.at) return 0;
    return ((last.bytes - first.bytes) * 1000) / (last.at - first.at);
  }
}
