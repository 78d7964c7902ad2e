import { createModelManager, type ModelManager } from 'hangar';
import 'hangar/panel';

/**
 * The panel's demo page: a manager on the local mirror (`?mirror=`, else the app's remembered
 * one, else this host's port 8300), `?maxSize=` to try clean(), `?mode=dock` for the floating panel.
 */
const params = new URLSearchParams(location.search);
const endpoint = params.get('mirror') ?? localStorage.getItem('hangar.mirror') ?? `${location.protocol}//${location.hostname}:8300`;
const maxSize = params.get('maxSize');
const manager: ModelManager = createModelManager({ endpoint, cache: { autoClean: false, ...(maxSize === null ? {} : { maxSize }) } });

const panel = document.querySelector('hangar-panel')!;
if (params.get('mode') === 'dock') panel.setAttribute('mode', 'dock');
panel.manager = manager;

const form = document.querySelector<HTMLFormElement>('#demo-form')!;
const status = document.querySelector<HTMLElement>('#demo-status')!;
const endpointInput = document.querySelector<HTMLInputElement>('#endpoint')!;
const repoInput = document.querySelector<HTMLInputElement>('#repo')!;
endpointInput.value = endpoint;
endpointInput.readOnly = true;
form.addEventListener('submit', (event) => {
  event.preventDefault();
  const repo = repoInput.value.trim();
  status.textContent = `Downloading ${repo}…`;
  try {
    manager.download(repo).done.then(
      (model) => (status.textContent = `Stored ${model.repo} (${model.files.length} files).`),
      (error: unknown) => (status.textContent = `Failed: ${error instanceof Error ? error.message : String(error)}`),
    );
  } catch (error) {
    status.textContent = `Failed: ${error instanceof Error ? error.message : String(error)}`;
  }
});
Object.assign(window, { hangarDemo: { manager } });
