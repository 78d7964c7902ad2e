import { StoreError, isHangarError, toHangarError, type HangarError } from '../errors/index.ts';
import { openMetaDb, type MetaDb } from './meta-db.ts';
import { errorDetails, storageUnavailable } from './storage-error.ts';

/**
 * The store's connection to its metadata database. Another tab that upgrades or deletes the
 * database closes it (`versionchange`); the next call opens it again, which works after a delete
 * and fails with StoreError STORE_UPGRADED ("reload this page") after an upgrade by a newer app.
 * Every error of a call comes out as a HangarError.
 */
export class MetaConnection {
  readonly #name: string;
  readonly #blockedMs: number | undefined;
  #db: MetaDb | undefined;
  #opening: Promise<MetaDb> | undefined;
  #closed = false;

  private constructor(name: string, blockedMs: number | undefined, db: MetaDb) {
    this.#name = name;
    this.#blockedMs = blockedMs;
    this.#adopt(db);
  }

  /** Opens (creating or upgrading) the metadata database of store `name`. */
  static async open(name: string, blockedMs?: number): Promise<MetaConnection> {
    return new MetaConnection(name, blockedMs, await openMetaDb(name, blockedMs));
  }

  /**
   * Runs `fn` on the open connection (opened again if another tab closed it). A call that meets the
   * connection closing under it runs once more on a new one. Errors: StoreError QUOTA_EXCEEDED,
   * STORE_UPGRADED or STORAGE_UNAVAILABLE for the browser's own, a HangarError as it is.
   */
  async use<T>(fn: (db: MetaDb) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      const db = await this.#current();
      try {
        return await fn(db);
      } catch (error) {
        if (attempt === 0 && this.#db !== db && !this.#closed && !isHangarError(error)) continue;
        throw metaError(error);
      }
    }
  }

  close(): void {
    this.#closed = true;
    this.#db?.close();
    this.#db = undefined;
  }

  #adopt(db: MetaDb): void {
    this.#db = db;
    // Another tab upgrades or deletes the database: let it, and open again on the next call.
    db.addEventListener('versionchange', () => {
      db.close();
      if (this.#db === db) this.#db = undefined;
    });
  }

  async #current(): Promise<MetaDb> {
    if (this.#closed) throw new StoreError('STORAGE_UNAVAILABLE', `The store "${this.#name}" is closed`);
    if (this.#db !== undefined) return this.#db;
    this.#opening ??= openMetaDb(this.#name, this.#blockedMs)
      .then((db) => {
        if (this.#closed) db.close();
        else this.#adopt(db);
        return db;
      })
      .catch((error: unknown) => {
        throw upgradedElsewhere(error) ? storeUpgraded(this.#name, error) : error;
      })
      .finally(() => (this.#opening = undefined));
    return this.#opening;
  }
}

/** Whether opening failed because the database is at a newer version than this code knows. */
function upgradedElsewhere(error: unknown): boolean {
  const cause = isHangarError(error) ? error.cause : error;
  return (cause as { name?: unknown } | undefined)?.name === 'VersionError';
}

function storeUpgraded(name: string, cause: unknown): StoreError {
  return new StoreError(
    'STORE_UPGRADED',
    `The store "${name}" was upgraded by a newer version of this app in another tab: reload this page to use it`,
    { cause, details: errorDetails(cause) },
  );
}

/** A metadata failure as a HangarError: the browser's storage errors become StoreErrors, anything unforeseen INTERNAL. */
function metaError(error: unknown): HangarError {
  if (isHangarError(error)) return error;
  const name = (error as { name?: unknown } | undefined)?.name;
  if (name === 'QuotaExceededError') {
    return new StoreError('QUOTA_EXCEEDED', 'Storage is full: the store could not record its changes', {
      cause: error,
      details: errorDetails(error),
    });
  }
  if (error instanceof DOMException) return storageUnavailable('The store could not read or write its records', error);
  return toHangarError(error);
}
