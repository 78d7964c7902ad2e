import type { BrowserContext, CDPSession, Page } from 'playwright';
import { startFakeHub, type FakeHub } from '../test/hub/index.ts';
import { startBenchBrowser } from './bench-browser.ts';
import { findBrowserPid } from './proc-mem.ts';
import { withTimeout, type Cleanup } from './util.ts';

const FILE = 'model.onnx_data';

/** Size of the tiny files that time a job's fixed cost. */
export const TINY_KIB = 64;

/** A repo of synthetic LFS files on the fake Hub. */
export interface BenchRepo {
  id: string;
  files: Array<{ path: string; sha256: string }>;
  /** Bytes of all its files. */
  size: number;
}

/** Everything one benchmark run needs; all of it is torn down by the Cleanup it was started with. */
export interface DownloadEnv {
  hub: FakeHub;
  /** One file of each size (`pairMiB` too). */
  repos: Map<number, BenchRepo>;
  /** Two files of `pairMiB` each, when asked for. */
  pair: BenchRepo | undefined;
  /** Three LFS files of TINY_KIB each (what a job costs beyond its bytes). */
  tiny: BenchRepo;
  context: BrowserContext;
  page: Page;
  /** CDP session of the page (garbage collection). */
  pageCdp: CDPSession;
  /** CDP session of the browser (SystemInfo.getProcessInfo). */
  browserCdp: CDPSession;
  browserPid: number;
  chromium: string;
  /** Called when the page reports a phase change (`window.benchPhase`). */
  onPhase: (phase: string) => Promise<void>;
}

function addRepo(hub: FakeHub, id: string, sizesMiB: number[]): BenchRepo {
  const paths = sizesMiB.map((_, i) => (i === 0 ? FILE : `${FILE}_${i}`));
  const sources = Object.fromEntries(
    paths.map((path, i) => [path, { synthetic: { size: sizesMiB[i]! * 2 ** 20, seed: 9000 + 7 * i + Math.round(sizesMiB[i]! * 1024) } }]),
  );
  const info = hub.addRepo({ id, commits: [{ files: sources }] });
  const files = paths.map((path) => {
    const file = info.commits.at(-1)?.files.find((entry) => entry.path === path);
    if (file === undefined || !file.lfs) throw new Error(`${id}: the fake Hub did not build ${path} as an LFS file`);
    return { path, sha256: file.sha256 };
  });
  return { id, files, size: sizesMiB.reduce((sum, size) => sum + size * 2 ** 20, 0) };
}

/** Starts the fake Hub (one repo per size, one of two `pairMiB` files, one of three tiny ones), a vite dev server and Chromium on a fresh persistent profile with the bench page open. */
export async function startDownloadEnv(sizesMiB: number[], cleanup: Cleanup, pairMiB?: number): Promise<DownloadEnv> {
  const hub = await startFakeHub({ fixtures: false });
  cleanup.add('fake hub', () => hub.close());
  const single = [...new Set([...sizesMiB, ...(pairMiB === undefined ? [] : [pairMiB])])];
  const repos = new Map(single.map((size) => [size, addRepo(hub, `bench/download-${size}mib`, [size])]));
  const pair = pairMiB === undefined ? undefined : addRepo(hub, `bench/download-2x${pairMiB}mib`, [pairMiB, pairMiB]);
  const tiny = addRepo(hub, 'bench/download-tiny', Array<number>(3).fill(TINY_KIB / 1024));
  const { profileDir, context, page, viteUrl } = await startBenchBrowser('bench/download.html', cleanup);
  const browser = context.browser();
  if (browser === null) throw new Error('the persistent context has no Browser object');
  const env: DownloadEnv = {
    hub,
    repos,
    pair,
    tiny,
    context,
    page,
    pageCdp: await context.newCDPSession(page),
    browserCdp: await browser.newBrowserCDPSession(),
    browserPid: await findBrowserPid(profileDir),
    chromium: browser.version(),
    onPhase: async () => {},
  };
  await page.exposeFunction('benchPhase', (phase: string) => env.onPhase(phase));
  await page.goto(new URL('bench/download.html', viteUrl).href, { timeout: 60_000 });
  await withTimeout(
    page.waitForFunction(() => window.hangarBench !== undefined, undefined, { timeout: 0 }),
    60_000,
    'bench page load',
  );
  if (!(await page.evaluate(() => crossOriginIsolated))) throw new Error('the bench page is not cross-origin isolated (COOP/COEP missing)');
  return env;
}
