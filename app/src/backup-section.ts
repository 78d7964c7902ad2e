import { formatBytes, HangarError, type BackupStatus, type ErrorCode, type ModelManager, type RestoreReport } from 'hangar';
import { $, Notice, keepingFocus } from './dom.ts';
import { explainError } from './explain-error.ts';
import { managerOf, selected, showModel } from './model-section.ts';
import { endpointOf } from './settings.ts';

const ui = {
  section: $<HTMLDetailsElement>('#backup'),
  choose: $<HTMLButtonElement>('#backup-choose'),
  now: $<HTMLButtonElement>('#backup-now'),
  allow: $<HTMLButtonElement>('#backup-allow'),
  restore: $<HTMLButtonElement>('#backup-restore'),
};
const notice = new Notice($('#backup-status'), $('#backup-error'));

type Picker = (options: { id?: string; mode?: 'read' | 'readwrite' }) => Promise<FileSystemDirectoryHandle>;
const picker = (): Picker | undefined => (window as unknown as { showDirectoryPicker?: Picker }).showDirectoryPicker;

/** Every catalog model shares one store, so any manager's backup is the store's backup. */
const manager = (): ModelManager => managerOf(selected());
let busy = false;

/** "1 model", "2 new files". */
const count = (n: number, noun: string): string => `${n} ${noun}${n === 1 ? '' : 's'}`;

/** "2 models, 3 new files (12 MB)" and when. */
function lastRunText(status: BackupStatus): string {
  const { last } = status;
  if (last === null) return 'No backup yet.';
  const at = new Date(last.at).toLocaleString();
  if (!last.ok) return `The last backup, ${at}, failed.`;
  const report = last.report!;
  const written =
    report.blobsWritten === 0 ? 'nothing new to copy' : `${count(report.blobsWritten, 'new file')}, ${formatBytes(report.bytesWritten)}`;
  return `Last backup ${at}: ${count(report.models, 'model')}, ${written}.`;
}

let status: BackupStatus | undefined;

/** Each button says what it does now; a button the user just pressed keeps the focus on its row. */
const renderButtons = keepingFocus(() => {
  const target = status?.target ?? null;
  ui.choose.textContent = target === null ? 'Choose backup folder…' : 'Change backup folder…';
  ui.choose.disabled = busy;
  ui.now.disabled = busy || target === null || status?.permission !== 'granted';
  ui.allow.hidden = target === null || status?.permission === 'granted';
  ui.restore.disabled = busy;
});

/** Shows the folder, the schedule, the last run and what needs the user (permission). */
async function showStatus(): Promise<void> {
  status = await manager().backup.status();
  renderButtons();
  if (busy) return;
  const { target, permission, last } = status;
  if (target === null) notice.status('No backup folder chosen.');
  else if (permission !== 'granted') notice.status(`The browser needs your permission again to write to “${target}”.`);
  else notice.status(`Backing up to “${target}” once a day. ${lastRunText(status)}`);
  if (last?.ok === false && last.error !== undefined)
    notice.error(explainError(new HangarError(last.error.code as ErrorCode, last.error.message), context()));
}

const context = (): { endpoint: string; online: boolean } => ({ endpoint: endpointOf(selected()), online: navigator.onLine });

/** Runs `action` with the section's buttons disabled; a closed picker is no error. */
async function act(working: string, action: () => Promise<string | undefined>): Promise<void> {
  busy = true;
  renderButtons();
  notice.status(working);
  let done: string | undefined;
  let failure: unknown;
  try {
    done = await action();
  } catch (error) {
    if ((error as DOMException).name !== 'AbortError') failure = error;
  } finally {
    busy = false;
  }
  await showStatus().catch(() => {});
  if (failure !== undefined) notice.error(explainError(failure, context()));
  else if (done !== undefined) notice.status(done);
}

function restoredText(folder: string, report: RestoreReport): string {
  const complete = report.models.filter((model) => model.restored).length;
  const text = `Restored ${count(complete, 'model')} from “${folder}”, every file checked.`;
  if (report.damaged.length === 0) return text;
  const broken = [...new Set(report.damaged.flatMap((blob) => blob.uses.map((use) => use.repo)))];
  return `${text} ${count(report.damaged.length, 'damaged or missing file')} refused; download ${broken.join(', ')} again.`;
}

/** Shows the section where the browser lets a page pick a folder (Chromium), and wires it. */
export function startBackupSection(): void {
  const pick = picker();
  if (pick === undefined) return;
  ui.section.hidden = false;
  ui.choose.addEventListener(
    'click',
    () =>
      void act('Backing up…', async () => {
        const target = await pick.call(window, { id: 'hangar-backup', mode: 'readwrite' });
        await manager().backup.configure({ target, every: '1d' });
        const report = await manager().backup.run();
        return `Backed up ${count(report.models, 'model')} to “${target.name}”: ${count(report.blobsWritten, 'new file')}, ${formatBytes(report.bytesWritten)}.`;
      }),
  );
  ui.now.addEventListener(
    'click',
    () =>
      void act('Backing up…', async () => {
        const report = await manager().backup.run();
        return report.blobsWritten === 0
          ? `Up to date: ${count(report.models, 'model')}, nothing new to copy.`
          : `Backed up ${count(report.models, 'model')}: ${count(report.blobsWritten, 'new file')}, ${formatBytes(report.bytesWritten)}.`;
      }),
  );
  ui.allow.addEventListener(
    'click',
    () =>
      void act('Asking the browser…', async () => {
        const state = await manager().backup.requestPermission();
        return state === 'granted' ? undefined : 'Without access to the folder the app cannot back up into it.';
      }),
  );
  ui.restore.addEventListener(
    'click',
    () =>
      void act('Restoring…', async () => {
        const source = await pick.call(window, { id: 'hangar-backup', mode: 'read' });
        const report = await manager().backup.restore(source);
        await showModel(false);
        return restoredText(source.name, report);
      }),
  );
  manager().on('change', (event) => event.type === 'backup' && !busy && void showStatus().catch(() => {}));
  void showStatus().catch(() => {});
}
