import { readFile } from 'node:fs/promises';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { APP_PORT } from '../../playwright.config.ts';
import { hubControl } from '../support/hub-control.ts';

const hub = hubControl(process.env.HANGAR_HUB_URL!);

// The app as built (app/vite.config.ts).
test.use({ baseURL: `http://127.0.0.1:${APP_PORT}` });
const TINY = 'hangar-test/tiny-multi';

test.beforeEach(() => hub.reset());

/** The store as the page's manager sees it: repo -> pinned, revision count, file paths. */
async function stored(page: Page): Promise<Record<string, { pinned: boolean; files: string[] }>> {
  return page.evaluate(async () => {
    const { manager } = (window as unknown as { hangarDemo: { manager: import('../../src/index.ts').ModelManager } }).hangarDemo;
    const models = await manager.cache.list();
    return Object.fromEntries(
      models.map((m) => [m.repo, { pinned: m.pinned, files: m.revisions.flatMap((r) => r.files.map((f) => f.path)).sort() }]),
    );
  });
}

async function openPanel(page: Page, query = ''): Promise<void> {
  await page.goto(`/panel.html?mirror=${encodeURIComponent(hub.url)}${query}`);
  await expect(page.locator('hangar-panel .usage')).toBeVisible();
}

async function download(page: Page, repo: string): Promise<void> {
  await page.getByLabel('Repo').fill(repo);
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  await expect(page.locator('#demo-status')).toContainText(`Stored ${repo}`);
}

const model = (page: Page, repo: string) =>
  page.locator('hangar-panel details').filter({ has: page.locator('summary .repo', { hasText: repo }) });

async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true });
}

test('lists what the store holds, with files, variants, shared blobs and storage against the quota', async ({ page }, testInfo) => {
  await openPanel(page);
  await expect(page.locator('hangar-panel')).toContainText('Nothing stored yet.');
  await download(page, TINY);
  await download(page, 'hangar-test/whisper-tiny');
  const tiny = model(page, TINY);
  await expect(tiny).toBeVisible();
  await tiny.locator('summary').click();
  const files = (await stored(page))[TINY]!.files;
  await expect(tiny.locator('tbody tr')).toHaveCount(files.length);
  for (const path of files) await expect(tiny.locator('td.path', { hasText: path })).toHaveCount(1);
  await expect(tiny.locator('tr', { hasText: 'onnx/model_quantized.onnx' })).toContainText('q8');
  await expect(page.locator('hangar-panel .usage')).toContainText('not persisted');
  await expect(page.locator('hangar-panel').getByRole('list', { name: 'Cache size by model' }).locator('li')).toHaveCount(2);
  await snap(page, testInfo, 'listed');

  // Two revisions of one repo share blobs: the panel says so.
  await page.evaluate(
    () =>
      (window as unknown as { hangarDemo: { manager: import('../../src/index.ts').ModelManager } }).hangarDemo.manager.download(
        'hangar-test/tiny-multi',
        { revision: 'v1.0' },
      ).done,
  );
  await expect(tiny.locator('td', { hasText: /^with 1$/ }).first()).toBeVisible();
});

test('follows another tab live: its download appears with progress, then its model', async ({ page, context }, testInfo) => {
  await openPanel(page);
  await hub.addFault({
    repo: 'hangar-test/whisper-tiny',
    path: 'onnx/decoder_model_merged.onnx',
    times: 1,
    fault: { type: 'throttle', bytesPerSecond: 40 * 1024 },
  });
  const other = await context.newPage();
  await openPanel(other);
  await other.getByLabel('Repo').fill('hangar-test/whisper-tiny');
  await other.getByRole('button', { name: 'Download', exact: true }).click();
  await expect(page.locator('hangar-panel').getByRole('table', { name: 'Downloads' })).toContainText('(other tab)');
  await snap(page, testInfo, 'live-download');
  await expect(model(page, 'hangar-test/whisper-tiny')).toBeVisible({ timeout: 30_000 });
});

test("another tab's failed download leaves the list once it has failed", async ({ page, context }) => {
  await openPanel(page);
  await hub.addFault({
    repo: 'hangar-test/whisper-tiny',
    path: 'onnx/decoder_model_merged.onnx',
    times: 0,
    fault: { type: 'status', status: 403 },
  });
  await hub.addFault({
    repo: 'hangar-test/whisper-tiny',
    path: 'onnx/encoder_model.onnx',
    times: 1,
    fault: { type: 'throttle', bytesPerSecond: 40 * 1024 },
  });
  const other = await context.newPage();
  await openPanel(other);
  await other.getByLabel('Repo').fill('hangar-test/whisper-tiny');
  await other.getByRole('button', { name: 'Download', exact: true }).click();
  const downloads = page.locator('hangar-panel').getByRole('table', { name: 'Downloads' });
  await expect(downloads).toContainText('(other tab)');
  await expect(other.locator('#demo-status')).toContainText(/denied|AUTH_FORBIDDEN/i, { timeout: 30_000 });
  await expect(page.locator('hangar-panel')).not.toContainText('(other tab)', { timeout: 10_000 });
});

test('each action changes the store as shown: pin, verify, copy, export, delete, import', async ({ page, context }, testInfo) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await openPanel(page);
  await download(page, TINY);
  const tiny = model(page, TINY);
  await tiny.locator('summary').click();

  // Pin by keyboard: focus the button, press Enter.
  await tiny.getByRole('button', { name: 'Pin' }).focus();
  await page.keyboard.press('Enter');
  await expect(tiny.locator('summary .badge')).toHaveText('pinned');
  expect((await stored(page))[TINY]!.pinned).toBe(true);
  await expect(tiny.getByRole('button', { name: 'Unpin' })).toBeFocused();
  await tiny.getByRole('button', { name: 'Unpin' }).click();
  await expect(tiny.locator('summary .badge')).toHaveCount(0);
  expect((await stored(page))[TINY]!.pinned).toBe(false);

  // Hashed as they streamed in: every file says so before any re-check, none says "not verified".
  await expect(tiny.locator('tbody td', { hasText: 'verified at download' })).toHaveCount(await tiny.locator('tbody tr').count());
  await expect(tiny.locator('tbody td', { hasText: 'not verified' })).toHaveCount(0);
  await tiny.getByRole('button', { name: 'Verify' }).click();
  await expect(page.locator('hangar-panel .msg')).toContainText('all intact');
  await expect(tiny.locator('tbody td', { hasText: 'verified at download' })).toHaveCount(0);
  await expect(tiny.locator('tbody td.ok').first()).toContainText('re-checked ok');

  await tiny.getByRole('button', { name: 'Copy JSON' }).click();
  await expect(page.locator('hangar-panel .msg')).toContainText('Copied');
  const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  expect(copied.repo).toBe(TINY);
  expect(copied.revisions[0].files.map((f: { path: string }) => f.path).sort()).toEqual((await stored(page))[TINY]!.files);

  const [archive] = await Promise.all([page.waitForEvent('download'), tiny.getByRole('button', { name: 'Export' }).click()]);
  const archivePath = testInfo.outputPath(archive.suggestedFilename());
  await archive.saveAs(archivePath);
  expect((await readFile(archivePath)).byteLength).toBeGreaterThan(300 * 1024);

  page.once('dialog', (dialog) => void dialog.accept());
  await tiny.getByRole('button', { name: 'Delete…' }).click();
  await expect(tiny).toHaveCount(0);
  expect(await stored(page)).toEqual({});
  await snap(page, testInfo, 'deleted');

  await hub.reset();
  await page.locator('hangar-panel input[type=file]').setInputFiles(archivePath);
  await expect(page.locator('hangar-panel .msg')).toContainText(`Imported ${TINY}`);
  await expect(model(page, TINY)).toBeVisible();
  expect(Object.keys(await stored(page))).toEqual([TINY]);
  expect((await hub.stats()).requests).toEqual([]);
});

test('clean: the dry run changes nothing, then cleaning removes what it showed', async ({ page }, testInfo) => {
  await openPanel(page);
  await download(page, TINY);
  // The same store under a manager whose maxSize it now exceeds.
  await openPanel(page, '&maxSize=1KiB');
  await expect(model(page, TINY)).toBeVisible();
  const before = await stored(page);
  await page.locator('hangar-panel').getByRole('button', { name: 'Clean: preview' }).click();
  const preview = page.locator('hangar-panel').getByLabel('Clean preview');
  await expect(preview).toContainText(`${TINY} @`);
  await expect(preview).toContainText('maxSize');
  expect(await stored(page)).toEqual(before);
  await snap(page, testInfo, 'clean-preview');
  page.once('dialog', (dialog) => void dialog.accept());
  await preview.getByRole('button', { name: 'Clean now' }).click();
  await expect(page.locator('hangar-panel .msg')).toContainText('Cleaned: 1 revision(s)');
  expect(await stored(page)).toEqual({});
});

test('a bad archive is refused with a message and the store is unchanged', async ({ page }, testInfo) => {
  await openPanel(page);
  await download(page, TINY);
  const before = await stored(page);
  await page
    .locator('hangar-panel input[type=file]')
    .setInputFiles({ name: 'bad.tar', mimeType: 'application/x-tar', buffer: Buffer.from('not a tar archive at all') });
  await expect(page.locator('hangar-panel').getByRole('alert')).toContainText('ARCHIVE_INVALID');
  expect(await stored(page)).toEqual(before);
  await snap(page, testInfo, 'bad-archive');
});

test('names with markup are shown as text; narrow, dark and docked it stays usable', async ({ page }, testInfo) => {
  const evil = '<img src=x onerror="window.pwned=1"><b>bold</b>.json';
  const repo = `hangar-test/markup-${Date.now().toString(36)}`;
  await hub.addRepo({ id: repo, commits: [{ files: { [evil]: '{"a":1}', 'config.json': '{}' } }] });
  await openPanel(page);
  await download(page, repo);
  const view = model(page, repo);
  await view.locator('summary').click();
  await expect(view.locator('td.path', { hasText: evil })).toHaveCount(1);
  expect(await page.locator('hangar-panel img, hangar-panel b').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
  await snap(page, testInfo, 'markup-as-text');

  await page.setViewportSize({ width: 360, height: 800 });
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(view.getByRole('button', { name: 'Verify' })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await snap(page, testInfo, 'narrow-dark');

  await page.goto(`/panel.html?mirror=${encodeURIComponent(hub.url)}&mode=dock`);
  const region = page.locator('hangar-panel').getByRole('region', { name: 'Hangar cache' });
  await expect(region).toBeHidden();
  await page.locator('hangar-panel').getByRole('button', { name: 'Hangar', exact: true }).click();
  await expect(region).toBeVisible();
  await snap(page, testInfo, 'docked');
  await page.locator('hangar-panel').getByRole('button', { name: 'Close the Hangar panel' }).click();
  await expect(region).toBeHidden();
});
