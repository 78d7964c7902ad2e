import * as Comlink from 'comlink';
import {
  formatBytes,
  formatEta,
  createModelManager,
  HangarError,
  installErrorTransfer,
  planVariants,
  type CachedRevision,
  type DownloadJob,
  type DownloadProgress,
  type Dtype,
  type HardwareProfile,
  type ModelManager,
  type VariantPlan,
  isHangarError,
} from 'hangar';
import { CATALOG, VARIANTS, type CatalogEntry } from './catalog.ts';
import { decodeAudio, recordMicrophone } from './decode-audio.ts';
import { explainError } from './explain-error.ts';
import type { TranscriberApi } from './transcriber.worker.ts';
import { formatClock, toSrt, toText, type Segment } from './transcript.ts';

installErrorTransfer();

const $ = <T extends HTMLElement>(selector: string): T => document.querySelector<T>(selector)!;
const ui = {
  network: $('#network'),
  model: $<HTMLSelectElement>('#model'),
  variant: $<HTMLSelectElement>('#variant'),
  variants: $('#variants'),
  device: $('#device'),
  download: $<HTMLButtonElement>('#download'),
  pause: $<HTMLButtonElement>('#pause'),
  resume: $<HTMLButtonElement>('#resume'),
  cancel: $<HTMLButtonElement>('#cancel'),
  delete: $<HTMLButtonElement>('#delete'),
  progress: $('#download-progress'),
  totalBar: $<HTMLProgressElement>('#total-bar'),
  downloadStatus: $('#download-status'),
  files: $<HTMLTableElement>('#files'),
  mirror: $<HTMLInputElement>('#mirror'),
  hub: $<HTMLInputElement>('#hub'),
  backend: $<HTMLSelectElement>('#backend'),
  threads: $<HTMLInputElement>('#threads'),
  language: $<HTMLInputElement>('#language'),
  record: $<HTMLButtonElement>('#record'),
  file: $<HTMLInputElement>('#file'),
  player: $<HTMLAudioElement>('#player'),
  audioStatus: $('#audio-status'),
  transcribe: $<HTMLButtonElement>('#transcribe'),
  stop: $<HTMLButtonElement>('#stop'),
  copy: $<HTMLButtonElement>('#copy'),
  saveTxt: $<HTMLButtonElement>('#save-txt'),
  saveSrt: $<HTMLButtonElement>('#save-srt'),
  transcribeStatus: $('#transcribe-status'),
  transcript: $<HTMLOListElement>('#transcript'),
  error: $('#error'),
};

// Endpoints: ?mirror= (remembered), else the last one used, else this host's port 8300 (`npm start`).
const params = new URLSearchParams(location.search);
const stored = (key: string, fallback: string): string => params.get(key) ?? localStorage.getItem(`hangar.${key}`) ?? fallback;
ui.mirror.value = stored('mirror', import.meta.env.VITE_HANGAR_MIRROR ?? `${location.protocol}//${location.hostname}:8300`);
ui.hub.value = stored('hub', 'https://huggingface.co');
for (const input of [ui.mirror, ui.hub]) localStorage.setItem(`hangar.${input.id}`, input.value);

const managers = new Map<string, ModelManager>();
const endpointOf = (entry: CatalogEntry): string => (entry.source === 'mirror' ? ui.mirror.value : ui.hub.value).replace(/\/+$/, '');
function managerOf(entry: CatalogEntry): ModelManager {
  const endpoint = endpointOf(entry);
  let manager = managers.get(endpoint);
  if (manager === undefined) managers.set(endpoint, (manager = createModelManager({ endpoint })));
  return manager;
}

let profile: HardwareProfile | undefined;
let job: DownloadJob | undefined;
let samples: Float32Array<ArrayBuffer> | undefined;
let segments: Segment[] = [];
let transcriber: Comlink.Remote<TranscriberApi> | undefined;
/** The plans of the selected model per variant, from the Hub (undefined offline), and its stored revision. */
let current: { entry: CatalogEntry; plans: Map<string, VariantPlan & { bytes: number }>; stored: CachedRevision | undefined } | undefined;

for (const entry of CATALOG) ui.model.add(new Option(entry.label, entry.repo));
ui.model.value = localStorage.getItem('hangar.model') ?? CATALOG[0]!.repo;

function selected(): CatalogEntry {
  return CATALOG.find((entry) => entry.repo === ui.model.value) ?? CATALOG[0]!;
}

function showError(error: unknown): void {
  ui.error.textContent = explainError(error, current === undefined ? '' : endpointOf(current.entry));
  ui.error.hidden = false;
}

function clearError(): void {
  ui.error.hidden = true;
}

function renderNetwork(): void {
  ui.network.textContent = navigator.onLine ? '' : 'Offline: models stored on this device still work.';
}

async function renderDevice(): Promise<void> {
  profile ??= await managerOf(selected()).probe();
  const { webgpu, wasm, hardwareConcurrency, recommendation } = profile;
  const gpu = webgpu === null ? 'no WebGPU' : `WebGPU ${webgpu.vendor} ${webgpu.architecture}${webgpu.software ? ' (software)' : ''}`;
  const cpu = `WASM${wasm.simd ? ' SIMD' : ''}${wasm.threads && profile.crossOriginIsolated ? ' + threads' : ''}, ${hardwareConcurrency} cores`;
  ui.device.textContent = `This device: ${gpu}; ${cpu}. Recommended: ${recommendation.backend}, ${recommendation.dtypes[0]}, ${recommendation.threads} thread(s).`;
  if (ui.threads.value === '') ui.threads.value = String(recommendation.threads);
}

/** The plan for `variant` (default: the selected one): from the Hub when online, else from the stored files. */
function chosenPlan(variant = ui.variant.value): (VariantPlan & { bytes?: number }) | undefined {
  if (current === undefined || profile === undefined) return undefined;
  const online = current.plans.get(variant);
  if (online !== undefined) return online;
  if (current.stored === undefined) return undefined;
  const dtypes = variant === 'auto' ? profile.recommendation.dtypes : [variant as Dtype];
  const plan = planVariants(
    current.stored.files.map((file) => file.path),
    { backend: backendChoice(), dtypes },
  );
  // planVariants falls back per graph to another stored dtype: a named variant counts only when it is all there.
  const exact = plan.sessions.every((session) => dtypes.includes(session.dtype));
  return plan.sessions.length === 0 || !exact ? undefined : plan;
}

function isStored(plan: VariantPlan | undefined): boolean {
  const paths = new Set(current?.stored?.files.map((file) => file.path));
  return plan !== undefined && plan.sessions.length > 0 && plan.files.every((path) => paths.has(path));
}

/** Bytes of stored files. */
function sizeOf(paths: string[]): number {
  const sizes = new Map(current?.stored?.files.map((file) => [file.path, file.size]));
  return paths.reduce((sum, path) => sum + (sizes.get(path) ?? 0), 0);
}

function backendChoice(): 'wasm' | 'webgpu' {
  return ui.backend.value === 'auto' ? (profile?.recommendation.backend ?? 'wasm') : (ui.backend.value as 'wasm' | 'webgpu');
}

async function renderModel(): Promise<void> {
  const entry = selected();
  localStorage.setItem('hangar.model', entry.repo);
  const manager = managerOf(entry);
  await renderDevice();
  const stored = (await manager.cache.list()).find((model) => model.repo === entry.repo)?.revisions[0];
  const plans = new Map<string, VariantPlan & { bytes: number }>();
  const results = await Promise.allSettled(
    (['auto', ...VARIANTS] as const).map(async (dtype) => [dtype, await manager.plan(entry.repo, { dtype })] as const),
  );
  for (const result of results) if (result.status === 'fulfilled') plans.set(result.value[0], result.value[1]);
  current = { entry, plans, stored };
  const previous = ui.variant.value || 'auto';
  ui.variant.replaceChildren();
  ui.variants.replaceChildren();
  for (const dtype of ['auto', ...VARIANTS]) {
    const plan = plans.get(dtype);
    const label =
      dtype === 'auto'
        ? `auto (${plan?.sessions[0]?.dtype ?? profile?.recommendation.dtypes[0] ?? '?'} for this device)`
        : `${dtype}${plan === undefined ? '' : ` · ${formatBytes(plan.bytes)}`}`;
    ui.variant.add(new Option(label, dtype));
    if (dtype === 'auto') continue;
    const local = chosenPlan(dtype);
    const stored = isStored(local);
    const bytes = plan?.bytes ?? (stored ? sizeOf(local!.files) : undefined);
    const item = ui.variants.appendChild(document.createElement('li'));
    item.classList.toggle('cached', stored);
    item.textContent = `${dtype}: ${bytes === undefined ? 'size unknown offline' : formatBytes(bytes)}${stored ? ' · on this device' : ''}`;
  }
  ui.variant.value = [...ui.variant.options].some((option) => option.value === previous) ? previous : 'auto';
  if (plans.size === 0 && stored === undefined) {
    showError(results.find((result) => result.status === 'rejected')?.reason);
  }
  renderButtons();
}

function renderButtons(): void {
  const running = job !== undefined;
  // No plan yet (the variants are still loading): nothing to download until there is.
  const plan = chosenPlan();
  ui.download.disabled = running || plan === undefined || isStored(plan);
  ui.pause.disabled = !running || job?.progress.state === 'paused';
  ui.resume.disabled = !running || job?.progress.state !== 'paused';
  ui.cancel.disabled = !running;
  ui.delete.disabled = running || current?.stored === undefined;
  ui.transcribe.disabled = samples === undefined || running;
  const done = segments.length > 0;
  for (const button of [ui.copy, ui.saveTxt, ui.saveSrt]) button.disabled = !done;
}

function renderProgress(progress: DownloadProgress): void {
  ui.progress.hidden = false;
  ui.totalBar.max = Math.max(1, progress.total);
  ui.totalBar.value = progress.loaded;
  const rate = `${formatBytes(progress.bytesPerSecond)}/s`;
  ui.downloadStatus.textContent = `${progress.state === 'paused' ? 'Paused' : 'Downloading'}: ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}, ${rate}, ETA ${formatEta(progress.etaSeconds)}`;
  const rows = progress.files.map((file) => {
    const row = document.createElement('tr');
    row.insertCell().textContent = file.path;
    const bar = row.insertCell().appendChild(document.createElement('progress'));
    bar.max = Math.max(1, file.total);
    bar.value = file.loaded;
    bar.setAttribute('aria-label', file.path);
    row.insertCell().textContent = `${formatBytes(file.loaded)} / ${formatBytes(file.total)}`;
    row.insertCell().textContent = file.state;
    return row;
  });
  ui.files.replaceChildren(...rows);
  renderButtons();
}

/** Downloads the selected variant through Hangar (resumable, verified), showing progress. */
async function download(): Promise<boolean> {
  const entry = selected();
  const dtype = ui.variant.value as 'auto' | Dtype;
  clearError();
  const started = managerOf(entry).download(entry.repo, { dtype });
  job = started;
  started.on('progress', renderProgress);
  started.on(
    'retry',
    (event) => (ui.downloadStatus.textContent = `Retrying ${event.path ?? ''} in ${Math.round(event.delayMs / 1000)} s…`),
  );
  renderButtons();
  try {
    const model = await started.done;
    ui.downloadStatus.textContent = `Stored ${model.files.length} files (${formatBytes(model.files.reduce((sum, file) => sum + file.size, 0))}), all verified.`;
    return true;
  } catch (error) {
    if (isHangarError(error) && error.code === 'ABORTED') ui.downloadStatus.textContent = 'Download cancelled. Finished files are kept.';
    else showError(error);
    return false;
  } finally {
    job = undefined;
    await renderModel();
  }
}

async function loadAudio(blob: Blob, label: string): Promise<void> {
  clearError();
  ui.audioStatus.textContent = `Reading ${label}…`;
  try {
    samples = await decodeAudio(blob);
  } catch {
    samples = undefined;
    ui.audioStatus.textContent = '';
    showError(new Error(`${label} could not be read as audio.`));
    renderButtons();
    return;
  }
  ui.player.src = URL.createObjectURL(blob);
  ui.player.hidden = false;
  ui.audioStatus.textContent = `${label}: ${(samples.length / 16_000).toFixed(1)} s of audio, ready.`;
  renderButtons();
}

function appendSegments(found: Segment[]): void {
  if (segments.length === 0 && found.length > 0) performance.mark('hangar:first-segment');
  segments.push(...found);
  for (const segment of found) {
    const item = ui.transcript.appendChild(document.createElement('li'));
    const time = item.appendChild(document.createElement('time'));
    time.textContent = `${formatClock(segment.start)} → ${formatClock(segment.end)}`;
    item.appendChild(document.createElement('span')).textContent = segment.text;
  }
  renderButtons();
}

async function transcribe(): Promise<void> {
  if (samples === undefined) return;
  clearError();
  performance.clearMarks();
  performance.mark('hangar:transcribe');
  if (!isStored(chosenPlan()) && !(await download())) return;
  const plan = chosenPlan();
  if (plan === undefined) return showError(new HangarError('NOT_CACHED', 'model not stored'));
  segments = [];
  ui.transcript.replaceChildren();
  ui.transcribe.disabled = true;
  ui.stop.disabled = false;
  const entry = selected();
  const device = backendChoice();
  try {
    transcriber ??= Comlink.wrap<TranscriberApi>(new Worker(new URL('./transcriber.worker.ts', import.meta.url), { type: 'module' }));
    ui.transcribeStatus.textContent = 'Loading the model from this device…';
    const dtype = Object.fromEntries(plan.sessions.map((session) => [session.name.replace(/^onnx\//, ''), session.dtype]));
    const { loadMs } = await transcriber.load({
      endpoint: endpointOf(entry),
      repo: entry.repo,
      dtype,
      device,
      threads: Math.max(1, Number(ui.threads.value) || 1),
    });
    ui.transcribeStatus.textContent = 'Transcribing…';
    const result = await transcriber.transcribe(samples, { language: ui.language.value.trim() || 'en' }, Comlink.proxy(appendSegments));
    performance.mark('hangar:transcribed');
    const speed = result.rtf > 0 ? ` (${(1 / result.rtf).toFixed(1)}× real time)` : '';
    ui.transcribeStatus.textContent =
      `${result.cancelled ? 'Stopped' : 'Done'}: ${result.audioSeconds.toFixed(1)} s of audio in ${(result.elapsedMs / 1000).toFixed(2)} s, ` +
      `RTF ${result.rtf.toFixed(3)}${speed} on ${device} (${Object.values(dtype).join('/')}); model opened in ${Math.round(loadMs)} ms.`;
    document.body.dataset['rtf'] = String(result.rtf);
  } catch (error) {
    ui.transcribeStatus.textContent = '';
    showError(error);
  } finally {
    ui.stop.disabled = true;
    renderButtons();
  }
}

function save(text: string, name: string, type: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob([text], { type }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}

let recording: { stop: () => Promise<Blob> } | undefined;
async function toggleRecording(): Promise<void> {
  if (recording === undefined) {
    clearError();
    try {
      recording = await recordMicrophone();
    } catch (error) {
      return showError(new Error(`The microphone is not available (${error instanceof Error ? error.message : String(error)}).`));
    }
    ui.record.textContent = 'Stop recording';
    ui.audioStatus.textContent = 'Recording…';
  } else {
    const blob = await recording.stop();
    recording = undefined;
    ui.record.textContent = 'Record';
    await loadAudio(blob, 'The recording');
  }
}
ui.record.addEventListener('click', () => void toggleRecording().catch(showError));
ui.file.addEventListener('change', () => {
  const file = ui.file.files?.[0];
  if (file !== undefined) void loadAudio(file, file.name);
});
ui.model.addEventListener('change', () => void renderModel().catch(showError));
ui.variant.addEventListener('change', renderButtons);
ui.backend.addEventListener('change', renderButtons);
for (const input of [ui.mirror, ui.hub])
  input.addEventListener('change', () => {
    localStorage.setItem(`hangar.${input.id}`, input.value);
    void renderModel().catch(showError);
  });
ui.download.addEventListener('click', () => void download());
ui.pause.addEventListener('click', () => (job?.pause(), renderButtons()));
ui.resume.addEventListener('click', () => (job?.resume(), renderButtons()));
ui.cancel.addEventListener('click', () => job?.cancel());
async function deleteModel(): Promise<void> {
  const entry = selected();
  if (!confirm(`Delete ${entry.repo} from this device?`)) return;
  await managerOf(entry).cache.delete(entry.repo);
  await renderModel();
}
ui.delete.addEventListener('click', () => void deleteModel().catch(showError));
ui.transcribe.addEventListener('click', () => void transcribe());
ui.stop.addEventListener('click', () => void transcriber?.cancel());
ui.copy.addEventListener('click', () => void navigator.clipboard.writeText(toText(segments)));
ui.saveTxt.addEventListener('click', () => save(toText(segments), 'transcript.txt', 'text/plain'));
ui.saveSrt.addEventListener('click', () => save(toSrt(segments), 'transcript.srt', 'application/x-subrip'));
addEventListener('online', renderNetwork);
addEventListener('offline', renderNetwork);

renderNetwork();
renderButtons();
void renderModel().catch(showError);
if (import.meta.env.PROD && 'serviceWorker' in navigator) void navigator.serviceWorker.register('/sw.js');
