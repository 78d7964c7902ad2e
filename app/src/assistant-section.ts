import * as Comlink from 'comlink';
import type { Dtype, TransformersProgress } from 'hangar';
import { onUpdate, state } from './app-state.ts';
import type { AssistantApi, AssistantResult } from './assistant.worker.ts';
import { ASSISTANTS, type CatalogEntry } from './catalog.ts';
import { $, Notice, keepingFocus } from './dom.ts';
import { explainError } from './explain-error.ts';
import { managerOf } from './model-section.ts';
import { storedPlan } from './stored-variant.ts';
import { backendChoice, endpointOf } from './settings.ts';
import { toText } from './transcript.ts';

const ui = {
  model: $<HTMLSelectElement>('#assistant-model'),
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

let worker: Worker | undefined;
let api: Comlink.Remote<AssistantApi> | undefined;
let running: 'loading' | 'generating' | undefined;
/** Ends the current ask at once (Stop while the model is still loading). */
let abandon: (() => void) | undefined;

const selected = (): CatalogEntry => ASSISTANTS.find((entry) => entry.repo === ui.model.value) ?? ASSISTANTS[0]!;

const render = keepingFocus((): void => {
  const idle = running === undefined && !state.transcribing && state.segments.length > 0;
  ui.tidy.disabled = !idle;
  ui.summarise.disabled = !idle;
  ui.stop.disabled = running === undefined;
  ui.model.disabled = running !== undefined;
  ui.fixtureNote.hidden = selected().source !== 'mirror';
});

/** The variant Hangar plans for this device; offline, the one stored (the plan needs the Hub). */
async function dtypeFor(entry: CatalogEntry, backend: 'wasm' | 'webgpu'): Promise<Dtype> {
  const manager = managerOf(entry);
  if (navigator.onLine) {
    try {
      return (await manager.plan(entry.repo)).sessions[0]?.dtype ?? 'q4';
    } catch {
      // The Hub is unreachable: what is stored decides.
    }
  }
  const stored = (await manager.cache.list()).find((model) => model.repo === entry.repo)?.revisions[0]?.files;
  const dtypes = state.profile?.recommendation.dtypes ?? ['q4'];
  return storedPlan(stored, 'auto', dtypes, backend)?.sessions[0]?.dtype ?? dtypes[0] ?? 'q4';
}

async function ask(task: keyof typeof TASKS): Promise<void> {
  if (running !== undefined) return;
  const entry = selected();
  const device = backendChoice(state.profile);
  running = 'loading';
  render();
  ui.output.textContent = '';
  try {
    if (api === undefined) {
      worker = new Worker(new URL('./assistant.worker.ts', import.meta.url), { type: 'module' });
      api = Comlink.wrap<AssistantApi>(worker);
    }
    notice.status('Opening the assistant model (downloading it the first time)…');
    const abandoned = new Promise<'stopped'>((resolve) => (abandon = () => resolve('stopped')));
    const opened = api.load(
      { endpoint: endpointOf(entry), repo: entry.repo, dtype: await dtypeFor(entry, device), device },
      Comlink.proxy((event: TransformersProgress) => {
        if (event.status === 'progress' && typeof event.progress === 'number')
          notice.status(`Downloading the assistant model: ${event.file ?? ''} ${Math.round(event.progress)}%`);
      }),
    );
    if ((await Promise.race([opened, abandoned])) === 'stopped') {
      notice.status('Stopped. What was downloaded is kept: the next try continues from there.');
      return;
    }
    running = 'generating';
    render();
    notice.status(task === 'tidy' ? 'Tidying up…' : 'Summarising…');
    const messages = [{ role: 'user', content: `${TASKS[task]}\n\n${toText(state.segments)}` }];
    const result: AssistantResult = await api.generate(
      messages,
      task === 'tidy' ? 256 : 96,
      Comlink.proxy((text: string) => {
        ui.output.textContent += text;
      }),
    );
    ui.output.textContent = result.text;
    const speed = `${result.tokens} tokens, ${result.tokensPerSecond.toFixed(1)} tokens/s, first token after ${Math.round(result.firstTokenMs)} ms`;
    notice.status(`${result.stopped ? 'Stopped' : 'Done'}: ${speed}.`);
  } catch (error) {
    // A failed load leaves nothing behind: the next try starts a fresh worker.
    endWorker();
    notice.error(`The assistant failed. ${explainError(error, { endpoint: endpointOf(entry), online: navigator.onLine })}`);
  } finally {
    running = undefined;
    abandon = undefined;
    render();
  }
}

function endWorker(): void {
  worker?.terminate();
  worker = undefined;
  api = undefined;
}

/** Stop: while the model loads, the worker is ended (its download keeps its partial); while it writes, it stops after the current token. */
function stop(): void {
  notice.status('Stopping…');
  if (running === 'loading') {
    endWorker();
    abandon?.();
  } else void api?.stop();
}

/** Wires the assistant: a model picker, Tidy up / Summarise over the transcript, Stop, streamed output with tokens/s. */
export function startAssistantSection(): void {
  for (const entry of ASSISTANTS) ui.model.add(new Option(entry.label, entry.repo));
  ui.tidy.addEventListener('click', () => void ask('tidy'));
  ui.summarise.addEventListener('click', () => void ask('summarise'));
  ui.stop.addEventListener('click', stop);
  ui.model.addEventListener('change', render);
  onUpdate(render);
}
