import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { AbortError, BackupError } from '../errors/index.ts';
import type { BackupReport } from './run-backup.ts';

/** The outcome of the last backup run, in any tab. */
export interface BackupRun {
  at: number;
  ok: boolean;
  report?: BackupReport;
  error?: { code: string; message: string };
}

/** What a store remembers about its backup: the folder (a handle IndexedDB can keep), how often, the last run. */
export interface BackupSettings {
  target: FileSystemDirectoryHandle | null;
  every: number;
  last: BackupRun | null;
}

interface Schema extends DBSchema {
  settings: { key: 'backup'; value: BackupSettings };
}

/**
 * The backup settings of store `storeName`, in their own small IndexedDB database (`<store>-backup`).
 * An engine that cannot keep a folder handle in IndexedDB (WebKit: DataCloneError) keeps it for the
 * page's life only; `remembered` says which.
 */
export class BackupSettingsDb {
  readonly #name: string;
  #db: Promise<IDBPDatabase<Schema>> | undefined;
  /** The folder, when IndexedDB refused to keep it. */
  #pageTarget: FileSystemDirectoryHandle | undefined;
  #closed = false;

  constructor(storeName: string) {
    this.#name = `${storeName}-backup`;
  }

  async get(): Promise<BackupSettings & { remembered: boolean }> {
    const stored = (await (await this.#open()).get('settings', 'backup')) ?? EMPTY;
    return this.#pageTarget === undefined ? { ...stored, remembered: true } : { ...stored, target: this.#pageTarget, remembered: false };
  }

  /** Changes the settings in one transaction (another tab's change in between is kept). */
  async update(change: (settings: BackupSettings) => BackupSettings): Promise<void> {
    const db = await this.#open();
    const write = async (forget: boolean): Promise<void> => {
      const tx = db.transaction('settings', 'readwrite');
      const stored = (await tx.store.get('backup')) ?? EMPTY;
      const next = change(this.#pageTarget === undefined ? stored : { ...stored, target: this.#pageTarget });
      this.#pageTarget = forget && next.target !== null ? next.target : undefined;
      await tx.store.put(forget ? { ...next, target: null } : next, 'backup');
      await tx.done;
    };
    try {
      try {
        await write(this.#pageTarget !== undefined);
      } catch (error) {
        if ((error as DOMException).name !== 'DataCloneError') throw error;
        await write(true);
      }
    } catch (error) {
      throw new BackupError('BACKUP_FAILED', `Could not save the backup settings: ${(error as Error).message}`, { cause: error });
    }
  }

  /** Closes the database for good: a later call fails with AbortError instead of opening it again. */
  close(): void {
    this.#closed = true;
    void this.#db?.then((db) => db.close()).catch(() => {});
    this.#db = undefined;
  }

  #open(): Promise<IDBPDatabase<Schema>> {
    if (this.#db !== undefined) return this.#db;
    if (this.#closed) return Promise.reject(new AbortError('The model manager is closed', { details: { reason: 'close' } }));
    const opening = openDB<Schema>(this.#name, 1, {
      upgrade: (db) => void db.createObjectStore('settings'),
      // Another tab deletes or upgrades the database: let it, and open again on the next call.
      blocking: () => {
        void this.#db?.then((db) => db.close());
        this.#db = undefined;
      },
    });
    opening.catch(() => (this.#db = undefined));
    return (this.#db = opening);
  }
}

const EMPTY: BackupSettings = { target: null, every: 0, last: null };
