import {
  createModelManager,
  formatBytes,
  formatEta,
  type DownloadJob,
  type DownloadProgress,
  type ModelManager,
  isHangarError,
} from 'hangar';

const form = document.querySelector<HTMLFormElement>('#download-form')!;
const status = document.querySelector<HTMLElement>('#status')!;
const errorBox = document.querySelector<HTMLElement>('#error')!;
const progressBox = document.querySelector<HTMLElement>('#progress')!;
const buttons = {
  pause: document.querySelector<HTMLButtonElement>('#pause')!,
  resume: document.querySelector<HTMLButtonElement>('#resume')!,
  cancel: document.querySelector<HTMLButtonElement>('#cancel')!,
};
const endpointInput = form.elements.namedItem('endpoint') as HTMLInputElement;
endpointInput.value = import.meta.env.VITE_HANGAR_ENDPOINT ?? 'http://127.0.0.1:8300';

let manager: ModelManager | undefined;
let job: DownloadJob | undefined;

form.addEventListener('submit', (event) => {
  event.preventDefault();
  const data = new FormData(form);
  errorBox.hidden = true;
  job?.cancel();
  manager?.close();
  try {
    const field = (name: string): string => {
      const value = data.get(name);
      return typeof value === 'string' ? value.trim() : '';
    };
    const token = field('token');
    manager = createModelManager({ endpoint: field('endpoint'), ...(token ? { accessToken: token } : {}) });
    job = manager.download(field('repo'), { revision: field('revision') || 'main' });
  } catch (error) {
    showError(error);
    return;
  }
  const current = job;
  current.on('progress', render);
  current.on(
    'retry',
    (event) => (status.textContent = `Retrying ${event.path ?? 'metadata'} in ${Math.round(event.delayMs)} ms: ${event.error.message}`),
  );
  setButtons(true);
  current.done.then(
    (model) => {
      status.textContent = `Stored ${model.repo} at ${model.commit.slice(0, 10)}: ${model.files.length} files, all verified.`;
      setButtons(false);
    },
    (error: unknown) => {
      if (current === job) setButtons(false);
      showError(error);
    },
  );
});

buttons.pause.addEventListener('click', () => job?.pause());
buttons.resume.addEventListener('click', () => job?.resume());
buttons.cancel.addEventListener('click', () => job?.cancel());

function setButtons(running: boolean): void {
  buttons.pause.disabled = !running;
  buttons.resume.disabled = !running;
  buttons.cancel.disabled = !running;
}

function showError(error: unknown): void {
  const known = isHangarError(error);
  errorBox.textContent = known ? `${error.message} [${error.code}]` : String(error);
  errorBox.hidden = false;
}

function render(progress: DownloadProgress): void {
  status.textContent = `${progress.state}: ${formatBytes(progress.loaded)} of ${formatBytes(progress.total)}, ${formatBytes(progress.bytesPerSecond)}/s, ETA ${formatEta(progress.etaSeconds)}`;
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const title of ['File', 'Progress', 'Size', 'Rate', 'ETA', 'State'])
    head.appendChild(document.createElement('th')).textContent = title;
  const body = table.createTBody();
  for (const file of progress.files) {
    const row = body.insertRow();
    row.insertCell().textContent = file.path;
    const bar = row.insertCell().appendChild(document.createElement('progress'));
    bar.max = Math.max(1, file.total);
    bar.value = file.loaded;
    const cells = [formatBytes(file.total), `${formatBytes(file.bytesPerSecond)}/s`, formatEta(file.etaSeconds)];
    for (const text of cells) Object.assign(row.insertCell(), { textContent: text, className: 'num' });
    row.insertCell().textContent = file.error === undefined ? file.state : `${file.state}: ${file.error.message}`;
  }
  progressBox.replaceChildren(table);
}
