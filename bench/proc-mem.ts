import { readdir, readFile } from 'node:fs/promises';

/** Memory of one process as the kernel reports it, in bytes (`pss` is undefined where smaps_rollup is unreadable). */
export interface ProcMemory {
  rss: number;
  pss: number | undefined;
}

interface ProcEntry {
  pid: number;
  ppid: number;
  cmdline: string;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
}

async function processes(): Promise<ProcEntry[]> {
  const names = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  const entries = await Promise.all(
    names.map(async (name): Promise<ProcEntry | undefined> => {
      const [stat, cmdline] = await Promise.all([readText(`/proc/${name}/stat`), readText(`/proc/${name}/cmdline`)]);
      // The command name in stat is parenthesised and may hold spaces: ppid is the 2nd field after ')'.
      const ppid = stat === undefined ? undefined : Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === undefined || cmdline === undefined) return undefined;
      return { pid: Number(name), ppid, cmdline: cmdline.replaceAll('\0', ' ') };
    }),
  );
  return entries.filter((entry) => entry !== undefined);
}

/** The Chromium browser process started with `--user-data-dir=<profileDir>` (not a child process of it). */
export async function findBrowserPid(profileDir: string): Promise<number> {
  const found = (await processes()).filter((p) => p.cmdline.includes(`--user-data-dir=${profileDir}`) && !p.cmdline.includes('--type='));
  if (found.length !== 1) throw new Error(`expected one Chromium browser process for ${profileDir}, found ${found.length}`);
  return found[0]!.pid;
}

/** Pids of the renderer processes (`--type=renderer`) descending from `browserPid`; other browsers are left out. */
export async function rendererPids(browserPid: number): Promise<number[]> {
  const all = await processes();
  const children = new Map<number, ProcEntry[]>();
  for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const renderers: number[] = [];
  const stack = [browserPid];
  for (let pid = stack.pop(); pid !== undefined; pid = stack.pop()) {
    for (const child of children.get(pid) ?? []) {
      if (child.cmdline.includes('--type=renderer')) renderers.push(child.pid);
      stack.push(child.pid);
    }
  }
  return renderers.sort((a, b) => a - b);
}

/** RSS (from /proc/<pid>/status) and PSS (from smaps_rollup) of `pid`; undefined once it has exited. */
export async function readMemory(pid: number): Promise<ProcMemory | undefined> {
  const [status, rollup] = await Promise.all([readText(`/proc/${pid}/status`), readText(`/proc/${pid}/smaps_rollup`)]);
  const rss = status === undefined ? undefined : /^VmRSS:\s+(\d+) kB/m.exec(status)?.[1];
  if (rss === undefined) return undefined;
  const pss = rollup === undefined ? undefined : /^Pss:\s+(\d+) kB/m.exec(rollup)?.[1];
  return { rss: Number(rss) * 1024, pss: pss === undefined ? undefined : Number(pss) * 1024 };
}

/** CPU time (user + system) of `pid` in milliseconds, from /proc/<pid>/stat. */
export async function cpuMs(pid: number): Promise<number | undefined> {
  const stat = await readText(`/proc/${pid}/stat`);
  if (stat === undefined) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of stat, i.e. 12 and 13 after the state field.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
