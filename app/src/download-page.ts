import {
  createModelManager,
  formatBytes,
  formatEta,
  isHangarError,
  type DownloadJob,
  type DownloadProgress,
  type ModelManager,
} from 'hangar';
import { $, Notice, keepingFocus } from './dom.ts';
import { explainError } from './explain-error.ts';
import { fileRows } from './file-table.ts';

const form = $<HTMLFormElement>('#download-form');
const notice = new Notice($('#status'), $('#error'));
const progressBox = $('#progress');
const buttons = {
  download: $<HTMLButtonElement>('#download'),
  pause: $<HTMLButtonElement>('#pause'),
  resume: $<HTMLButtonElement>('#resume'),
  cancel: $<HTMLButtonElement>('#cancel'),
};
const endpointInput = form.elements.namedItem('endpoint') as HTMLInputElement;
endpointInput.value = import.meta.env.VITE_HANGAR_ENDPOINT ?? 'http://127.0.0.1:8300';

let manager: ModelManager | undefined;
let job: DownloadJob | undefined;

const field = (data: FormData, name: string): string => {
  const value = data.get(name);
  return typeof value === 'string' ? value.trim() : '';
};

/** The buttons follow the job: Download while none runs, Pause/Resume by its state, Cancel while it runs. */
const renderButtons = keepingFocus((): void => {
  const state = job?.progress.state;
  const running = job !== undefined;
  buttons.download.disabled = running;
  buttons.pause.disabled = !running || state === 'paused';
  buttons.resume.disabled = state !== 'paused';
  buttons.cancel.disabled = !running;
  for (const input of form.querySelectorAll('input')) input.disabled = running;
});

form.addEventListener('submit', (event) => {
  event.preventDefault();
  if (job !== undefined) return;
  const data = new FormData(form);
  const endpoint = field(data, 'endpoint');
  manager?.close();
  let started: DownloadJob;
  try {
    const token = field(data, 'token');
    manager = createModelManager({ endpoint, ...(token ? { accessToken: token } : {}) });
    started = manager.download(field(data, 'repo'), { revision: field(data, 'revision') || 'main' });
  } catch (error) {
    notice.error(
      isHangarError(error, 'CONFIG_INVALID')
        ? `${error.message} (CONFIG_INVALID)`
        : explainError(error, { endpoint, online: navigator.onLine }),
    );
    return;
  }
  job = started;
  notice.status(`Asking ${endpoint} for the files…`);
  started.on('progress', render);
  started.on('retry', (retry) => notice.status(`Connection trouble: trying again in ${Math.max(1, Math.round(retry.delayMs / 1000))} s…`));
  renderButtons();
  started.done
    .then(
      (model) =>
        notice.status(
          `Stored ${model.repo} at ${model.commit.slice(0, 10)}: ${model.files.length} files, all verified against their hashes.`,
        ),
      (error: unknown) => {
        if (isHangarError(error, 'ABORTED')) notice.status('Download cancelled. Files already finished are kept.');
        else notice.error(explainError(error, { endpoint, online: navigator.onLine }));
      },
    )
    .finally(() => {
      job = undefined;
      renderButtons();
    });
});

buttons.pause.addEventListener('click', () => (job?.pause(), renderButtons()));
buttons.resume.addEventListener('click', () => (job?.resume(), renderButtons()));
buttons.cancel.addEventListener('click', () => job?.cancel());

function render(progress: DownloadProgress): void {
  if (progress.state === 'paused') notice.status(`Paused at ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}.`);
  if (progress.state === 'downloading') {
    const rate = progress.bytesPerSecond > 0 ? `, ${formatBytes(progress.bytesPerSecond)}/s, ${formatEta(progress.etaSeconds)} left` : '';
    notice.status(`Downloading: ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}${rate}`);
  }
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const title of ['File', 'Progress', 'Size', 'State']) head.appendChild(document.createElement('th')).textContent = title;
  table.createTBody().append(...fileRows(progress.files));
  progressBox.replaceChildren(table);
  renderButtons();
}
