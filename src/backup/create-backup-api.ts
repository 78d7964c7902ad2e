import { parseDuration, type Duration, type ResolvedConfig } from '../config/index.ts';
import type { DownloadWorker } from '../download/index.ts';
import { abortedBy, BackupError, toHangarError, type HangarError } from '../errors/index.ts';
import { withLock, type Store } from '../store/index.ts';
import { within } from '../util/index.ts';
import { BackupFolder } from './backup-folder.ts';
import { BackupSettingsDb, type BackupRun } from './backup-settings.ts';
import { restoreBackup, type RestoreReport } from './restore-backup.ts';
import { runBackup, type BackupReport } from './run-backup.ts';

/** Options of `backup.configure()`. */
export interface BackupOptions {
  /** The folder to back up into: one the user picked (`showDirectoryPicker()`) or an OPFS folder. */
  target: FileSystemDirectoryHandle;
  /**
   * How often a backup runs on its own while a page of the site is open (`0`: only when `run()` is called).
   * @default '1d'
   */
  every?: Duration;
}

/** Where the backup stands, as `backup.status()` gives it. */
export interface BackupStatus {
  /** The folder's name; null when none is configured. */
  target: string | null;
  /** Whether the folder is remembered across reloads (false where the engine cannot keep a folder handle: WebKit). */
  remembered: boolean;
  every: number;
  /** The folder's read/write permission ('prompt': ask with `requestPermission()` from a click); null without a folder. */
  permission: PermissionState | null;
  /** Whether a backup runs now in this page. */
  running: boolean;
  /** The last run, from any tab. */
  last: BackupRun | null;
  /** When the next scheduled run is due (ms since the epoch); null when none is scheduled. */
  nextAt: number | null;
}

/** `mm.backup`: copies the store's models into a folder, incrementally, on a schedule, and restores them offline. */
export interface BackupApi {
  /** Sets (or with null, forgets) the backup folder and schedule; the folder is remembered across reloads where the engine can keep it. */
  configure(options: BackupOptions | null): Promise<BackupStatus>;
  /** Backs up now: only blobs the folder lacks are written, then a snapshot manifest. */
  run(options?: { signal?: AbortSignal }): Promise<BackupReport>;
  status(): Promise<BackupStatus>;
  /** Asks the browser for read/write access to the configured folder; call it from a user's click. */
  requestPermission(): Promise<PermissionState>;
  /** Restores the latest snapshot of `source` (default: the configured folder), re-hashing every file; works offline. */
  restore(source?: FileSystemDirectoryHandle, options?: { signal?: AbortSignal }): Promise<RestoreReport>;
}

/** What the backup needs of the manager. */
export interface BackupDeps {
  config: ResolvedConfig;
  store: () => Promise<Store>;
  worker: () => DownloadWorker;
  /** Aborts when the manager closes. */
  closed: AbortSignal;
}

/** A scheduled run waits this long (or `every`, when shorter) after the store opens, so it never competes with a page's start. */
const START_DELAY_MS = 5_000;
/** The longest setTimeout delay browsers honour. */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface FolderPermissions {
  queryPermission?(descriptor: { mode: 'readwrite' }): Promise<PermissionState>;
  requestPermission?(descriptor: { mode: 'readwrite' }): Promise<PermissionState>;
}

/** The folder's permission; 'granted' where the engine has no permission API for it (OPFS, or an engine without the picker). */
async function permissionOf(target: FileSystemDirectoryHandle & FolderPermissions): Promise<PermissionState> {
  if (typeof target.queryPermission !== 'function') return 'granted';
  return (await within(target.queryPermission({ mode: 'readwrite' }), 2_000)) ?? 'prompt';
}

/** Builds `mm.backup`; `schedule()` arms the scheduled run (the manager calls it once its store is open). */
export function createBackupApi(deps: BackupDeps): BackupApi & { schedule(): void } {
  const { config, closed } = deps;
  const settings = new BackupSettingsDb(config.storeName);
  const lockName = `hangar:${config.storeName}:backup`;
  let running = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let nextAt: number | null = null;
  closed.addEventListener('abort', () => {
    clearTimeout(timer);
    settings.close();
  });

  /** One run holding the backup lock; its outcome is saved (for every tab's status) and posted as a `backup` event. */
  const backUp = async (target: FileSystemDirectoryHandle, signal: AbortSignal): Promise<BackupReport> => {
    const store = await deps.store();
    running = true;
    try {
      const report = await runBackup(store, await BackupFolder.open(target, true), config.now(), signal);
      await settings.update((s) => ({ ...s, last: { at: config.now(), ok: true, report } }));
      store.events.post({
        type: 'backup',
        ok: true,
        snapshot: report.snapshot,
        blobsWritten: report.blobsWritten,
        bytesWritten: report.bytesWritten,
        code: null,
      });
      return report;
    } catch (thrown) {
      const error: HangarError = toHangarError(thrown);
      if (!closed.aborted) {
        await settings
          .update((s) => ({ ...s, last: { at: config.now(), ok: false, error: { code: error.code, message: error.message } } }))
          .catch(() => {});
        store.events.post({ type: 'backup', ok: false, snapshot: null, blobsWritten: 0, bytesWritten: 0, code: error.code });
      }
      throw error;
    } finally {
      running = false;
    }
  };

  const configured = async (): Promise<FileSystemDirectoryHandle> => {
    const { target } = await settings.get();
    if (target === null) throw new BackupError('BACKUP_NOT_CONFIGURED', 'No backup folder is set: call backup.configure({ target }) first');
    return target;
  };

  const scheduled = async (): Promise<void> => {
    const { target, every, last } = await settings.get();
    if (target === null || every <= 0 || (last !== null && last.at + every > config.now())) return;
    if ((await permissionOf(target)) !== 'granted') return;
    // Another tab running it is as good: skip, and look again when the next one is due.
    await withLock(lockName, { ifAvailable: true }, async (held) => {
      if (!held) return;
      const again = await settings.get();
      if (again.last !== null && again.last.at + again.every > config.now()) return;
      await backUp(target, closed);
    });
  };

  const schedule = (): void => {
    clearTimeout(timer);
    nextAt = null;
    if (closed.aborted) return;
    void settings
      .get()
      .then(({ target, every, last }) => {
        if (target === null || every <= 0 || closed.aborted) return;
        const due = Math.max((last?.at ?? 0) + every, config.now() + Math.min(START_DELAY_MS, every));
        nextAt = due;
        clearTimeout(timer);
        timer = setTimeout(
          () =>
            void scheduled()
              .catch(() => {})
              .finally(schedule),
          Math.min(due - config.now(), MAX_TIMER_MS),
        );
      })
      .catch(() => {});
  };

  const status = async (): Promise<BackupStatus> => {
    const { target, every, last, remembered } = await settings.get();
    return {
      target: target?.name ?? null,
      remembered,
      every,
      permission: target === null ? null : await permissionOf(target),
      running,
      last,
      nextAt,
    };
  };

  return {
    schedule,
    status,
    async configure(options) {
      if (options === null) await settings.update((s) => ({ ...s, target: null }));
      else {
        const every = parseDuration(options.every ?? '1d', 'backup.every');
        if (typeof options.target?.getDirectoryHandle !== 'function') {
          throw new BackupError('BACKUP_NOT_CONFIGURED', 'backup.configure: target must be a FileSystemDirectoryHandle');
        }
        await settings.update((s) => ({ ...s, target: options.target, every }));
      }
      schedule();
      return status();
    },
    async run(options = {}) {
      const target = await configured();
      if ((await permissionOf(target)) !== 'granted') {
        throw new BackupError(
          'BACKUP_PERMISSION',
          `No permission to write to the backup folder ${target.name}: ask with backup.requestPermission() from a click`,
        );
      }
      const signal = options.signal === undefined ? closed : AbortSignal.any([closed, options.signal]);
      try {
        return await withLock(lockName, { signal }, () => backUp(target, signal));
      } catch (error) {
        // Aborted while waiting for another tab's run: the lock request's own AbortError.
        throw signal.aborted ? abortedBy(signal) : error;
      } finally {
        schedule();
      }
    },
    async requestPermission() {
      const target: FileSystemDirectoryHandle & FolderPermissions = await configured();
      const state = typeof target.requestPermission === 'function' ? await target.requestPermission({ mode: 'readwrite' }) : 'granted';
      schedule();
      return state;
    },
    async restore(source, options = {}) {
      const folder = await BackupFolder.open(source ?? (await configured()), false);
      const signal = options.signal === undefined ? closed : AbortSignal.any([closed, options.signal]);
      return restoreBackup(await deps.store(), deps.worker(), folder, signal);
    },
  };
}
