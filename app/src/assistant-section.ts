import * as Comlink from 'comlink';
import { formatBytes, type Dtype, type ModelPlan } from 'hangar';
import { onUpdate, state } from './app-state.ts';
import type { AssistantApi } from './assistant.worker.ts';
import { ASSISTANT_VARIANTS, ASSISTANTS, type CatalogEntry } from './catalog.ts';
import { $, Notice, keepingFocus } from './dom.ts';
import { explainError } from './explain-error.ts';
import { managerOf } from './model-section.ts';
import { openingText } from './opening-text.ts';
import { isStored, storedBytes, storedPlan } from './stored-variant.ts';
import { variantItem } from './variant-item.ts';
import { backendChoice, endpointOf } from './settings.ts';
import { toText } from './transcript.ts';
import type { OpenProgress } from './worker-pipeline.ts';
import { WorkerRunner } from './worker-runner.ts';

const ui = {
  model: $<HTMLSelectElement>('#assistant-model'),
  variants: $('#assistant-variants'),
  tidy: $<HTMLButtonElement>('#tidy'),
  summarise: $<HTMLButtonElement>('#summarise'),
  stop: $<HTMLButtonElement>('#assistant-stop'),
  output: $<HTMLOutputElement>('#assistant-output'),
  fixtureNote: $('#assistant-fixture-note'),
};
const notice = new Notice($('#assistant-status'), $('#assistant-error'));

/** What each button asks of the model. */
const TASKS = {
  tidy: 'Rewrite this transcript with correct punctuation, capital letters and paragraphs. Keep every word; add nothing.',
  summarise: 'Summarise this transcript in a few short sentences.',
} as const;

const assistant = new WorkerRunner<AssistantApi>(() => new Worker(new URL('./assistant.worker.ts', import.meta.url), { type: 'module' }));
let running: 'loading' | 'generating' | undefined;
/** The variant per model and backend, planned once per page (a plan asks the Hub). */
const dtypes = new Map<string, Promise<Dtype>>();

const selected = (): CatalogEntry => ASSISTANTS.find((entry) => entry.repo === ui.model.value) ?? ASSISTANTS[0]!;

const render = keepingFocus((): void => {
  const idle = running === undefined && !state.transcribing && state.segments.length > 0;
  ui.tidy.disabled = !idle;
  ui.summarise.disabled = !idle;
  ui.stop.disabled = running === undefined;
  ui.model.disabled = running !== undefined;
  ui.fixtureNote.hidden = selected().source !== 'mirror';
});

/** Counts variant listings: a slower earlier one is not shown over a later one. */
let listing = 0;

/**
 * Lists the selected model's variants with their sizes and what is on this device. The Hub (or
 * mirror) is asked only once the user picks a model or runs one, so loading the page contacts no
 * one; until then, or offline, the stored variants and the sizes the Hub's file list showed (see
 * the catalog).
 */
async function showVariants(ask: boolean): Promise<void> {
  const entry = selected();
  const mine = ++listing;
  const manager = managerOf(entry);
  const stored = (await manager.cache.list().catch(() => [])).find((model) => model.repo === entry.repo)?.revisions[0]?.files;
  const plans = new Map<Dtype, ModelPlan>();
  if (navigator.onLine && ask) {
    const results = await Promise.allSettled(ASSISTANT_VARIANTS.map((dtype) => manager.plan(entry.repo, { dtype })));
    for (const result of results)
      // A named dtype the repo lacks falls back to another: only exact ones are this variant.
      if (result.status === 'fulfilled' && result.value.sessions.every((session) => session.dtype === result.value.sessions[0]?.dtype))
        plans.set(result.value.sessions[0]!.dtype, result.value);
  }
  if (mine !== listing) return;
  const backend = backendChoice(state.profile);
  const items = ASSISTANT_VARIANTS.flatMap((dtype) => {
    const plan = plans.get(dtype);
    const local = storedPlan(stored, dtype, [dtype], backend);
    const bytes = plan?.bytes ?? (isStored(local, stored) ? storedBytes(local!.files, stored) : entry.listed?.[dtype]);
    if (bytes === undefined) return [];
    const listed = plan === undefined && !isStored(local, stored) ? ' as the Hub lists it' : '';
    return [variantItem(dtype, `${formatBytes(bytes)}${listed}`, plan, local, stored)];
  });
  ui.variants.replaceChildren(...items);
}

/** The variant Hangar plans for this device, once per model and backend; offline, the one stored (the plan needs the Hub). */
function dtypeFor(entry: CatalogEntry, backend: 'wasm' | 'webgpu'): Promise<Dtype> {
  const key = `${entry.repo} ${backend}`;
  let dtype = dtypes.get(key);
  if (dtype === undefined) {
    const planning = planDtype(entry, backend);
    dtype = planning.then((planned) => planned.dtype);
    dtypes.set(key, dtype);
    // Only a plan from the Hub is kept: offline, the stored variant may change with the next download.
    planning.then(
      ({ fromHub }) => fromHub || dtypes.delete(key),
      () => dtypes.delete(key),
    );
  }
  return dtype;
}

async function planDtype(entry: CatalogEntry, backend: 'wasm' | 'webgpu'): Promise<{ dtype: Dtype; fromHub: boolean }> {
  const manager = managerOf(entry);
  if (navigator.onLine) {
    try {
      return { dtype: (await manager.plan(entry.repo)).sessions[0]?.dtype ?? 'q4', fromHub: true };
    } catch {
      // The Hub is unreachable: what is stored decides.
    }
  }
  const stored = (await manager.cache.list()).find((model) => model.repo === entry.repo)?.revisions[0]?.files;
  const recommended = state.profile?.recommendation.dtypes ?? ['q4'];
  return { dtype: storedPlan(stored, 'auto', recommended, backend)?.sessions[0]?.dtype ?? recommended[0] ?? 'q4', fromHub: false };
}

async function ask(task: keyof typeof TASKS): Promise<void> {
  if (running !== undefined) return;
  const entry = selected();
  const device = backendChoice(state.profile);
  running = 'loading';
  render();
  ui.output.textContent = '';
  try {
    notice.status('Opening the assistant model (downloading it the first time)…');
    const request = { endpoint: endpointOf(entry), repo: entry.repo, dtype: await dtypeFor(entry, device), device };
    const result = await assistant.run(async (api, reach) => {
      await api.load(
        request,
        Comlink.proxy((progress: OpenProgress) => {
          reach('first file');
          notice.status(openingText(progress, 'the assistant model'));
        }),
      );
      reach('loaded');
      running = 'generating';
      render();
      notice.status(task === 'tidy' ? 'Tidying up…' : 'Summarising…');
      const messages = [{ role: 'user', content: `${TASKS[task]}\n\n${toText(state.segments)}` }];
      return api.generate(
        messages,
        task === 'tidy' ? 256 : 96,
        Comlink.proxy((text: string) => {
          ui.output.textContent += text;
        }),
      );
    });
    if (result === undefined) {
      notice.status(
        running === 'loading'
          ? 'Stopped. What was downloaded is kept: the next try continues from there.'
          : 'Stopped. The answer so far is kept.',
      );
      return;
    }
    ui.output.textContent = result.text;
    const speed = `${result.tokens} tokens, ${result.tokensPerSecond.toFixed(1)} tokens/s, first token after ${Math.round(result.firstTokenMs)} ms`;
    notice.status(`${result.stopped ? 'Stopped' : 'Done'}: ${speed}.`);
  } catch (error) {
    notice.error(`The assistant failed. ${explainError(error, { endpoint: endpointOf(entry), online: navigator.onLine })}`);
  } finally {
    running = undefined;
    render();
    void showVariants(true);
  }
}

/** Stop: while the model loads, the worker is ended at once (its download keeps its partial); while it writes, it stops after the current token. */
function stop(): void {
  notice.status('Stopping…');
  assistant.stop((api) => api.stop(), { now: running === 'loading' });
}

/** Wires the assistant: a model picker, Tidy up / Summarise over the transcript, Stop, streamed output with tokens/s. */
export function startAssistantSection(): void {
  for (const entry of ASSISTANTS) ui.model.add(new Option(entry.label, entry.repo));
  ui.tidy.addEventListener('click', () => void ask('tidy'));
  ui.summarise.addEventListener('click', () => void ask('summarise'));
  ui.stop.addEventListener('click', stop);
  ui.model.addEventListener('change', () => {
    render();
    void showVariants(true);
  });
  onUpdate(render);
  void showVariants(false);
}
