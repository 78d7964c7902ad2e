import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { APP_PORT } from '../../playwright.config.ts';
import { whisperTinyFiles } from '../fixtures/whisper/whisper-repo.ts';
import { hubControl } from '../support/hub-control.ts';
import { savedFile } from './saved-file.ts';
import { speechWav, toneWav } from '../../app/sample-clip.ts';

const hub = hubControl(process.env.HANGAR_HUB_URL!);
const REPO = 'hangar-test/whisper-tiny';
const ENCODER = 'onnx/encoder_model_quantized.onnx';
const DECODER = 'onnx/decoder_model_merged_quantized.onnx';

test.use({ baseURL: `http://127.0.0.1:${APP_PORT}` });
test.beforeEach(() => hub.reset());

async function openApp(page: Page): Promise<void> {
  await page.goto(`/?mirror=${encodeURIComponent(hub.url)}`);
  await expect(page.locator('#device')).toContainText('Recommended');
  await expect(page.locator('#variant')).toContainText('q8');
}

async function openWav(page: Page, testInfo: TestInfo): Promise<void> {
  const { wav } = speechWav('Hello from Hangar. The model runs in this browser, even without a network.');
  await page.locator('#file').setInputFiles({ name: 'speech.wav', mimeType: 'audio/wav', buffer: wav });
  await expect(page.locator('#audio-status')).toContainText('ready');
  await testInfo.attach('speech.wav', { body: wav, contentType: 'audio/wav' });
}

async function transcribe(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Transcribe' }).click();
  await expect(page.locator('#transcribe-status')).toContainText('RTF', { timeout: 60_000 });
  await expect(page.locator('#transcript li').first()).toBeVisible();
  await expect(page.locator('#transcript li time').first()).toHaveText(/^\d\d:\d\d\.\d → \d\d:\d\d\.\d$/);
}

/** A screenshot kept with the test's artifacts (test-results/e2e/<test>/<name>.png). */
async function snap(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
}

test(
  'downloads the fixture Whisper, transcribes a WAV, then works offline after a reload (shell from the service worker)',
  { tag: '@engines' },
  async ({ page, context }, testInfo) => {
    await openApp(page);
    await snap(page, testInfo, 'start');
    await page.getByRole('button', { name: 'Download', exact: true }).click();
    await expect(page.locator('#model-status')).toContainText('all verified');
    await expect(page.locator('#variants')).toContainText('q8: ');
    await expect(page.locator('#variants .cached')).toContainText('on this device');
    await snap(page, testInfo, 'downloaded');

    await openWav(page, testInfo);
    await transcribe(page);
    await expect(page.locator('#transcribe-status')).toContainText('wasm (q8/q8)');
    await snap(page, testInfo, 'transcribed');
    const online = await page.locator('#transcript').innerText();

    await page.evaluate(() => navigator.serviceWorker.ready);
    await hub.reset();
    await context.setOffline(true);
    await page.reload();
    await expect(page.locator('#network')).toContainText('Offline');
    await expect(page.locator('#variants .cached')).toContainText('q8');
    // Offline is said as such, not as an unreachable Hub.
    await expect(page.locator('#model-status')).toContainText('You are offline: showing what is on this device');
    await expect(page.locator('#variants')).toContainText('size unknown offline');
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    await openWav(page, testInfo);
    await transcribe(page);
    expect(await page.locator('#transcript').innerText()).toBe(online);
    await snap(page, testInfo, 'offline-transcribed');
    expect((await hub.stats()).requests).toEqual([]);
    // The sample clip first-time users get is precached with the app: it opens offline too.
    await page.getByRole('button', { name: 'Try the sample clip' }).click();
    await expect(page.locator('#audio-status')).toContainText(/The sample clip: \d+\.\d s of audio, ready/);

    // Exports: the transcript as text and SRT.
    const txt = await savedFile(page, 'Download .txt');
    expect(txt.name).toBe('transcript.txt');
    expect(txt.text.trim().split('\n')).toEqual(await page.locator('#transcript li span').allInnerTexts());
    const srt = await savedFile(page, 'Download .srt');
    expect(srt.name).toBe('transcript.srt');
    expect(srt.text).toMatch(/^1\n00:00:\d\d,\d{3} --> 00:00:\d\d,\d{3}\n\S/);
    await context.setOffline(false);
  },
);

test(
  'a download interrupted by a reload resumes from its partial; pause and resume work',
  { tag: '@engines' },
  async ({ page }, testInfo) => {
    const slow = await hub.addFault({ repo: REPO, path: DECODER, times: 0, fault: { type: 'throttle', bytesPerSecond: 8 * 1024 } });
    await openApp(page);
    await page.getByRole('button', { name: 'Download', exact: true }).click();
    const decoderBar = page.getByLabel(DECODER, { exact: true });
    await expect(page.getByRole('button', { name: 'Pause' })).toBeEnabled();
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect(page.locator('#model-status')).toContainText('Paused');
    await snap(page, testInfo, 'paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(async () => Number(await decoderBar.getAttribute('value')), { timeout: 30_000 }).toBeGreaterThan(16 * 1024);
    await page.reload();
    const before = (await hub.stats()).files[`${REPO}/${DECODER}`]!;
    await hub.removeFault(slow);

    await expect(page.locator('#device')).toContainText('Recommended');
    await expect(page.locator('#variant')).toContainText('q8');
    // After the reload the page shows the stopped download as such, and offers to resume it.
    await expect(page.locator('#variants .partial')).toContainText(/q8: .* partly on this device \(\d of 7 files\)/);
    await page.getByRole('button', { name: 'Resume download', exact: true }).click();
    await expect(page.locator('#model-status')).toContainText('all verified');
    await expect(page.locator('#variants .partial')).toHaveCount(0);
    const after = (await hub.stats()).files[`${REPO}/${DECODER}`]!;
    expect(after.rangeRequests).toBeGreaterThanOrEqual(1);
    // What had arrived before the reload (at least 16 KiB) is kept: only what was in flight is fetched twice.
    const size = (whisperTinyFiles(REPO)[DECODER] as Uint8Array).byteLength;
    expect(after.bytes - before.bytes).toBeLessThanOrEqual(size - 16 * 1024 + 8 * 1024);
    await openWav(page, testInfo);
    await transcribe(page);
  },
);

test('a corrupted file from the mirror is explained in words and nothing broken is kept', async ({ page }, testInfo) => {
  const corrupt = await hub.addFault({ repo: REPO, path: ENCODER, times: 0, fault: { type: 'corrupt', atByte: 1000 } });
  await openApp(page);
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  await expect(page.getByRole('alert')).toContainText('damaged', { timeout: 60_000 });
  await expect(page.getByRole('alert')).toContainText('INTEGRITY_MISMATCH');
  // Only the error describes the section now: no stale "Downloading … of …" beside it.
  await expect(page.locator('#model-status')).toBeEmpty();
  await expect(page.locator('#variants .cached')).toHaveCount(0);
  await snap(page, testInfo, 'corrupt-error');

  await hub.removeFault(corrupt);
  // The decoder was stored before the encoder failed: the variant is partly there, and the button says so.
  await page.getByRole('button', { name: /^(Resume download|Download)$/ }).click();
  await expect(page.locator('#model-status')).toContainText('all verified');
  await openWav(page, testInfo);
  await transcribe(page);
});

test('records from the microphone (Chromium’s fake device) and transcribes the recording', async ({ page, context }) => {
  await context.grantPermissions(['microphone']);
  await openApp(page);
  await page.getByRole('button', { name: 'Record' }).click();
  await expect(page.locator('#audio-status')).toContainText('Recording');
  // More than a second of the fake device's beep, by the page's own recording timer.
  await expect(page.locator('#record-time')).toHaveText('00:02', { timeout: 5_000 });
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.locator('#audio-status')).toContainText('The recording: ');
  await transcribe(page);
});

test('long audio is transcribed 30 s at a time, each window’s text shown as it comes', async ({ page }) => {
  await openApp(page);
  await page.locator('#file').setInputFiles({ name: 'tone.wav', mimeType: 'audio/wav', buffer: toneWav(65) });
  await expect(page.locator('#audio-status')).toContainText('65.0 s of audio, ready');
  // The page keeps painting while the worker transcribes: count animation frames meanwhile.
  await page.evaluate(() => {
    const counter = { frames: 0 };
    Object.assign(window, { counter });
    const tick = () => (counter.frames++, requestAnimationFrame(tick));
    requestAnimationFrame(tick);
  });
  const started = Date.now();
  await transcribe(page);
  const seconds = (Date.now() - started) / 1000;
  const frames = await page.evaluate(() => (window as unknown as { counter: { frames: number } }).counter.frames);
  expect(frames).toBeGreaterThan(seconds * 20);
  const starts = await page.locator('#transcript li time').evaluateAll((times) => times.map((time) => time.textContent.split(' → ')[0]!));
  expect(starts.some((start) => start >= '00:30' && start < '01:00')).toBe(true);
  expect(starts.some((start) => start >= '01:00')).toBe(true);
  expect(starts.every((start) => start <= '01:05')).toBe(true);
  // Streamed: the first window's text was on screen before the last window was done.
  const marks = await page.evaluate(() =>
    ['hangar:first-segment', 'hangar:transcribed'].map((name) => performance.getEntriesByName(name)[0]!.startTime),
  );
  expect(marks[0]).toBeLessThan(marks[1]! - 500);
});

test('installable as a PWA: Chromium reports no installability error (manifest, icons, service worker)', async ({ page, browserName }) => {
  test.skip(browserName !== 'chromium', 'installability is a Chromium DevTools Protocol query');
  await openApp(page);
  await page.evaluate(() => navigator.serviceWorker.ready);
  const client = await page.context().newCDPSession(page);
  const { installabilityErrors } = (await client.send('Page.getInstallabilityErrors')) as {
    installabilityErrors: Array<{ errorId: string }>;
  };
  // Playwright's browser contexts are off the record, which Chromium reports as `in-incognito`: the one error not about the app.
  expect(installabilityErrors.map((error) => error.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
  const manifest = (await client.send('Page.getAppManifest')) as { errors: unknown[]; url: string };
  expect(manifest.errors).toEqual([]);
  expect(manifest.url).toMatch(/manifest\.webmanifest$/);
});
