import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { expect, test, type Page } from '@playwright/test';
import type { AxeResults } from 'axe-core';
import { APP_PORT } from '../../playwright.config.ts';
import { hubControl } from '../support/hub-control.ts';
import { showScheme } from './color-scheme.ts';
import { speechWav } from '../../app/sample-clip.ts';

// axe-core (npm) over each page in the state a user sees most: no serious or critical violation, light and dark.
const hub = hubControl(process.env.HANGAR_HUB_URL!);
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

test.use({ baseURL: `http://127.0.0.1:${APP_PORT}` });
test.beforeEach(() => hub.reset());

async function violations(page: Page): Promise<string[]> {
  await page.addScriptTag({ content: AXE });
  const results = await page.evaluate(() => (window as unknown as { axe: { run: () => Promise<AxeResults> } }).axe.run());
  return results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.map((node) => node.target.join(' ')).join(', ')})`);
}

const PAGES: Array<{ name: string; open: (page: Page) => Promise<void> }> = [
  {
    name: 'the app, after a download and a transcription',
    open: async (page) => {
      await page.goto(`/?mirror=${encodeURIComponent(hub.url)}`);
      await page.getByRole('button', { name: 'Download', exact: true }).click();
      await expect(page.locator('#model-status')).toContainText('all verified');
      await page.locator('#file').setInputFiles({ name: 'speech.wav', mimeType: 'audio/wav', buffer: speechWav('Checked by axe.').wav });
      await page.getByRole('button', { name: 'Transcribe' }).click();
      await expect(page.locator('#transcribe-status')).toContainText('Done', { timeout: 60_000 });
    },
  },
  {
    name: 'the downloader, with a failure shown',
    open: async (page) => {
      await page.goto('/download.html');
      await page.getByLabel('Endpoint').fill(hub.url);
      await page.getByLabel('Repo').fill('hangar-test/private-model');
      await page.getByRole('button', { name: 'Download', exact: true }).click();
      await expect(page.getByRole('alert')).toBeVisible();
    },
  },
  {
    name: 'the panel, with a model',
    open: async (page) => {
      await page.goto(`/panel.html?mirror=${encodeURIComponent(hub.url)}`);
      await page.getByLabel('Repo').fill('hangar-test/tiny-multi');
      await page.getByRole('button', { name: 'Download', exact: true }).click();
      await expect(page.locator('#demo-status')).toContainText('Stored');
      await page.locator('hangar-panel details summary').first().click();
    },
  },
];

for (const { name, open } of PAGES) {
  test(`${name}: axe finds no serious violation, light or dark`, { tag: ['@engines', '@schemes'] }, async ({ page }, testInfo) => {
    await open(page);
    for (const scheme of ['light', 'dark'] as const) {
      if (!(await showScheme(page, scheme, testInfo))) continue;
      expect(await violations(page), scheme).toEqual([]);
    }
  });
}
