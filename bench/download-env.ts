import type { BrowserContext, CDPSession, Page } from 'playwright';
import { startFakeHub, type FakeHub } from '../test/hub/index.ts';
import { startBenchBrowser } from './bench-browser.ts';
import { findBrowserPid } from './proc-mem.ts';
import { withTimeout, type Cleanup } from './util.ts';

const FILE = 'model.onnx_data';

/** A repo of one synthetic LFS file on the fake Hub. */
export interface BenchRepo {
  id: string;
  path: string;
  size: number;
  sha256: string;
}

/** Everything one benchmark run needs; all of it is torn down by the Cleanup it was started with. */
export interface DownloadEnv {
  hub: FakeHub;
  repos: Map<number, BenchRepo>;
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

async function addRepos(hub: FakeHub, sizesMiB: number[]): Promise<Map<number, BenchRepo>> {
  const repos = new Map<number, BenchRepo>();
  for (const sizeMiB of sizesMiB) {
    const id = `bench/download-${sizeMiB}mib`;
    const size = sizeMiB * 2 ** 20;
    const info = hub.addRepo({ id, commits: [{ files: { [FILE]: { synthetic: { size, seed: 9000 + sizeMiB } } } }] });
    const file = info.commits.at(-1)?.files.find((entry) => entry.path === FILE);
    if (file === undefined || !file.lfs) throw new Error(`${id}: the fake Hub did not build ${FILE} as an LFS file`);
    repos.set(sizeMiB, { id, path: FILE, size, sha256: file.sha256 });
  }
  return repos;
}

/** Starts the fake Hub (one repo per size), a vite dev server and Chromium on a fresh persistent profile with the bench page open. */
export async function startDownloadEnv(sizesMiB: number[], cleanup: Cleanup): Promise<DownloadEnv> {
  const hub = await startFakeHub({ fixtures: false });
  cleanup.add('fake hub', () => hub.close());
  const repos = await addRepos(hub, sizesMiB);
  const { profileDir, context, page, viteUrl } = await startBenchBrowser('bench/download.html', cleanup);
  const browser = context.browser();
  if (browser === null) throw new Error('the persistent context has no Browser object');
  const env: DownloadEnv = {
    hub,
    repos,
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
