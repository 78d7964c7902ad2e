import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { APP_PORT } from '../../playwright.config.ts';
import { speechWav } from '../../app/sample-clip.ts';
import { hubControl } from '../support/hub-control.ts';

const hub = hubControl(process.env.HANGAR_HUB_URL!);

test.use({ baseURL: `http://127.0.0.1:${APP_PORT}` });
test.beforeEach(() => hub.reset());

/**
 * Playwright cannot answer the browser's own folder picker: the page's `showDirectoryPicker` gives
 * an OPFS folder instead, a FileSystemDirectoryHandle like the one the picker returns.
 */
async function pickerGivesOpfsFolder(page: Page): Promise<void> {
  await page.addInitScript(() => {
    if (!('showDirectoryPicker' in window)) return;
    (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle('picked-backup', { create: true });
  });
}

async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await page.locator('#backup').screenshot({ path: testInfo.outputPath(`${name}.png`) });
}

test('backs the model up to a folder, restores it after the store is wiped with no network, and transcribes', async ({
  page,
  context,
}, testInfo) => {
  await pickerGivesOpfsFolder(page);
  await page.goto(`/?mirror=${encodeURIComponent(hub.url)}`);
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  await expect(page.locator('#model-status')).toContainText('all verified');

  await page.getByText('Back up models to a folder').click();
  await expect(page.locator('#backup-status')).toHaveText('No backup folder chosen.');
  await expect(page.getByRole('button', { name: 'Back up now' })).toBeDisabled();
  await page.getByRole('button', { name: 'Choose backup folder…' }).click();
  await expect(page.locator('#backup-status')).toContainText(/Backed up 1 model to “picked-backup”: \d+ new files/);
  await snap(page, testInfo, 'backed-up');

  // The folder is remembered; after a reload the browser wants the user's permission again (as Chrome does for a
  // picked folder), and the section asks for it.
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.addInitScript(() => {
    const proto = FileSystemHandle.prototype as unknown as Record<string, unknown>;
    proto.queryPermission = () => Promise.resolve(sessionStorage.getItem('allowed') === null ? 'prompt' : 'granted');
    proto.requestPermission = () => (sessionStorage.setItem('allowed', '1'), Promise.resolve('granted'));
  });
  await page.reload();
  await page.getByText('Back up models to a folder').click();
  await expect(page.locator('#backup-status')).toHaveText('The browser needs your permission again to write to “picked-backup”.');
  await expect(page.getByRole('button', { name: 'Back up now' })).toBeDisabled();
  await page.getByRole('button', { name: 'Allow access to the folder' }).click();
  await expect(page.getByRole('button', { name: 'Allow access to the folder' })).toBeHidden();
  await expect(page.locator('#backup-status')).toContainText('Backing up to “picked-backup” once a day. Last backup');
  await expect(page.getByRole('button', { name: 'Change backup folder…' })).toBeVisible();
  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.locator('#backup-status')).toContainText('Up to date: 1 model, nothing new to copy.');

  // The browser evicts the store, and the network is gone.
  await context.setOffline(true);
  await hub.reset();
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete from this device' }).click();
  await expect(page.locator('#model-status')).toContainText('Deleted from this device');
  await expect(page.locator('#variants .cached')).toHaveCount(0);
  await page.getByRole('button', { name: 'Restore from a folder…' }).click();
  await expect(page.locator('#backup-status')).toContainText('Restored 1 model from “picked-backup”, every file checked.');
  await expect(page.locator('#variants .cached')).toContainText('on this device');
  await snap(page, testInfo, 'restored');

  const { wav } = speechWav('Restored from a backup folder.');
  await page.locator('#file').setInputFiles({ name: 'speech.wav', mimeType: 'audio/wav', buffer: wav });
  await expect(page.locator('#audio-status')).toContainText('ready');
  await page.getByRole('button', { name: 'Transcribe' }).click();
  await expect(page.locator('#transcribe-status')).toContainText('RTF', { timeout: 60_000 });
  await expect(page.locator('#transcript li').first()).toBeVisible();
  expect((await hub.stats()).requests).toEqual([]);
});

test('a damaged backup file is refused, and the page says which model to download again', async ({ page }) => {
  await pickerGivesOpfsFolder(page);
  await page.goto(`/?mirror=${encodeURIComponent(hub.url)}`);
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  await expect(page.locator('#model-status')).toContainText('all verified');
  await page.getByText('Back up models to a folder').click();
  await page.getByRole('button', { name: 'Choose backup folder…' }).click();
  await expect(page.locator('#backup-status')).toContainText('Backed up 1 model');
  // Flip one byte in the middle of the largest backed-up file.
  await page.evaluate(async () => {
    const blobs = await (await (await navigator.storage.getDirectory()).getDirectoryHandle('picked-backup')).getDirectoryHandle('blobs');
    const files: File[] = [];
    for await (const handle of (blobs as unknown as { values(): AsyncIterable<FileSystemFileHandle> }).values())
      files.push(await handle.getFile());
    const largest = files.reduce((a, b) => (b.size > a.size ? b : a));
    const bytes = new Uint8Array(await largest.arrayBuffer());
    bytes[bytes.length >> 1]! ^= 0xff;
    const writable = await (await blobs.getFileHandle(largest.name)).createWritable();
    await writable.write(bytes);
    await writable.close();
  });
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete from this device' }).click();
  await expect(page.locator('#model-status')).toContainText('Deleted from this device');
  await page.getByRole('button', { name: 'Restore from a folder…' }).click();
  await expect(page.locator('#backup-status')).toContainText(
    'Restored 0 models from “picked-backup”, every file checked. 1 damaged or missing file refused; download hangar-test/whisper-tiny again.',
  );
  await expect(page.locator('#variants .cached')).toHaveCount(0);
});

test('is offered only where the browser can pick a folder', { tag: '@engines' }, async ({ page }) => {
  await page.goto(`/?mirror=${encodeURIComponent(hub.url)}`);
  await expect(page.locator('#device')).toContainText('Recommended');
  const canPick = await page.evaluate(() => 'showDirectoryPicker' in window);
  await expect(page.locator('#backup')).toBeVisible({ visible: canPick });
});
