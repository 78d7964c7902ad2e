import { state, update, onUpdate } from './app-state.ts';
import { decodeAudio, recordMicrophone, type Recording } from './decode-audio.ts';
import { $, Notice } from './dom.ts';
import { SAMPLE_RATE, formatClock } from './transcript.ts';

const ui = {
  section: $('#audio-section'),
  record: $<HTMLButtonElement>('#record'),
  file: $<HTMLInputElement>('#file'),
  sample: $<HTMLButtonElement>('#sample'),
  player: $<HTMLAudioElement>('#player'),
  recording: $('#recording'),
  time: $('#record-time'),
  level: $<HTMLMeterElement>('#record-level'),
};
const notice = new Notice($('#audio-status'), $('#audio-error'));

let recording: { recorder: Recording; started: number; timer: ReturnType<typeof setInterval> } | undefined;

async function loadAudio(blob: Blob, label: string): Promise<void> {
  notice.status(`Reading ${label}…`);
  try {
    const samples = await decodeAudio(blob);
    URL.revokeObjectURL(ui.player.src);
    ui.player.src = URL.createObjectURL(blob);
    ui.player.hidden = false;
    update({ audio: { samples, label } });
    notice.status(`${label}: ${(samples.length / SAMPLE_RATE).toFixed(1)} s of audio, ready.`);
  } catch {
    update({ audio: undefined });
    ui.player.hidden = true;
    notice.error(`${label} could not be read as audio. Try a WAV, MP3, OGG or WebM file.`);
  }
}

async function toggleRecording(): Promise<void> {
  if (recording === undefined) {
    let recorder: Recording;
    try {
      recorder = await recordMicrophone();
    } catch (error) {
      const denied = error instanceof Error && error.name === 'NotAllowedError';
      notice.error(
        denied ? 'The microphone is blocked for this page: allow it in the browser’s site settings.' : 'No microphone is available.',
      );
      return;
    }
    const started = performance.now();
    const tick = (): void => {
      ui.time.textContent = formatClock((performance.now() - started) / 1000).replace(/\.\d$/, '');
      ui.level.value = recorder.level();
    };
    recording = { recorder, started, timer: setInterval(tick, 100) };
    tick();
    ui.recording.hidden = false;
    notice.status('Recording… press Stop recording when you are done.');
    update({ recording: true });
  } else {
    const { recorder, timer } = recording;
    recording = undefined;
    clearInterval(timer);
    ui.recording.hidden = true;
    update({ recording: false });
    await loadAudio(await recorder.stop(), 'The recording');
  }
}

function render(): void {
  ui.record.textContent = state.recording ? 'Stop recording' : 'Record';
  ui.record.disabled = state.transcribing;
  ui.file.disabled = state.transcribing || state.recording;
  ui.sample.disabled = state.transcribing || state.recording;
}

/** Wires the section: record (with a timer and an input level), open a file, or drop one on the section. */
export function startAudioSection(): void {
  ui.record.addEventListener('click', () => void toggleRecording());
  ui.file.addEventListener('change', () => {
    const file = ui.file.files?.[0];
    if (file !== undefined) void loadAudio(file, file.name);
  });
  // A clip made when the app was built (app/sample-clip.ts), precached with the app: works offline too.
  ui.sample.addEventListener('click', () => {
    void fetch('/sample.wav')
      .then((response) => (response.ok ? response.blob() : Promise.reject(new Error(String(response.status)))))
      .then(
        (blob) => loadAudio(blob, 'The sample clip'),
        () => notice.error('The sample clip could not be loaded. Reload the page and try again.'),
      );
  });
  ui.section.addEventListener('dragover', (event) => {
    event.preventDefault();
    ui.section.classList.add('dropping');
  });
  ui.section.addEventListener('dragleave', () => ui.section.classList.remove('dropping'));
  ui.section.addEventListener('drop', (event) => {
    event.preventDefault();
    ui.section.classList.remove('dropping');
    const file = event.dataTransfer?.files[0];
    if (file === undefined || state.transcribing || state.recording) return;
    void loadAudio(file, file.name);
  });
  onUpdate(render);
}
