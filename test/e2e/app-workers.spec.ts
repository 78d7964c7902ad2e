import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { APP_PORT } from '../../playwright.config.ts';
import { hubControl } from '../support/hub-control.ts';
import { speechWav } from '../../app/sample-clip.ts';

// The app's workers (issue 23): one whose module does not load is reported at once, a silent one is
// replaced once and then named by the stage it reached, and a deploy leaves an open page its workers.
const hub = hubControl(process.env.HANGAR_HUB_URL!);
const WORKER = /\/assets\/transcriber\.worker-[^/]*\.js$/;
const STATUS = '#transcribe-status';
const ERROR = '#transcribe-error';

test.use({ baseURL: `http://127.0.0.1:${APP_PORT}` });
test.beforeEach(() => hub.reset());

async function readyToTranscribe(page: Page): Promise<void> {
  await page.goto(`/?mirror=${encodeURIComponent(hub.url)}`);
  await expect(page.locator('#variant')).toContainText('q8');
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  await expect(page.locator('#model-status')).toContainText('all verified');
  await page.locator('#file').setInputFiles({ name: 'speech.wav', mimeType: 'audio/wav', buffer: speechWav('Still here.').wav });
  await expect(page.locator('#audio-status')).toContainText('ready');
}

/** The error as a phone shows it, kept with the test's artifacts. */
async function snapError(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.setViewportSize({ width: 375, height: 800 });
  await page.locator(ERROR).scrollIntoViewIfNeeded();
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`) });
}

test.describe('a worker that cannot run', () => {
  // Requests must reach page.route, not the service worker's cache.
  test.use({ serviceWorkers: 'block' });

  for (const [what, body, status] of [
    ['answers 500', 'Internal Server Error', 500],
    ['is not JavaScript', 'this is not a script {', 200],
  ] as const) {
    test(`whose script ${what} is reported at once, in words`, { tag: '@engines' }, async ({ page }, testInfo) => {
      await page.route(WORKER, async (route) => route.fulfill({ response: await route.fetch(), status, body }));
      await readyToTranscribe(page);
      const clicked = Date.now();
      await page.getByRole('button', { name: 'Transcribe' }).click();
      await expect(page.locator(ERROR)).toContainText('The part of the app that runs the model could not load in this browser', {
        timeout: 5000,
      });
      expect(Date.now() - clicked).toBeLessThan(5000);
      await expect(page.locator(ERROR)).toContainText('Reload the page; models on this device are kept.');
      await expect(page.locator(ERROR)).toContainText('Where it stopped: try 1: started, code not loaded.');
      await expect(page.getByRole('button', { name: 'Transcribe' })).toBeEnabled();
      await snapError(page, testInfo, 'load-failed-375');
    });
  }

  test('that never says ready, then never asks for a file, is replaced once and fails naming both stages', async ({ page }, testInfo) => {
    // The page's clock is fake (it runs on by itself): the test jumps over the 8 s and 20 s bounds instead of waiting them out.
    await page.clock.install();
    const spawned: number[] = [];
    // The first worker loads and stays silent; the second says ready and does nothing more.
    await page.route(WORKER, async (route) => {
      spawned.push(await page.evaluate(() => Date.now()));
      const body = spawned.length === 1 ? '// silent' : `postMessage({ type: 'hangar-app-worker-ready' });`;
      // The real response's headers (its type, and the isolation headers a worker of this page needs).
      return route.fulfill({ response: await route.fetch(), body });
    });
    await readyToTranscribe(page);
    await page.getByRole('button', { name: 'Transcribe' }).click();
    await expect.poll(() => spawned.length).toBe(1);
    await page.clock.fastForward(8_000);
    await expect.poll(() => spawned.length).toBe(2);
    // Replaced after the 8 s bound on `ready`, not the 20 s one on the first file.
    expect(spawned[1]! - spawned[0]!).toBeGreaterThanOrEqual(8_000);
    expect(spawned[1]! - spawned[0]!).toBeLessThan(15_000);
    // The second worker says ready at once; its 20 s on the first file then run out.
    await expect(async () => {
      await page.clock.fastForward(2_000);
      await expect(page.locator(ERROR)).toContainText(
        'did not start working, twice (the second try did not begin opening the model within 20 s). Reload the page; models on this device are kept. ' +
          '(Where it stopped: try 1: started, code not loaded; try 2: code loaded, not yet asked to open the model.)',
        { timeout: 500 },
      );
    }).toPass({ timeout: 30_000 });
    expect(spawned).toHaveLength(2);
    await snapError(page, testInfo, 'silent-375');
  });

  test('of the assistant whose script does not load is reported at once', async ({ page }) => {
    await page.route(/\/assets\/assistant\.worker-[^/]*\.js$/, async (route) =>
      route.fulfill({ response: await route.fetch(), status: 404, body: 'Not found' }),
    );
    await readyToTranscribe(page);
    await page.getByRole('button', { name: 'Transcribe' }).click();
    await expect(page.locator(STATUS)).toContainText('RTF', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Tidy up' }).click();
    await expect(page.locator('#assistant-error')).toContainText(
      'The assistant failed. The part of the app that runs the model could not load in this browser',
      { timeout: 10_000 },
    );
  });
});

test(
  'a deploy while the page is open: the page keeps its build, and its next worker loads from it',
  { tag: '@engines' },
  async ({ page, context }) => {
    await readyToTranscribe(page);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // The next build is deployed: its sw.js has its own cache version and none of this build's hashed scripts.
    const sw = join(process.cwd(), 'test-results/app/sw.js');
    const code = readFileSync(sw, 'utf8');
    const version = /hangar-shell-([0-9a-f]{16})/.exec(code)![1]!;
    const next = code
      .replace(version, 'ffffffffffffffff')
      .replace(/JSON\.parse\((['"`])(\[.*?\])\1\)/, (_, quote: string, list: string) => {
        const kept = (JSON.parse(list) as string[]).filter((url) => !url.startsWith('/assets/'));
        return `JSON.parse(${quote}${JSON.stringify(kept)}${quote})`;
      });
    expect(next).not.toContain(version);
    writeFileSync(sw, next);
    try {
      // It installs and takes over the page.
      await page.evaluate(async () => {
        const taken = new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
        await (await navigator.serviceWorker.ready).update();
        await taken;
      });
      // This page's build is kept while it is open.
      expect(await page.evaluate(() => caches.keys())).toEqual(
        expect.arrayContaining([`hangar-shell-${version}`, 'hangar-shell-ffffffffffffffff']),
      );

      // The network no longer has this build's files: its next worker comes from the kept cache.
      await context.setOffline(true);
      await page.getByRole('button', { name: 'Transcribe' }).click();
      await expect(page.locator(STATUS)).toContainText('RTF', { timeout: 60_000 });
      await context.setOffline(false);

      // Once no page of that build is open, its cache goes (at a later navigation).
      await page.reload();
      await page.reload();
      await expect.poll(() => page.evaluate(() => caches.keys())).toEqual(['hangar-shell-ffffffffffffffff']);
    } finally {
      writeFileSync(sw, code);
    }
  },
);
