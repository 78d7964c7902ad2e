import type { CDPSession, Page } from 'playwright';
import { cpuMs, rendererPids } from './proc-mem.ts';
import { sleep } from './util.ts';

const BURN_MS = 400;
const TYPE_NAMES: Record<string, string> = { renderer: 'other renderers', 'network.mojom.NetworkService': 'network' };

/**
 * The pid of the renderer that runs `page` (and its dedicated workers): the one renderer under
 * `browserPid` whose CPU time grows while the page spins its main thread for 400 ms.
 */
export async function pageRendererPid(page: Page, browserPid: number): Promise<{ pid: number; all: number[] }> {
  const tries: string[] = [];
  for (let attempt = 0; attempt < 3; attempt++) {
    const all = await rendererPids(browserPid);
    const before = await Promise.all(all.map(cpuMs));
    await page.evaluate((ms) => {
      const end = performance.now() + ms;
      let spins = 0;
      while (performance.now() < end) spins++;
      return spins;
    }, BURN_MS);
    const after = await Promise.all(all.map(cpuMs));
    const used = all.map((pid, i) => ({ pid, ms: (after[i] ?? 0) - (before[i] ?? 0) })).sort((a, b) => b.ms - a.ms);
    const [first, second] = used;
    if (first !== undefined && first.ms >= BURN_MS * 0.75 && (second === undefined || second.ms < BURN_MS / 4))
      return { pid: first.pid, all };
    tries.push(JSON.stringify(used));
    await sleep(1000);
  }
  throw new Error(`cannot tell the page's renderer apart; CPU ms of each renderer during the burns: ${tries.join(' ')}`);
}

/** CPU milliseconds so far of Chromium's processes by type (renderer, network, GPU, browser, ...), from SystemInfo.getProcessInfo. */
export async function chromiumCpu(browserCdp: CDPSession, rendererPid: number): Promise<Record<string, number>> {
  const { processInfo } = await browserCdp.send('SystemInfo.getProcessInfo');
  const byType: Record<string, number> = {};
  for (const info of processInfo) {
    const type = info.id === rendererPid ? 'page renderer' : (TYPE_NAMES[info.type] ?? info.type);
    byType[type] = (byType[type] ?? 0) + info.cpuTime * 1000;
  }
  return byType;
}

/** `after - before` for each key of `after`. */
export function cpuDelta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([type, ms]) => [type, Math.round(ms - (before[type] ?? 0))]));
}
