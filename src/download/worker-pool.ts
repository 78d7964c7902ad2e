import { connectDownloadWorker, type DownloadWorker } from './connect-download-worker.ts';

/** A worker lent to one file attempt; `release()` hands it back. */
export interface WorkerLease {
  worker: DownloadWorker;
  /** Whether the device has a core to spare for hashing this file on a thread of its own (two per file, counting every lease). */
  hashThread: boolean;
  release(): void;
}

/**
 * Download workers, one per download slot up to `size`: each fetches, hashes and writes its own
 * file on its own thread. Workers start when first needed; one that crashed or was stopped is
 * replaced by the next call that would use it.
 */
export class WorkerPool {
  readonly #size: number;
  readonly #cores: number;
  readonly #spawn: () => DownloadWorker;
  #leases = 0;
  readonly #workers: Array<{ worker: DownloadWorker; leases: number } | undefined> = [];

  /** `size` workers at most, on a device of `cores` cores (`navigator.hardwareConcurrency`). */
  constructor(size: number, cores: number, spawn: () => DownloadWorker = () => connectDownloadWorker()) {
    this.#size = Math.max(1, size);
    this.#cores = cores;
    this.#spawn = spawn;
  }

  /** The first worker (started if needed): for work outside downloads (probes, re-hashing stored blobs). */
  primary(): DownloadWorker {
    return this.#at(0).worker;
  }

  /** The least busy worker, started if a slot has none yet (or its worker died). */
  lease(): WorkerLease {
    let index = 0;
    for (let i = 0; i < this.#size; i++) {
      const slot = this.#workers[i];
      if (slot === undefined || !slot.worker.alive) {
        index = i;
        break;
      }
      if (slot.leases < this.#workers[index]!.leases) index = i;
      if (slot.leases === 0) break;
    }
    const slot = this.#at(index);
    slot.leases++;
    this.#leases++;
    let released = false;
    return {
      worker: slot.worker,
      hashThread: 2 * this.#leases <= this.#cores,
      release: () => {
        if (released) return;
        released = true;
        slot.leases--;
        this.#leases--;
      },
    };
  }

  /** How many workers are running (for tests and diagnostics). */
  get running(): number {
    return this.#workers.filter((slot) => slot?.worker.alive === true).length;
  }

  /** Stops every worker; calls still pending on them fail with AbortError. */
  terminate(): void {
    for (const slot of this.#workers) slot?.worker.terminate();
    this.#workers.length = 0;
  }

  #at(index: number): { worker: DownloadWorker; leases: number } {
    const slot = this.#workers[index];
    if (slot !== undefined && slot.worker.alive) return slot;
    const fresh = { worker: this.#spawn(), leases: 0 };
    this.#workers[index] = fresh;
    return fresh;
  }
}
