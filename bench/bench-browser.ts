import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright';
import { createServer } from 'vite';
import { CHROMIUM_ARGS, chromiumPath } from '../test/browsers/chromium.ts';
import type { Cleanup } from './util.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A vite dev server for `pagePath` and Chromium on a fresh persistent profile (OPFS on disk), before the page is opened. */
export interface BenchBrowser {
  viteUrl: string;
  profileDir: string;
  context: BrowserContext;
  page: Page;
}

/** Starts both; `cleanup` closes the browser and the server and deletes the profile, also on failure. */
export async function startBenchBrowser(pagePath: string, cleanup: Cleanup): Promise<BenchBrowser> {
  const server = await createServer({
    configFile: join(ROOT, 'vite.config.ts'),
    root: ROOT,
    cacheDir: join(ROOT, 'node_modules/.cache/hangar-bench-vite'),
    logLevel: 'warn',
    clearScreen: false,
    // Edits elsewhere in the tree must not reload the page mid-measurement.
    server: { port: 0, strictPort: false, hmr: false, watch: null },
    optimizeDeps: { entries: [pagePath], include: ['comlink', 'idb', 'hash-wasm', '@huggingface/hub'] },
  });
  cleanup.add('vite', () => server.close());
  await server.listen();
  const viteUrl = server.resolvedUrls?.local[0];
  if (viteUrl === undefined) throw new Error('the vite dev server has no local URL');

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
