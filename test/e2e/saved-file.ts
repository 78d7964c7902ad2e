import { readFile } from 'node:fs/promises';
import type { Page } from '@playwright/test';

/**
 * Clicks a save button and returns the file the page offered. Chromium: the real download.
 * Firefox: Playwright's BiDi driver reports no downloads, so the page's own link is read instead.
 */
export async function savedFile(page: Page, button: string): Promise<{ name: string; text: string }> {
  if (page.context().browser()?.browserType().name() !== 'firefox') {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: button }).click()]);
    return { name: download.suggestedFilename(), text: await readFile(await download.path(), 'utf8') };
  }
  await page.evaluate(() => {
    const click = HTMLAnchorElement.prototype.click;
    const page = window as unknown as { saved?: Promise<{ name: string; text: string }> };
    HTMLAnchorElement.prototype.click = function (this: HTMLAnchorElement) {
      HTMLAnchorElement.prototype.click = click;
      page.saved = fetch(this.href)
        .then((response) => response.text())
        .then((text) => ({ name: this.download, text }));
    };
  });
  await page.getByRole('button', { name: button }).click();
  return page.evaluate(() => (window as unknown as { saved: Promise<{ name: string; text: string }> }).saved);
}
