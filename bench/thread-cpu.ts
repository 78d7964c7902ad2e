import { readdir, readFile } from 'node:fs/promises';

/** CPU ms per thread of one process, keyed `tid:name` (Linux /proc; empty elsewhere). */
export type ThreadCpu = Map<string, number>;

const TICK_MS = 10; // USER_HZ = 100 on Linux

/** CPU time each thread of `pid` has used so far. */
export async function threadCpu(pid: number): Promise<ThreadCpu> {
  const out: ThreadCpu = new Map();
  let tids: string[];
  try {
    tids = await readdir(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  await Promise.all(
    tids.map(async (tid) => {
      try {
        const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the name.
        out.set(`${tid}:${name}`, (Number(fields[11]) + Number(fields[12])) * TICK_MS);
      } catch {
        // the thread ended between readdir and read
      }
    }),
  );
  return out;
}

/** Threads that used at least `minMs` between two readings, busiest first, as `name ms` (threads started in between count from 0). */
export function busyThreads(before: ThreadCpu, after: ThreadCpu, minMs = 50): Array<{ thread: string; ms: number }> {
  return [...after]
    .map(([key, ms]) => ({ thread: key.slice(key.indexOf(':') + 1), ms: ms - (before.get(key) ?? 0) }))
    .filter((entry) => entry.ms >= minMs)
    .sort((a, b) => b.ms - a.ms);
}

/** Reads `pid`'s threads every `everyMs` until stopped, so threads that end before the last reading still count. */
export function sampleThreadCpu(pid: number, everyMs = 100): { stop(): Promise<ThreadCpu> } {
  const seen: ThreadCpu = new Map();
  const read = async (): Promise<void> => {
    for (const [key, ms] of await threadCpu(pid)) seen.set(key, ms);
  };
  let pending = read();
  const timer = setInterval(() => void (pending = pending.then(read)), everyMs);
  return {
    async stop() {
      clearInterval(timer);
      await pending.then(read);
      return seen;
    },
  };
}
