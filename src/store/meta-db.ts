import { openDB, type DBSchema, type IDBPDatabase, type IDBPObjectStore, type IDBPTransaction, type StoreNames } from 'idb';
import { StoreError } from '../errors/index.ts';
import { storageUnavailable } from './storage-error.ts';
import type { FileHash, RepoFile } from '../hub/index.ts';

/** A file of a snapshot: which blob holds its bytes. */
export interface SnapshotFile {
  size: number;
  hash: FileHash;
}

/** A repo at a commit: its stored files by path. */
export interface SnapshotRecord {
  repo: string;
  commit: string;
  files: Record<string, SnapshotFile>;
  createdAt: number;
  lastUsed: number;
  /** Pinned snapshots are never evicted by `clean()`. */
  pinned: boolean;
}

/** A branch, tag or PR ref of a repo, pointing at a commit. */
export interface RefRecord {
  repo: string;
  ref: string;
  commit: string;
  updatedAt: number;
}

/** A verified blob in OPFS. */
export interface BlobRecord {
  key: string;
  size: number;
  createdAt: number;
  /** When `verify()` last re-hashed it, and what it found. */
  verifiedAt?: number;
  verifiedOk?: boolean;
}

/** What a repo holds at a commit, as read from the Hub once: a commit never changes. */
export interface CommitRecord {
  repo: string;
  commit: string;
  /** The file listing. */
  files?: RepoFile[];
  /** What planning read from config.json (its reader checks the shape). */
  config?: unknown;
  savedAt: number;
}

export interface MetaSchema extends DBSchema {
  snapshots: { key: [string, string]; value: SnapshotRecord; indexes: { repo: string } };
  refs: { key: [string, string]; value: RefRecord; indexes: { repo: string } };
  blobs: { key: string; value: BlobRecord };
  /** A token per repo, rewritten by every transaction that writes the repo's snapshots or refs (in any tab): a kept listing rebuilds only the repos whose token changed. */
  stamps: { key: string; value: string };
  commits: { key: [string, string]; value: CommitRecord };
}

export type MetaDb = IDBPDatabase<MetaSchema>;

/** Current schema version of the metadata database (1: snapshots, refs, blobs; 2: pins, verification; 3: stamps, commits). */
export const META_VERSION = 3;

/** A transaction that may write the listing's stamp. */
type StampingTransaction = IDBPTransaction<MetaSchema, Array<StoreNames<MetaSchema>>, 'readwrite'>;

/** Marks `repos` changed: every transaction that writes snapshots or refs calls it for the repos it writes (its scope includes `stamps`). */
export async function stampRepos(tx: StampingTransaction, repos: Iterable<string>): Promise<void> {
  const token = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
  await Promise.all([...new Set(repos)].map((repo) => tx.objectStore('stamps').put(token, repo)));
}

/**
 * Opens (creating or upgrading) the metadata database of store `name`. A connection another tab
 * needs to upgrade is closed at once (`blocking`). An upgrade that an older tab keeps blocked for
 * `blockedMs` fails with STORAGE_UNAVAILABLE instead of waiting for ever.
 */
export async function openMetaDb(name: string, blockedMs = 30_000): Promise<MetaDb> {
  if (typeof indexedDB === 'undefined') throw new StoreError('STORAGE_UNAVAILABLE', 'This browser has no IndexedDB');
  let blockedTimer: ReturnType<typeof setTimeout> | undefined;
  let gaveUp = false;
  let onBlocked = (): void => {};
  const blocked = new Promise<never>((_, reject) => {
    onBlocked = () => {
      blockedTimer ??= setTimeout(() => {
        gaveUp = true;
        reject(
          new StoreError(
            'STORAGE_UNAVAILABLE',
            `The store "${name}" needs an upgrade that another tab (with an older version of this app) keeps blocked: close or reload that tab`,
            { details: { blockedMs } },
          ),
        );
      }, blockedMs);
    };
  });
  blocked.catch(() => {});
  try {
    const opening = openDB<MetaSchema>(`${name}-meta`, META_VERSION, {
      // Only an upgrade waiting on another tab's open connection runs the clock.
      blocked: () => onBlocked(),
      blocking() {
        void opening.then((db) => db.close());
      },
      upgrade(db, oldVersion, _newVersion, tx) {
        if (oldVersion < 1) {
          db.createObjectStore('snapshots', { keyPath: ['repo', 'commit'] }).createIndex('repo', 'repo');
          db.createObjectStore('refs', { keyPath: ['repo', 'ref'] }).createIndex('repo', 'repo');
          db.createObjectStore('blobs', { keyPath: 'key' });
        }
        // v2 adds `pinned` to snapshots: existing ones start unpinned. A failure aborts the upgrade, so the open fails.
        if (oldVersion === 1) void unpinAll(tx.objectStore('snapshots'));
        if (oldVersion < 3) {
          db.createObjectStore('stamps');
          db.createObjectStore('commits', { keyPath: ['repo', 'commit'] });
        }
      },
    });
    // Opened after giving up: nobody will use it.
    void opening.then(
      (db) => gaveUp && db.close(),
      () => {},
    );
    return await Promise.race([opening, blocked]);
  } catch (error) {
    throw storageUnavailable(`Could not open the metadata database of "${name}"`, error);
  } finally {
    clearTimeout(blockedTimer);
  }
}

async function unpinAll(
  snapshots: IDBPObjectStore<MetaSchema, ArrayLike<StoreNames<MetaSchema>>, 'snapshots', 'versionchange'>,
): Promise<void> {
  for (let cursor = await snapshots.openCursor(); cursor !== null; cursor = await cursor.continue()) {
    await cursor.update({ ...cursor.value, pinned: false });
  }
}
