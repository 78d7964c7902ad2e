import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright';
import { build, preview } from 'vite';
import { crossOriginIsolation } from '../vite.config.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../test/browsers/chromium.ts';
import type { Cleanup } from './util.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** `pagePath` built for production and served by vite's preview server, and Chromium on a fresh persistent profile (OPFS on disk), before the page is opened. */
export interface BenchBrowser {
  viteUrl: string;
  profileDir: string;
  context: BrowserContext;
  page: Page;
}

/**
 * Starts both; `cleanup` closes the browser and the server and deletes the build and the profile,
 * also on failure. The page is built as an app ships it (bundled, minified): a dev server's one
 * request per source module would put its own start-up cost on Hangar's worker and none on a
 * prebundled library it is compared with.
 */
export async function startBenchBrowser(pagePath: string, cleanup: Cleanup): Promise<BenchBrowser> {
  const outDir = await mkdtemp(join(tmpdir(), 'hangar-bench-build-'));
  cleanup.add('bench build', () => rm(outDir, { recursive: true, force: true }));
  const configFile = join(ROOT, 'vite.config.ts');
  await build({
    configFile,
    root: ROOT,
    logLevel: 'warn',
    clearScreen: false,
    build: { outDir, emptyOutDir: true, rollupOptions: { input: join(ROOT, pagePath) }, chunkSizeWarningLimit: 100_000 },
  });
  const server = await preview({
    configFile,
    root: ROOT,
    logLevel: 'warn',
    clearScreen: false,
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, headers: crossOriginIsolation },
  });
  cleanup.add('vite', () => new Promise<void>((resolve) => server.httpServer.close(() => resolve())));
  const viteUrl = server.resolvedUrls?.local[0];
  if (viteUrl === undefined) throw new Error('the vite preview server has no local URL');

  const profileDir = await mkdtemp(join(tmpdir(), 'hangar-bench-profile-'));
  cleanup.add('profile dir', () => rm(profileDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 }));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: chromiumPath(),
    args: CHROMIUM_ARGS,
    headless: true,
    timeout: 60_000,
    // run.ts closes the browser on SIGINT/SIGTERM along with everything else.
    handleSIGINT: false,
    handleSIGTERM: false,
  });
  cleanup.add('chromium', () => context.close());
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => console.error(`[page] ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning')
      console.error(`[page ${message.type()}] ${message.text()} ${message.location().url}`);
  });
  return { viteUrl, profileDir, context, page };
}

/** Opens `url` in `page`, or in a new page of `context`, once the page's script has set `window[global]` (its API). */
export async function openBenchPage(target: BrowserContext | Page, url: string, global: string): Promise<Page> {
  const page = 'newPage' in target ? await target.newPage() : target;
  await page.goto(url, { timeout: 60_000 });
  await page.waitForFunction((name) => (window as unknown as Record<string, unknown>)[name] !== undefined, global, { timeout: 60_000 });
  return page;
}

/** Makes `origins` unreachable for the context (requests fail as offline), counting the attempts; `restore` undoes it. */
export async function cutOff(
  context: BrowserContext,
  origins: string[],
): Promise<{ attempts: () => number; restore: () => Promise<void> }> {
  let attempts = 0;
  const handler = (route: { abort(code: string): Promise<void> }) => {
    attempts++;
    return route.abort('internetdisconnected');
  };
  for (const origin of origins) await context.route(`${origin}/**`, handler);
  return {
    attempts: () => attempts,
    restore: async () => {
      for (const origin of origins) await context.unroute(`${origin}/**`, handler);
    },
  };
}
