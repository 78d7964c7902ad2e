import { expect, test, type Page } from '@playwright/test';
import { APP_PORT } from '../../playwright.config.ts';
import { hubControl } from '../support/hub-control.ts';
import { savedFile } from './saved-file.ts';
import { speechWav, toneWav } from '../../app/sample-clip.ts';

// Each test reproduces a defect users met in the app (issue 14) and checks the fixed behaviour.
const hub = hubControl(process.env.HANGAR_HUB_URL!);
const REPO = 'hangar-test/whisper-tiny';
const DECODER = 'onnx/decoder_model_merged_quantized.onnx';
const ENCODER = 'onnx/encoder_model_quantized.onnx';

test.use({ baseURL: `http://127.0.0.1:${APP_PORT}` });
test.beforeEach(() => hub.reset());

async function openApp(page: Page, query = ''): Promise<void> {
  await page.goto(`/?mirror=${encodeURIComponent(hub.url)}&hub=${encodeURIComponent(hub.url)}${query}`);
  await expect(page.locator('#device')).toContainText('Recommended');
  await expect(page.locator('#variant')).toContainText('q8');
}

async function downloaded(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Download', exact: true }).click();
  await expect(page.locator('#model-status')).toContainText('all verified');
}

async function openAudio(page: Page, name: string, buffer: Buffer): Promise<void> {
  await page.locator('#file').setInputFiles({ name, mimeType: 'audio/wav', buffer });
  await expect(page.locator('#audio-status')).toContainText('ready');
}

test(
  'Stop ends a long transcription within a second, keeps what was heard, and the next run starts clean',
  { tag: '@engines' },
  async ({ page }) => {
    await openApp(page);
    await downloaded(page);
    await openAudio(page, 'ten-minutes.wav', toneWav(600, 8000));
    const transcribe = page.getByRole('button', { name: 'Transcribe' });
    await transcribe.click();
    // One run at a time: Transcribe stays disabled while windows arrive.
    await expect(page.locator('#transcribe-status')).toContainText(/window [2-9] of 20/, { timeout: 60_000 });
    await expect(transcribe).toBeDisabled();
    const stopped = Date.now();
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    // The status says Stopped once the run has returned (or its worker was ended): no window is made after it, and a late report is dropped.
    await expect(page.locator('#transcribe-status')).toContainText(/Stopped\. \d+ segment\(s\) kept\./, { timeout: 5_000 });
    expect(Date.now() - stopped).toBeLessThan(2_500);
    expect(await page.locator('#transcribe-bar').evaluate((bar: HTMLProgressElement) => bar.value)).toBeLessThan(20);
    const kept = await page.locator('#transcript li').count();
    await expect(page.locator('#transcribe-status')).toContainText(`Stopped. ${kept} segment(s) kept.`);
    await expect(transcribe).toBeEnabled();
    await expect(page.getByRole('button', { name: 'Stop', exact: true })).toBeDisabled();

    // The next run starts from an empty transcript and its segments come in order (no second run interleaved).
    await openAudio(page, 'speech.wav', speechWav('One run at a time.').wav);
    // Opening the next audio came after the stopped run's last report could have arrived: what it kept is still all there is.
    await expect(page.locator('#transcript li')).toHaveCount(kept);
    await transcribe.click();
    await expect(page.locator('#transcribe-status')).toContainText('Done', { timeout: 60_000 });
    const starts = await page.locator('#transcript li time').evaluateAll((times) => times.map((time) => time.textContent.split(' → ')[0]!));
    expect(starts.length).toBeGreaterThan(0);
    expect([...starts].sort()).toEqual(starts);
    expect(starts.every((start) => start < '00:10')).toBe(true);
  },
);

test('Stop while Transcribe is still downloading the model cancels that download, and nothing runs after', async ({ page }) => {
  const slow = await hub.addFault({ repo: REPO, path: DECODER, times: 0, fault: { type: 'throttle', bytesPerSecond: 8 * 1024 } });
  await openApp(page);
  await openAudio(page, 'speech.wav', speechWav('Not yet.').wav);
  await page.getByRole('button', { name: 'Transcribe' }).click();
  await expect(page.locator('#model-status')).toContainText('Downloading');
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
  await expect(page.locator('#transcribe-status')).toContainText('Stopped before the model was ready', { timeout: 5_000 });
  await expect(page.locator('#model-status')).toContainText('Download cancelled');
  await expect(page.locator('#transcript li')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Transcribe' })).toBeEnabled();
  await hub.removeFault(slow);
});

test(
  'languages are named and detected by default; translate and every export carry the choice',
  { tag: '@engines' },
  async ({ page, browserName }) => {
    await openApp(page);
    const language = page.getByLabel('Language');
    await expect(language.locator('option').first()).toHaveText('Detect automatically');
    await downloaded(page);
    // The model's own language list (its generation config), by name.
    await expect(language.locator('option', { hasText: /^German$/ })).toHaveCount(1);
    await expect(language.locator('option', { hasText: /^French$/ })).toHaveCount(1);
    await openAudio(page, 'speech.wav', speechWav('Bonjour.').wav);
    await page.getByRole('button', { name: 'Transcribe' }).click();
    await expect(page.locator('#transcribe-status')).toContainText('(detected)', { timeout: 60_000 });

    await language.selectOption({ label: 'French' });
    await page.getByLabel('Task').selectOption('translate');
    await page.getByRole('button', { name: 'Transcribe' }).click();
    await expect(page.locator('#transcribe-status')).toContainText('French.', { timeout: 60_000 });
    const json = await savedFile(page, 'Download .json');
    expect(json.name).toBe('transcript.json');
    const parsed = JSON.parse(json.text) as { language: string; task: string; model: string; segments: unknown[] };
    expect(parsed).toMatchObject({ language: 'fr', task: 'translate', model: REPO });
    expect(parsed.segments.length).toBe(await page.locator('#transcript li').count());
    const vtt = await savedFile(page, 'Download .vtt');
    expect(vtt.name).toBe('transcript.vtt');
    expect(vtt.text).toMatch(/^WEBVTT\n\n00:00:\d\d\.\d{3} --> 00:00:\d\d\.\d{3}\n\S/);

    // Firefox lets a click write the clipboard without a permission (and its driver cannot grant one).
    if (browserName === 'chromium') await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.getByRole('button', { name: 'Copy' }).click();
    await expect(page.locator('#transcribe-status')).toContainText('Copied');
  },
);

test('an English-only model says so: no language to pick, no translation', async ({ page }) => {
  await openApp(page);
  await page.locator('#model').selectOption('onnx-community/whisper-tiny.en');
  await expect(page.getByLabel('Language')).toHaveText('English (this model is English-only)');
  await expect(page.getByLabel('Language')).toBeDisabled();
  await expect(page.getByLabel('Task')).toBeDisabled();
  await expect(page.locator('#language-note')).toContainText('cannot translate');
  await page.locator('#model').selectOption('hangar-test/whisper-tiny');
  await expect(page.getByLabel('Language').locator('option').first()).toHaveText('Detect automatically');
  await expect(page.getByLabel('Language')).toBeEnabled();
});

test('a first-time user can transcribe the sample clip the build made', async ({ page }) => {
  await openApp(page);
  await page.getByRole('button', { name: 'Try the sample clip' }).click();
  await expect(page.locator('#audio-status')).toContainText(/The sample clip: \d+\.\d s of audio, ready/);
  await page.getByRole('button', { name: 'Transcribe' }).click();
  // Not stored yet: Transcribe downloads the model first, then transcribes.
  await expect(page.locator('#model-status')).toContainText('all verified', { timeout: 60_000 });
  await expect(page.locator('#transcribe-status')).toContainText('Done', { timeout: 60_000 });
  await expect(page.locator('#transcript li').first()).toBeVisible();

  // Deleted, then Transcribe again: while the model downloads again, the last run's "Done" is gone.
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete from this device' }).click();
  await expect(page.locator('#model-status')).toContainText('Deleted from this device');
  await page.getByRole('button', { name: 'Transcribe' }).click();
  await expect(page.locator('#transcribe-status')).not.toContainText('Done');
  await expect(page.locator('#transcribe-status')).toContainText('Done', { timeout: 60_000 });
});

test('an unreachable Hub is told apart from being offline, and the stored model is still shown', async ({ page }) => {
  await openApp(page);
  await downloaded(page);
  // A mirror that refuses connections, while this device is online.
  await page.goto(`/?mirror=${encodeURIComponent('http://127.0.0.1:9')}`);
  await expect(page.locator('#model-status')).toContainText('http://127.0.0.1:9 is unreachable: showing what is on this device');
  await expect(page.locator('#variants')).toContainText('size unknown (Hub unreachable)');
  await expect(page.locator('#variants .cached')).toContainText('q8');
  await expect(page.locator('#model-section').getByRole('alert')).toHaveCount(0);
  // Offline (the same page after a reload from the service worker) is covered in pwa.spec.ts.
});

test('a model that fails to open is explained, and the next run works without a reload', async ({ page }) => {
  await openApp(page);
  await downloaded(page);
  // Take the stored bytes away behind the store's back, and make the mirror refuse the encoder:
  // opening the model must fetch it again, and fails.
  await page.evaluate(async () => {
    const blobs = await (await (await navigator.storage.getDirectory()).getDirectoryHandle('hangar')).getDirectoryHandle('blobs');
    for await (const name of (blobs as unknown as { keys(): AsyncIterable<string> }).keys()) await blobs.removeEntry(name);
  });
  const missing = await hub.addFault({ repo: REPO, path: ENCODER, times: 0, fault: { type: 'status', status: 404 } });
  await openAudio(page, 'speech.wav', speechWav('Try again.').wav);
  await page.getByRole('button', { name: 'Transcribe' }).click();
  const error = page.locator('#transcript-section').getByRole('alert');
  await expect(error).toContainText('The transcription failed', { timeout: 60_000 });
  await expect(error).toContainText('could not be opened on this device');
  await expect(error).not.toContainText(/TypeError|ReferenceError|at \w+ \(/);
  await expect(page.getByRole('button', { name: 'Transcribe' })).toBeEnabled();

  await hub.removeFault(missing);
  await page.getByRole('button', { name: 'Transcribe' }).click();
  await expect(page.locator('#transcribe-status')).toContainText('Done', { timeout: 60_000 });
  await expect(error).toBeHidden();
});

test('WebGPU is offered only when the probe found a usable adapter', async ({ page }) => {
  await openApp(page);
  const usable = await page.evaluate(async () => {
    const gpu = (navigator as Navigator & { gpu?: { requestAdapter(): Promise<{ info?: { isFallbackAdapter?: boolean } } | null> } }).gpu;
    const adapter = await gpu?.requestAdapter();
    return (
      adapter != null && adapter.info?.isFallbackAdapter !== true && !/swiftshader/i.test(document.querySelector('#device')!.textContent)
    );
  });
  const option = page.locator('#backend option[value="webgpu"]');
  if (usable) await expect(option).toBeEnabled();
  else {
    await expect(option).toBeDisabled();
    await expect(option).toHaveText('WebGPU (not available on this device)');
  }
});

test('status lines describe the latest action and errors show in the section that failed, in plain words', async ({ page }) => {
  await openApp(page);
  await downloaded(page);
  page.once('dialog', (dialog) => void dialog.accept());
  await page.getByRole('button', { name: 'Delete from this device' }).click();
  await expect(page.locator('#model-status')).toContainText('Deleted from this device');
  await expect(page.locator('#model-status')).not.toContainText('verified');
  await expect(page.locator('#variants .cached')).toHaveCount(0);

  // A model the Hub does not have (it answers 401 for those, as for private ones): explained in the Model section.
  await hub.reset();
  await page.locator('#model').selectOption('onnx-community/whisper-base');
  const alert = page.locator('#model-section').getByRole('alert');
  await expect(alert).toContainText('does not exist, or it is private');
  await expect(page.locator('#audio-section, #transcript-section').getByRole('alert')).toHaveCount(0);
  // One round of metadata requests for the four variant plans.
  const revisions = (await hub.stats()).requests.filter((request) => request.url.includes('/revision/'));
  expect(revisions).toHaveLength(1);

  // Unreadable audio: the error is in the Audio section.
  await page.locator('#file').setInputFiles({ name: 'notes.txt', mimeType: 'audio/wav', buffer: Buffer.from('not audio') });
  await expect(page.locator('#audio-section').getByRole('alert')).toContainText('could not be read as audio');
});

test('a remembered Hub model does not contact the Hub when the page loads', async ({ page }) => {
  await openApp(page);
  await page.locator('#model').selectOption('onnx-community/whisper-small');
  await expect(page.locator('#model-section').getByRole('alert')).toBeVisible();
  await hub.reset();
  await page.reload();
  await expect(page.locator('#variants')).toContainText('size not checked yet');
  await expect(page.getByRole('button', { name: 'Download', exact: true })).toBeEnabled();
  // Then a request the page makes on purpose (the assistant's plans for another model): any request of the load came before it.
  const later = 'HuggingFaceTB/SmolLM2-135M-Instruct';
  await page.locator('#assistant-model').selectOption(later);
  await expect.poll(async () => (await hub.stats()).requests.length).toBeGreaterThan(0);
  expect((await hub.stats()).requests.filter((request) => !request.url.includes(later))).toEqual([]);
});

test('recording shows a running timer and the input level; a dropped file is read', async ({ page, context }) => {
  await context.grantPermissions(['microphone']);
  await openApp(page);
  await page.getByRole('button', { name: 'Record' }).click();
  await expect(page.locator('#record-time')).toHaveText('00:01', { timeout: 5_000 });
  await expect.poll(() => page.locator('#record-level').evaluate((meter: HTMLMeterElement) => meter.value)).toBeGreaterThan(0);
  await expect(page.getByRole('button', { name: 'Transcribe' })).toBeDisabled();
  await page.getByRole('button', { name: 'Stop recording' }).click();
  await expect(page.locator('#audio-status')).toContainText('The recording: ');
  await expect(page.locator('#recording')).toBeHidden();

  const wav = speechWav('Dropped in.').wav.toString('base64');
  await page.locator('#audio-section').evaluate((section, base64) => {
    const bytes = Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
    const data = new DataTransfer();
    data.items.add(new File([bytes], 'dropped.wav', { type: 'audio/wav' }));
    section.dispatchEvent(new DragEvent('dragover', { dataTransfer: data, bubbles: true, cancelable: true }));
    section.dispatchEvent(new DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }));
  }, wav);
  await expect(page.locator('#audio-status')).toContainText('dropped.wav: ');
  await expect(page.getByRole('button', { name: 'Transcribe' })).toBeEnabled();
});

test(
  '/download.html: the buttons follow the job, a cancel is not an error, finished files say so',
  { tag: '@engines' },
  async ({ page }) => {
    const slow = await hub.addFault({ repo: REPO, path: DECODER, times: 0, fault: { type: 'throttle', bytesPerSecond: 8 * 1024 } });
    await page.goto('/download.html');
    await page.getByLabel('Endpoint').fill(hub.url);
    await page.getByLabel('Repo').fill(REPO);
    const button = (name: string) => page.getByRole('button', { name, exact: true });
    await button('Download').click();
    await expect(button('Pause')).toBeEnabled();
    await expect(button('Download')).toBeDisabled();
    await expect(button('Resume')).toBeDisabled();
    await expect(page.locator('#progress')).toContainText('verified');
    await expect(page.locator('#progress')).not.toContainText('0 B/s');
    await button('Pause').click();
    await expect(button('Resume')).toBeEnabled();
    await expect(button('Pause')).toBeDisabled();
    await expect(page.getByRole('status')).toContainText('Paused');
    await button('Resume').click();
    await expect(button('Pause')).toBeEnabled();
    await button('Cancel').click();
    await expect(page.getByRole('status')).toContainText('Download cancelled');
    await expect(page.getByRole('alert')).toBeHidden();
    await expect(button('Download')).toBeEnabled();
    await expect(button('Cancel')).toBeDisabled();

    // Download pressed again: a new job, no raw error.
    await hub.removeFault(slow);
    await button('Download').click();
    await expect(page.getByRole('status')).toContainText('all verified');
    await expect(page.getByRole('alert')).toBeHidden();
  },
);

test.describe('a worker that never starts', () => {
  // Requests must reach page.route, not the service worker's cache.
  test.use({ serviceWorkers: 'block' });
  test('is replaced when it has not said ready within 8 s, and the transcription goes on', async ({ page }) => {
    let held = 0;
    // The first transcription worker's script never arrives (as a worker Firefox left hanging); later ones do.
    await page.route(/transcriber\.worker.*\.js/, async (route) => {
      if (held++ === 0) return;
      await route.continue();
    });
    // The page's clock is fake (it runs on by itself): the test jumps over the 8 s bound instead of waiting it out.
    await page.clock.install();
    await openApp(page);
    await downloaded(page);
    await openAudio(page, 'speech.wav', speechWav('Still here.').wav);
    await page.getByRole('button', { name: 'Transcribe' }).click();
    await expect(page.locator('#transcribe-status')).toContainText('Opening the model from this device…');
    await expect.poll(() => held).toBe(1);
    await page.clock.fastForward(8_000);
    await expect(page.locator('#transcribe-status')).toContainText('Done', { timeout: 60_000 });
    expect(held).toBe(2);
    await expect(page.locator('#transcript li').first()).toBeVisible();
  });
});
