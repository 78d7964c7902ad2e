import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { hubControl } from '../support/hub-control.ts';

const hub = hubControl(process.env.HANGAR_HUB_URL!);
const MiB = 2 ** 20;
const SIZE = 3 * MiB;
/** 20 takeovers in all in Chromium (10 closed, 10 reloaded), 2 of each in Firefox (each round opens a tab: ~5 s). */
const rounds = (browser: string): number => (browser === 'chromium' ? 10 : 2);

async function open(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/test/e2e/harness.html');
  await expect(page.locator('#ready')).toBeVisible();
  return page;
}

/** Starts downloading `repo` in `page`; resolves once the file holds `atLeast` bytes (0: at once). The job keeps running. */
function startDownload(page: Page, repo: string, storeName: string, atLeast: number): Promise<void> {
  return page.evaluate(
    ({ endpoint, repo, storeName, atLeast }) =>
      new Promise<void>((resolve, reject) => {
        const job = window.hangar.createModelManager({ endpoint, storeName }).download(repo);
        (window as unknown as { job: typeof job }).job = job;
        if (atLeast === 0) resolve();
        job.on('progress', (p) => p.loaded >= atLeast && resolve());
        job.done.catch(reject);
      }),
    { endpoint: hub.url, repo, storeName, atLeast },
  );
}

/** How the second tab's job ended, and whether the store then holds the file whole (re-hashed). */
function outcome(page: Page, storeName: string): Promise<{ ok: boolean; error?: string }> {
  return page.evaluate(async (storeName) => {
    const job = (window as unknown as { job: { done: Promise<unknown> } }).job;
    try {
      await job.done;
      const mm = window.hangar.createModelManager({ storeName, endpoint: 'http://127.0.0.1:9', cache: { autoClean: false } });
      const report = await mm.cache.verify();
      mm.close();
      return report.checked === 1 && report.bad.length === 0 ? { ok: true } : { ok: false, error: `verify: ${JSON.stringify(report)}` };
    } catch (error) {
      const e = error as { name?: string; code?: string; message?: string };
      return { ok: false, error: `${e.name} ${e.code}: ${e.message}` };
    }
  }, storeName);
}

for (const how of ['closed', 'reloaded'] as const) {
  test(
    `a peer tab takes over when the downloading tab is ${how} mid-file, every time`,
    { tag: '@engines' },
    async ({ context, browserName }) => {
      test.setTimeout(180_000);
      const failures: string[] = [];
      const peer = await open(context);
      const first = how === 'reloaded' ? await open(context) : undefined;
      for (let round = 0; round < rounds(browserName); round++) {
        const repo = `hangar-test/takeover-${how}-${Date.now().toString(36)}-${round}`;
        await hub.addRepo({ id: repo, commits: [{ files: { 'model.bin': { synthetic: { size: SIZE, seed: 4000 + round } } } }] });
        await hub.addFault({ repo, path: 'model.bin', times: 1, fault: { type: 'throttle', bytesPerSecond: 2 * MiB } });
        const storeName = `takeover-${how}-${round}-${Date.now().toString(36)}`;
        const tab = first ?? (await open(context));
        // The tab downloads; the peer asks for the same file and waits on its lock; the tab goes away mid-file.
        await startDownload(tab, repo, storeName, SIZE / 3);
        await startDownload(peer, repo, storeName, 0);
        if (how === 'closed') await tab.close();
        else await tab.reload();
        const result = await outcome(peer, storeName);
        if (!result.ok) failures.push(`round ${round}: ${result.error}`);
        const stats = (await hub.stats()).files[`${repo}/model.bin`]!;
        // The peer continued the partial: one Range request, and only what was in flight when the tab went away fetched twice.
        if (result.ok && (stats.rangeRequests !== 1 || stats.bytes > SIZE * 1.5)) {
          failures.push(`round ${round}: ${stats.rangeRequests} range requests, ${stats.bytes} bytes served for ${SIZE}`);
        }
      }
      expect(failures).toEqual([]);
    },
  );
}
