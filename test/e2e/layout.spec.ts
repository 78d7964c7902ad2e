import { expect, test, type Page } from '@playwright/test';
import { APP_PORT } from '../../playwright.config.ts';
import { hubControl } from '../support/hub-control.ts';
import { showScheme } from './color-scheme.ts';
import { toneWav } from '../../app/sample-clip.ts';

// Every page at a phone's 375 px and a desktop's 1280 px, light and dark: no sideways scrolling,
// real per-file bars, and a screenshot of each kept (test-results/e2e/<test>/<page>-<width>-<scheme>.png).
const hub = hubControl(process.env.HANGAR_HUB_URL!);
const mirror = () => encodeURIComponent(hub.url);

test.use({ baseURL: `http://127.0.0.1:${APP_PORT}` });
test.beforeEach(() => hub.reset());

const PAGES: Array<{ name: string; open: (page: Page) => Promise<void> }> = [
  {
    name: 'app',
    open: async (page) => {
      await page.goto(`/?mirror=${mirror()}`);
      await expect(page.locator('#variant')).toContainText('q8');
      await page.getByRole('button', { name: 'Download', exact: true }).click();
      await expect(page.locator('#model-status')).toContainText('all verified');
    },
  },
  {
    name: 'download',
    open: async (page) => {
      await page.goto('/download.html');
      await page.getByLabel('Endpoint').fill(hub.url);
      await page.getByLabel('Repo').fill('hangar-test/whisper-tiny');
      await page.getByRole('button', { name: 'Download', exact: true }).click();
      await expect(page.getByRole('status')).toContainText('all verified');
    },
  },
  {
    name: 'panel',
    open: async (page) => {
      await page.goto(`/panel.html?mirror=${mirror()}`);
      await expect(page.locator('hangar-panel .usage')).toBeVisible();
    },
  },
];

for (const { name, open } of PAGES) {
  for (const width of [375, 1280]) {
    test(`${name} at ${width} px fits the screen in light and dark`, { tag: ['@engines', '@schemes'] }, async ({ page }, testInfo) => {
      await page.setViewportSize({ width, height: 800 });
      await open(page);
      for (const scheme of ['light', 'dark'] as const) {
        if (!(await showScheme(page, scheme, testInfo))) continue;
        const { scrollWidth, innerWidth } = await page.evaluate(() => ({
          scrollWidth: document.documentElement.scrollWidth,
          innerWidth: window.innerWidth,
        }));
        expect(scrollWidth, `${name} scrolls sideways at ${width} px`).toBeLessThanOrEqual(innerWidth);
        await page.screenshot({ path: testInfo.outputPath(`${name}-${width}-${scheme}.png`), fullPage: true });
      }
      // Per-file bars are bars, not dots.
      for (const bar of await page.locator('.file-row progress').all()) expect((await bar.boundingBox())!.width).toBeGreaterThan(40);
    });
  }
}

test('by keyboard: Tab reaches the controls in order, and focus stays in place when a pressed button turns off', async ({ page }) => {
  await page.goto(`/?mirror=${mirror()}`);
  await expect(page.locator('#variant')).toContainText('q8');
  await page.locator('#model').focus();
  const focused = () => page.evaluate(() => document.activeElement?.id ?? '');
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('variant');
  await page.keyboard.press('Tab');
  expect(await focused()).toBe('download');
  await page.keyboard.press('Enter');
  // Download turned off while the job ran: focus moved along its row (Pause, then Delete once stored), never to the page.
  await expect(page.locator('#model-status')).toContainText('all verified');
  await expect.poll(focused).toBe('delete');

  await page.locator('#file').setInputFiles({ name: 'tone.wav', mimeType: 'audio/wav', buffer: toneWav(120, 8000) });
  await expect(page.locator('#audio-status')).toContainText('ready');
  await page.getByRole('button', { name: 'Transcribe' }).focus();
  await page.keyboard.press('Enter');
  await expect.poll(focused).toBe('stop');
  await page.keyboard.press('Enter');
  await expect(page.locator('#transcribe-status')).toContainText('Stopped');
  await expect.poll(focused).toBe('transcribe');
});
