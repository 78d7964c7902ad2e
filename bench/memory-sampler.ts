import { readMemory, type ProcMemory } from './proc-mem.ts';
import { sleep } from './util.ts';

/** Memory of a set of processes at one moment (a pid that has exited is missing). */
export interface MemorySample {
  atMs: number;
  byPid: Map<number, ProcMemory>;
}

/** Reads the memory of every pid in `pids` once. */
export async function sampleMemory(pids: number[]): Promise<MemorySample> {
  const byPid = new Map<number, ProcMemory>();
  const values = await Promise.all(pids.map((pid) => readMemory(pid)));
  pids.forEach((pid, i) => {
    const value = values[i];
    if (value !== undefined) byPid.set(pid, value);
  });
  return { atMs: performance.now(), byPid };
}

/** Samples the memory of `pids` every `intervalMs` (after each read finishes) until stopped. */
export class MemorySampler {
  readonly samples: MemorySample[] = [];
  readonly #pids: number[];
  #stopped = false;
  readonly #loop: Promise<void>;

  constructor(pids: number[], intervalMs: number) {
    this.#pids = pids;
    this.#loop = (async () => {
      while (!this.#stopped) {
        this.samples.push(await sampleMemory(pids));
        await sleep(intervalMs);
      }
    })();
  }

  /** Stops after one last sample; returns every sample taken. */
  async stop(): Promise<MemorySample[]> {
    this.#stopped = true;
    await this.#loop;
    this.samples.push(await sampleMemory(this.#pids));
    return this.samples;
  }
}

/** The sum of `field` over `pids` in `sample` (undefined when one of them has no value). */
export function total(sample: MemorySample, pids: number[], field: keyof ProcMemory): number | undefined {
  let sum = 0;
  for (const pid of pids) {
    const value = sample.byPid.get(pid)?.[field];
    if (value === undefined) return undefined;
    sum += value;
  }
  return sum;
}
