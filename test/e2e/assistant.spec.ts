import { expect, test } from '@playwright/test';
import { APP_PORT } from '../../playwright.config.ts';
import { speechWav } from '../../app/sample-clip.ts';
import { hubControl } from '../support/hub-control.ts';

// The transcript assistant (issue 15): the tiny LLM from the local mirror tidies up and summarises a transcript.
const hub = hubControl(process.env.HANGAR_HUB_URL!);
const LLM = 'hangar-test/tiny-llm';

test.use({ baseURL: `http://127.0.0.1:${APP_PORT}` });
test.beforeEach(() => hub.reset());

test(
  'after a transcript, Tidy up and Summarise write the assistant’s text with tokens/s, fetching only the planned variant; offline after one visit',
  { tag: '@engines' },
  async ({ page, context }) => {
    await page.goto(`/?mirror=${encodeURIComponent(hub.url)}`);
    await expect(page.locator('#variant')).toContainText('q8');
    await expect(page.getByRole('button', { name: 'Tidy up' })).toBeDisabled();
    await page.locator('#file').setInputFiles({ name: 'speech.wav', mimeType: 'audio/wav', buffer: speechWav('Tidy me up, please.').wav });
    await page.getByRole('button', { name: 'Transcribe' }).click();
    await expect(page.locator('#transcribe-status')).toContainText('Done', { timeout: 60_000 });
    await expect(page.locator('#assistant-fixture-note')).toBeVisible();

    await page.getByRole('button', { name: 'Tidy up' }).click();
    await expect(page.locator('#assistant-status')).toContainText(/Done: \d+ tokens, [\d.]+ tokens\/s/, { timeout: 60_000 });
    await expect(page.locator('#assistant-output')).not.toBeEmpty();
    // Only the planned variant and its external data came from the mirror.
    const fetched = Object.keys((await hub.stats()).files).filter((key) => key.startsWith(`${LLM}/onnx/`));
    expect(fetched).toHaveLength(2);
    expect(fetched.some((key) => key.endsWith('.onnx_data'))).toBe(true);
    await page.getByRole('button', { name: 'Summarise' }).click();
    await expect(page.locator('#assistant-status')).toContainText(/Done: \d+ tokens/, { timeout: 60_000 });
    // The picker lists each variant with its size; the one used is on this device, the others are not.
    const variants = page.locator('#assistant-variants li');
    await expect(variants).toHaveCount(5);
    await expect(page.locator('#assistant-variants .cached')).toHaveCount(1);
    await expect(page.locator('#assistant-variants .cached')).toContainText(/^q8: [\d.]+ KiB · on this device$/);

    // Offline, a new page (from the service worker) transcribes and runs the assistant from the store: no request at all.
    await page.evaluate(() => navigator.serviceWorker.ready);
    await hub.reset();
    await context.setOffline(true);
    await page.reload();
    await expect(page.locator('#assistant-variants .cached')).toContainText('q8');
    await page.locator('#file').setInputFiles({ name: 'speech.wav', mimeType: 'audio/wav', buffer: speechWav('Again.').wav });
    await page.getByRole('button', { name: 'Transcribe' }).click();
    await expect(page.locator('#transcribe-status')).toContainText('Done', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Tidy up' }).click();
    await expect(page.locator('#assistant-status')).toContainText(/Done: \d+ tokens/, { timeout: 60_000 });
    await expect(page.locator('#assistant-output')).not.toBeEmpty();
    expect((await hub.stats()).requests).toEqual([]);
  },
);

test('Stop while the assistant model downloads ends it at once; the next try continues the download and answers', async ({ page }) => {
  const slow = await hub.addFault({
    repo: LLM,
    path: 'onnx/model_quantized.onnx_data',
    times: 0,
    fault: { type: 'throttle', bytesPerSecond: 4 * 1024 },
  });
  await page.goto(`/?mirror=${encodeURIComponent(hub.url)}`);
  await page.locator('#file').setInputFiles({ name: 'speech.wav', mimeType: 'audio/wav', buffer: speechWav('Stop the download.').wav });
  await page.getByRole('button', { name: 'Transcribe' }).click();
  await expect(page.locator('#transcribe-status')).toContainText('Done', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Tidy up' }).click();
  // The status names the file downloading: Stop once part of the weights has arrived.
  await expect(page.locator('#assistant-status')).toContainText(/Downloading the assistant model: model_quantized\.onnx_data [1-9]/, {
    timeout: 30_000,
  });
  await page.locator('#assistant-stop').click();
  await expect(page.locator('#assistant-status')).toContainText('Stopped. What was downloaded is kept', { timeout: 2_000 });
  await expect(page.getByRole('button', { name: 'Tidy up' })).toBeEnabled();

  await hub.removeFault(slow);
  await page.getByRole('button', { name: 'Tidy up' }).click();
  await expect(page.locator('#assistant-status')).toContainText('Done', { timeout: 60_000 });
  // The data file was continued with a Range request, not fetched again from byte 0.
  expect((await hub.stats()).files[`${LLM}/onnx/model_quantized.onnx_data`]!.rangeRequests).toBeGreaterThanOrEqual(1);
});
