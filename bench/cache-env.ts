import type { Page } from 'playwright';
import { startBenchBrowser } from './bench-browser.ts';
import { withTimeout, type Cleanup } from './util.ts';

const PAGE = 'bench/cache.html';

/** The cache page open in Chromium, and the browser's version. */
export interface CacheEnv {
  page: Page;
  chromium: string;
}

/** Starts a vite dev server and Chromium on a fresh persistent profile with the cache page open; `cleanup` tears both down. */
export async function startCacheEnv(cleanup: Cleanup): Promise<CacheEnv> {
  const { context, page, viteUrl } = await startBenchBrowser(PAGE, cleanup);
  await page.goto(new URL(PAGE, viteUrl).href, { timeout: 60_000 });
  await withTimeout(
    page.waitForFunction(() => window.hangarCacheBench !== undefined, undefined, { timeout: 0 }),
    60_000,
    'bench page load',
  );
  return { page, chromium: context.browser()?.version() ?? 'unknown' };
}
