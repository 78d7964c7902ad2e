import { expect, test } from '@playwright/test';
import { APP_PORT } from '../../playwright.config.ts';
import { hubControl } from '../support/hub-control.ts';

const hub = hubControl(process.env.HANGAR_HUB_URL!);

// The app as built (app/vite.config.ts).
test.use({ baseURL: `http://127.0.0.1:${APP_PORT}` });

test('the demo app downloads a repo from the mirror with progress, and explains a failure in words', async ({ page }, testInfo) => {
  await page.goto('/download.html');
  await page.getByLabel('Endpoint').fill(hub.url);
  await page.getByLabel('Repo').fill('hangar-test/tiny-multi');
  await page.getByRole('button', { name: 'Download' }).click();
  await expect(page.getByRole('status')).toContainText('all verified', { timeout: 30_000 });
  await expect(page.locator('#progress tbody tr')).toHaveCount(5);
  await expect(page.locator('#progress tbody')).not.toContainText('error');
  await page.screenshot({ path: testInfo.outputPath('downloaded.png'), fullPage: true });

  await page.getByLabel('Repo').fill('hangar-test/private-model');
  await page.getByRole('button', { name: 'Download' }).click();
  await expect(page.getByRole('alert')).toContainText('access token');
  await expect(page.getByRole('alert')).toContainText('AUTH_REQUIRED');
  await page.screenshot({ path: testInfo.outputPath('auth-error.png'), fullPage: true });
});
