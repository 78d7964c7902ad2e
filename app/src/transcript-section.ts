import * as Comlink from 'comlink';
import { onUpdate, state, update } from './app-state.ts';
import { $, Notice, keepingFocus, saveFile } from './dom.ts';
import { explainError } from './explain-error.ts';
import { languageName, type WhisperAbilities } from './languages.ts';
import { cancelDownload, onStoredChange, readyModel, selected, storedAbilities, type ReadyModel } from './model-section.ts';
import { backendChoice, fallBackToWasm, threads } from './settings.ts';
import type { TranscriberApi, TranscriptionResult, WindowDone } from './transcriber.worker.ts';
import { openingText } from './opening-text.ts';
import { formatClock, toJson, toSrt, toText, toVtt, type Segment } from './transcript.ts';
import type { OpenProgress } from './worker-pipeline.ts';
import { WorkerRunner } from './worker-runner.ts';

const ui = {
  language: $<HTMLSelectElement>('#language'),
  task: $<HTMLSelectElement>('#task'),
  languageNote: $('#language-note'),
  transcribe: $<HTMLButtonElement>('#transcribe'),
  stop: $<HTMLButtonElement>('#stop'),
  bar: $<HTMLProgressElement>('#transcribe-bar'),
  fixtureNote: $('#fixture-note'),
  transcript: $<HTMLOListElement>('#transcript'),
  copy: $<HTMLButtonElement>('#copy'),
  saveTxt: $<HTMLButtonElement>('#save-txt'),
  saveSrt: $<HTMLButtonElement>('#save-srt'),
  saveVtt: $<HTMLButtonElement>('#save-vtt'),
  saveJson: $<HTMLButtonElement>('#save-json'),
};
const notice = new Notice($('#transcribe-status'), $('#transcribe-error'));
const transcriber = new WorkerRunner<TranscriberApi>(
  () => new Worker(new URL('./transcriber.worker.ts', import.meta.url), { type: 'module' }),
);
let abilities: WhisperAbilities = { languages: [], translate: false, englishOnly: false };
/** What the transcript on screen was made with (for the JSON export). */
let made = { language: undefined as string | undefined, task: 'transcribe', model: '' };
let stopping = false;

/** Fills the language and task pickers from what the selected model can do. */
async function showAbilities(): Promise<void> {
  abilities = await storedAbilities();
  const previous = ui.language.value;
  ui.language.replaceChildren();
  if (abilities.englishOnly) {
    ui.language.add(new Option('English (this model is English-only)', 'en'));
    ui.task.value = 'transcribe';
  } else {
    ui.language.add(new Option('Detect automatically', ''));
    for (const language of abilities.languages) ui.language.add(new Option(language.name, language.code));
    if (!abilities.translate) ui.task.value = 'transcribe';
  }
  ui.language.value = [...ui.language.options].some((option) => option.value === previous) ? previous : ui.language.options[0]!.value;
  ui.languageNote.textContent = abilities.englishOnly
    ? 'English-only models are smaller and often more accurate for English; they cannot translate.'
    : abilities.languages.length === 0
      ? 'Every language the model knows is listed here once it is on this device.'
      : '';
  ui.fixtureNote.hidden = selected().source !== 'mirror';
  render();
}

const render = keepingFocus((): void => {
  const busy = state.transcribing || state.downloading || state.recording;
  ui.transcribe.disabled = state.audio === undefined || busy;
  ui.stop.disabled = !state.transcribing || stopping;
  ui.language.disabled = state.transcribing || abilities.englishOnly;
  ui.task.disabled = state.transcribing || !abilities.translate || abilities.englishOnly;
  const none = state.segments.length === 0 || state.transcribing;
  for (const button of [ui.copy, ui.saveTxt, ui.saveSrt, ui.saveVtt, ui.saveJson]) button.disabled = none;
});

function showWindow(window: WindowDone): void {
  if (state.segments.length === 0 && window.segments.length > 0) performance.mark('hangar:first-segment');
  state.segments.push(...window.segments);
  for (const segment of window.segments) ui.transcript.appendChild(segmentItem(segment));
  ui.bar.max = window.count;
  ui.bar.value = window.index;
  const heard = window.language === undefined ? '' : ` · ${languageName(window.language)}`;
  if (!stopping)
    notice.status(
      `Transcribing: window ${window.index} of ${window.count} (${Math.round((100 * window.index) / window.count)}% of the audio)${heard}`,
    );
}

function showSegments(segments: Segment[]): void {
  state.segments = [...segments];
  ui.transcript.replaceChildren(...segments.map(segmentItem));
}

function segmentItem(segment: Segment): HTMLLIElement {
  const item = document.createElement('li');
  item.appendChild(document.createElement('time')).textContent = `${formatClock(segment.start)} → ${formatClock(segment.end)}`;
  item.appendChild(document.createElement('span')).textContent = segment.text;
  return item;
}

/** Counts runs: a report from an earlier run is not this one's. */
let current = 0;

async function runOn(model: ReadyModel, device: 'wasm' | 'webgpu', audio: Float32Array): Promise<TranscriptionResult | undefined> {
  const run = ++current;
  const dtype = Object.fromEntries(model.plan.sessions.map((session) => [session.name.replace(/^onnx\//, ''), session.dtype]));
  const language = ui.language.value === '' ? undefined : ui.language.value;
  const task = ui.task.value === 'translate' ? 'translate' : 'transcribe';
  made = { language, task, model: model.entry.repo };
  notice.status('Opening the model from this device…');
  const request = { endpoint: model.endpoint, repo: model.entry.repo, dtype, device, threads: threads() };
  return transcriber.run(async (api, reach) => {
    await api.load(
      request,
      Comlink.proxy((progress: OpenProgress) => {
        reach('first file');
        if (run === current && !stopping) notice.status(openingText(progress, 'the model'));
      }),
    );
    reach('loaded');
    if (!stopping) notice.status(language === undefined && !abilities.englishOnly ? 'Listening for the language…' : 'Transcribing…');
    return api.transcribe(
      audio,
      { language, task },
      // Window reports travel on their own channel and may arrive after the result: a late one is dropped (the result has it).
      Comlink.proxy((window: WindowDone) => {
        if (state.transcribing && run === current) showWindow(window);
      }),
    );
  });
}

async function transcribe(): Promise<void> {
  const audio = state.audio;
  if (audio === undefined || state.transcribing) return;
  stopping = false;
  update({ transcribing: true, segments: [] });
  ui.transcript.replaceChildren();
  ui.bar.value = 0;
  ui.bar.hidden = false;
  performance.clearMarks();
  performance.mark('hangar:transcribe');
  try {
    notice.status('Getting the model ready…');
    const model = await readyModel();
    if (stopping) return notice.status('Stopped before the model was ready. Files already downloaded are kept.');
    if (model === undefined) {
      notice.error('The model is not on this device yet, so there is nothing to transcribe with. See the Model section above.');
      return;
    }
    let device = backendChoice(state.profile);
    let result: TranscriptionResult | undefined;
    let note = '';
    try {
      result = await runOn(model, device, audio.samples);
    } catch (error) {
      if (device !== 'webgpu' || stopping) throw error;
      // WebGPU can fail where the probe saw an adapter: the next try (and every later run) uses WASM.
      fallBackToWasm();
      device = 'wasm';
      note = ' WebGPU failed on this device, so WASM was used.';
      result = await runOn(model, device, audio.samples);
    }
    performance.mark('hangar:transcribed');
    if (result === undefined) {
      notice.status(`Stopped. ${state.segments.length} segment(s) kept.`);
      return;
    }
    // The result is the whole transcript, in order, whatever window reports were still on their way.
    showSegments(result.segments);
    const heardNothing = result.segments.length === 0 ? ' No speech was heard.' : '';
    if (result.cancelled) {
      notice.status(`Stopped. ${state.segments.length} segment(s) kept.`);
      return;
    }
    const speed = result.rtf > 0 ? ` (${(1 / result.rtf).toFixed(1)}× real time)` : '';
    const heard =
      result.language === undefined ? '' : `, ${languageName(result.language)}${made.language === undefined ? ' (detected)' : ''}`;
    notice.status(
      `Done: ${result.audioSeconds.toFixed(1)} s of audio in ${(result.elapsedMs / 1000).toFixed(2)} s, RTF ${result.rtf.toFixed(3)}${speed} ` +
        `on ${device} (${model.plan.sessions.map((session) => session.dtype).join('/')})${heard}.${heardNothing}${note}`,
    );
    document.body.dataset['rtf'] = String(result.rtf);
  } catch (error) {
    notice.error(`The transcription failed. ${explainError(error, { endpoint: '', online: navigator.onLine })}`);
  } finally {
    ui.bar.hidden = true;
    stopping = false;
    update({ transcribing: false });
  }
}

function stop(): void {
  stopping = true;
  notice.status('Stopping…');
  // Still getting the model: Stop cancels that download (what is finished stays); else it stops the run.
  if (transcriber.running) transcriber.stop((api) => api.cancel());
  else cancelDownload();
  render();
}

async function copy(): Promise<void> {
  try {
    await navigator.clipboard.writeText(toText(state.segments));
    notice.status('Copied the transcript to the clipboard.');
  } catch {
    notice.error('This browser did not allow copying. Use a download button instead.');
  }
}

/** Wires the section: language and task, Transcribe/Stop with progress, copy and exports. */
export function startTranscriptSection(): void {
  ui.transcribe.addEventListener('click', () => void transcribe());
  ui.stop.addEventListener('click', stop);
  ui.copy.addEventListener('click', () => void copy());
  ui.saveTxt.addEventListener('click', () => saveFile(toText(state.segments), 'transcript.txt', 'text/plain'));
  ui.saveSrt.addEventListener('click', () => saveFile(toSrt(state.segments), 'transcript.srt', 'application/x-subrip'));
  ui.saveVtt.addEventListener('click', () => saveFile(toVtt(state.segments), 'transcript.vtt', 'text/vtt'));
  ui.saveJson.addEventListener('click', () => saveFile(toJson(state.segments, made), 'transcript.json', 'application/json'));
  onStoredChange(() => void showAbilities());
  onUpdate(render);
}
