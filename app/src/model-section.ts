import {
  createModelManager,
  formatBytes,
  formatEta,
  isHangarError,
  type CachedRevision,
  type DownloadJob,
  type DownloadProgress,
  type Dtype,
  type ModelManager,
  type VariantPlan,
} from 'hangar';
import { onUpdate, state, update } from './app-state.ts';
import { CATALOG, VARIANTS, type CatalogEntry } from './catalog.ts';
import { $, Notice, keepingFocus } from './dom.ts';
import { explainError } from './explain-error.ts';
import { fileRows } from './file-table.ts';
import { whisperAbilities, type WhisperAbilities } from './languages.ts';
import { isPartial, isStored, storedBytes, storedPlan, type StoredFiles } from './stored-variant.ts';
import { variantItem } from './variant-item.ts';
import { applyProfile, backendChoice, endpointOf, onBackendChange, onEndpointChange } from './settings.ts';

const ui = {
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
  files: $<HTMLTableElement>('#files'),
};
const notice = new Notice($('#model-status'), $('#model-error'));

/** A stored model the transcript section can run. */
export interface ReadyModel {
  entry: CatalogEntry;
  endpoint: string;
  plan: VariantPlan;
  abilities: WhisperAbilities;
}

const managers = new Map<string, ModelManager>();
/** The manager for `entry`'s endpoint (one per endpoint, kept for the page's life). */
export function managerOf(entry: CatalogEntry): ModelManager {
  const endpoint = endpointOf(entry);
  let manager = managers.get(endpoint);
  if (manager === undefined) managers.set(endpoint, (manager = createModelManager({ endpoint })));
  return manager;
}

let job: DownloadJob | undefined;
/** The selected model: its plans per variant from the Hub (none until asked, or offline), and its stored revision. */
let current:
  | { entry: CatalogEntry; plans: Map<string, VariantPlan & { bytes: number }>; stored: CachedRevision | undefined; asked: boolean }
  | undefined;
/** Bumped by each render: a slower, older render must not overwrite a newer one. */
let generation = 0;
const storedListeners = new Set<() => void>();

export function selected(): CatalogEntry {
  return CATALOG.find((entry) => entry.repo === ui.model.value) ?? CATALOG[0]!;
}

const context = (): { endpoint: string; online: boolean } => ({ endpoint: endpointOf(selected()), online: navigator.onLine });

/** Calls `listener` when what is stored for the selected model changes (download, delete, another model). */
export function onStoredChange(listener: () => void): void {
  storedListeners.add(listener);
}

/** The plan for `variant` (default: the selected one): from the Hub when asked, else from the stored files. */
function chosenPlan(variant = ui.variant.value): (VariantPlan & { bytes?: number }) | undefined {
  if (current === undefined || state.profile === undefined) return undefined;
  const { dtypes } = state.profile.recommendation;
  return current.plans.get(variant) ?? storedPlan(current.stored?.files, variant as 'auto' | Dtype, dtypes, backendChoice(state.profile));
}

const storedFiles = (): StoredFiles => current?.stored?.files;

function renderDevice(): void {
  const profile = state.profile;
  if (profile === undefined) return;
  const { webgpu, wasm, hardwareConcurrency, recommendation } = profile;
  const gpu = webgpu === null ? 'no WebGPU' : `WebGPU ${webgpu.vendor} ${webgpu.architecture}${webgpu.software ? ' (software)' : ''}`;
  const cpu = `WASM${wasm.simd ? ' SIMD' : ''}${wasm.threads && profile.crossOriginIsolated ? ' + threads' : ''}, ${hardwareConcurrency} cores`;
  ui.device.textContent = `This device: ${gpu}; ${cpu}. Recommended: ${recommendation.backend}, ${recommendation.dtypes[0]}, ${recommendation.threads} thread(s).`;
}

/**
 * Shows the selected model: what is stored, and (when `ask` is true, or for the local mirror) the
 * variants' sizes from its Hub, in one round of requests. A remembered Hub model is not asked for
 * until the user acts, so loading the page contacts no one.
 */
export async function showModel(ask: boolean): Promise<void> {
  const entry = selected();
  const mine = ++generation;
  localStorage.setItem('hangar.model', entry.repo);
  const manager = managerOf(entry);
  if (state.profile === undefined) {
    update({ profile: await manager.probe() });
    applyProfile(state.profile!);
  }
  renderDevice();
  const stored = (await manager.cache.list()).find((model) => model.repo === entry.repo)?.revisions[0];
  const plans = new Map<string, VariantPlan & { bytes: number }>();
  const asked = ask || entry.source === 'mirror';
  let failure: unknown;
  if (asked) {
    const results = await Promise.allSettled(
      (['auto', ...VARIANTS] as const).map(async (dtype) => [dtype, await manager.plan(entry.repo, { dtype })] as const),
    );
    for (const result of results) if (result.status === 'fulfilled') plans.set(result.value[0], result.value[1]);
    failure = results.find((result) => result.status === 'rejected')?.reason;
  }
  if (mine !== generation) return;
  current = { entry, plans, stored, asked };
  renderVariants();
  if (failure !== undefined && plans.size === 0) {
    if (stored === undefined) notice.error(explainError(failure, context()));
    else notice.status(`${navigator.onLine ? `${endpointOf(entry)} is unreachable` : 'You are offline'}: showing what is on this device.`);
  }
  renderButtons();
  for (const listener of storedListeners) listener();
}

function renderVariants(): void {
  if (current === undefined) return;
  const { plans, asked } = current;
  const previous = ui.variant.value || 'auto';
  ui.variant.replaceChildren();
  ui.variants.replaceChildren();
  const unknown = !asked ? 'size not checked yet' : navigator.onLine ? 'size unknown (Hub unreachable)' : 'size unknown offline';
  for (const dtype of ['auto', ...VARIANTS]) {
    const plan = plans.get(dtype);
    const label =
      dtype === 'auto'
        ? `auto (${plan?.sessions[0]?.dtype ?? state.profile?.recommendation.dtypes[0] ?? '?'} for this device)`
        : `${dtype}${plan === undefined ? '' : ` · ${formatBytes(plan.bytes)}`}`;
    ui.variant.add(new Option(label, dtype));
    if (dtype === 'auto') continue;
    const local = chosenPlan(dtype);
    const bytes = plan?.bytes ?? (isStored(local, storedFiles()) ? storedBytes(local!.files, storedFiles()) : undefined);
    ui.variants.append(variantItem(dtype, bytes === undefined ? unknown : formatBytes(bytes), plan, local, storedFiles()));
  }
  ui.variant.value = [...ui.variant.options].some((option) => option.value === previous) ? previous : 'auto';
}

const renderButtons = keepingFocus((): void => {
  const running = job !== undefined;
  const jobState = job?.progress.state;
  const plan = chosenPlan();
  // Without a plan the job plans for itself (dtype); only a variant known to be stored has nothing to download.
  ui.download.disabled = running || current === undefined || isStored(plan, storedFiles()) || state.transcribing;
  // A download that stopped (a reload, a closed tab) continues from what is stored, partial files included.
  ui.download.textContent = !running && isPartial(plan, storedFiles()) ? 'Resume download' : 'Download';
  ui.pause.disabled = !running || jobState === 'paused';
  ui.resume.disabled = !running || jobState !== 'paused';
  ui.cancel.disabled = !running;
  ui.delete.disabled = running || current?.stored === undefined || state.transcribing;
  ui.model.disabled = running;
  ui.variant.disabled = running;
});

function renderProgress(progress: DownloadProgress): void {
  ui.progress.hidden = false;
  ui.totalBar.max = Math.max(1, progress.total);
  ui.totalBar.value = progress.loaded;
  if (progress.state === 'paused') notice.status(`Paused at ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}.`);
  else if (progress.state === 'resolving') notice.status(`Asking ${endpointOf(selected())} for the model's files…`);
  else if (progress.state === 'downloading') {
    const rate = progress.bytesPerSecond > 0 ? `, ${formatBytes(progress.bytesPerSecond)}/s, ${formatEta(progress.etaSeconds)} left` : '';
    notice.status(`Downloading: ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}${rate}`);
  }
  ui.files.replaceChildren(...fileRows(progress.files));
  renderButtons();
}

/** Downloads the selected variant through Hangar (resumable, verified), showing progress. True when it is stored. */
export async function download(): Promise<boolean> {
  if (job !== undefined) return false;
  const entry = selected();
  // Before the variants are listed (page start-up) the picker is empty: the device decides.
  const dtype = (ui.variant.value || 'auto') as 'auto' | Dtype;
  notice.status(`Asking ${endpointOf(entry)} for the model's files…`);
  const started = managerOf(entry).download(entry.repo, { dtype });
  job = started;
  update({ downloading: true });
  started.on('progress', renderProgress);
  started.on('retry', (event) => notice.status(`Connection trouble: trying again in ${Math.max(1, Math.round(event.delayMs / 1000))} s…`));
  renderButtons();
  try {
    const model = await started.done;
    const bytes = model.files.reduce((sum, file) => sum + file.size, 0);
    notice.status(`On this device: ${model.files.length} files (${formatBytes(bytes)}), all verified against their hashes.`);
    return true;
  } catch (error) {
    if (isHangarError(error, 'ABORTED')) notice.status('Download cancelled. Files already finished are kept.');
    else notice.error(explainError(error, context()));
    return false;
  } finally {
    job = undefined;
    update({ downloading: false });
    await showModel(true).catch((error: unknown) => notice.error(explainError(error, context())));
  }
}

/** Cancels the running download, if any (its finished files stay). */
export function cancelDownload(): void {
  job?.cancel();
}

/** The selected variant, downloading it first when it is not stored; undefined when that failed (the section says why). */
export async function readyModel(): Promise<ReadyModel | undefined> {
  if (!isStored(chosenPlan(), storedFiles()) && !(await download())) return undefined;
  const plan = chosenPlan();
  if (plan === undefined || current === undefined) return undefined;
  return { entry: current.entry, endpoint: endpointOf(current.entry), plan, abilities: await storedAbilities() };
}

/** What the stored model can do (languages, translation), from its generation config; undefined when it is not stored. */
export async function storedAbilities(): Promise<WhisperAbilities> {
  const entry = selected();
  const englishOnly: WhisperAbilities = { languages: [], translate: false, englishOnly: true };
  if (current?.stored === undefined)
    return entry.repo.endsWith('.en') ? englishOnly : { languages: [], translate: true, englishOnly: false };
  try {
    const file = await managerOf(entry).cache.file(entry.repo, 'generation_config.json', { revision: current.stored.commit });
    return whisperAbilities(JSON.parse(await file.text()) as object);
  } catch {
    return entry.repo.endsWith('.en') ? englishOnly : { languages: [], translate: true, englishOnly: false };
  }
}

async function deleteModel(): Promise<void> {
  const entry = selected();
  if (!confirm(`Delete ${entry.label} from this device?`)) return;
  const report = await managerOf(entry).cache.delete(entry.repo);
  ui.progress.hidden = true;
  // The deletion is what the user asked about: it is said last, also when the refreshed view cannot reach the Hub (offline).
  await showModel(current?.asked ?? false);
  notice.status(`Deleted from this device: ${formatBytes(report.bytesFreed)} freed.`);
}

/** Wires the section's controls. */
export function startModelSection(): void {
  for (const entry of CATALOG) ui.model.add(new Option(entry.label, entry.repo));
  ui.model.value = localStorage.getItem('hangar.model') ?? CATALOG[0]!.repo;
  const fail = (error: unknown): void => notice.error(explainError(error, context()));
  const show = (): void => {
    notice.clear();
    ui.progress.hidden = true;
    void showModel(true).catch(fail);
  };
  ui.model.addEventListener('change', show);
  onEndpointChange(show);
  ui.variant.addEventListener('change', () => (renderButtons(), storedListeners.forEach((listener) => listener())));
  onBackendChange(renderButtons);
  ui.download.addEventListener('click', () => void download());
  ui.pause.addEventListener('click', () => (job?.pause(), renderButtons()));
  ui.resume.addEventListener('click', () => (job?.resume(), renderButtons()));
  ui.cancel.addEventListener('click', () => job?.cancel());
  ui.delete.addEventListener('click', () => void deleteModel().catch(fail));
  onUpdate(renderButtons);
  void showModel(false).catch(fail);
}
