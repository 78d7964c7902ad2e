import { isCommitSha, type RepoFile } from '../hub/index.ts';
import { blobKey } from './blob-key.ts';
import type { CachedModel } from './list-models.ts';
import { KeptListing } from './kept-listing.ts';
import { MetaConnection } from './meta-connection.ts';
import type { CommitRecord, MetaDb, SnapshotRecord } from './meta-db.ts';
import { pinSnapshots, putRef, removeSnapshots, touchSnapshot } from './snapshot-records.ts';
import type { BackendKind, BlobBackend, BlobStorage } from './blob-backend.ts';
import { openIdbBackend } from './idb-backend.ts';
import { openOpfsBackend } from './opfs-backend.ts';
import type { CleanPolicy } from './plan-clean.ts';
import { cleanStore } from './clean-store.ts';
import { checkStorage } from './probe-storage.ts';
import { StoreEvents } from './store-events.ts';
import { storageUsage } from './storage-usage.ts';
import type { FileOptions, LocalModel, DeleteReport, CleanReport, StorageUsage, BlobUse, BlobInfo } from './types.ts';
import { collectGarbage, removeIdlePartial, removeStalePartials } from './collect-garbage.ts';
import { blobInfo, blobUses, dropBlob, markVerified, recordFile } from './blob-records.ts';
import { loadModel, notCached, readFile } from './read-files.ts';
import type { StoreParts } from './store-parts.ts';

/** Options of `Store.open`. */
export interface StoreOptions {
  /**
   * Clock for last use and retention.
   * @default Date.now
   */
  now?: () => number;
  /** Where blob bytes live, as `probeStorage` found by trying (in the download worker). */
  storage: BlobStorage;
  /**
   * Where changes are posted (and received from other tabs).
   * @default a channel of its own, closed with the store
   */
  events?: StoreEvents;
  /**
   * How long a schema upgrade may wait on another tab's open connection before failing.
   * @default 30 s
   */
  blockedMs?: number;
}

/** How long a cancelled job waits for a worker to close the partial it was writing. */
const WRITER_CLOSE_MS = 5_000;

/** How often reads of one snapshot may rewrite its last-use time: LRU needs no finer clock. */
const TOUCH_INTERVAL_MS = 60_000;

/**
 * The content-addressed store: verified blobs in OPFS (`blobs/<algorithm>-<hash>`), snapshots
 * (repo, commit -> path -> blob) and refs (repo, branch/tag -> commit) in IndexedDB.
 *
 * Deleting a blob follows one protocol everywhere: its record goes first, in the transaction that
 * proves no snapshot uses it; its bytes go later under its Web Lock, after re-checking that no
 * record came back. Writers hold the same lock while they write and record a blob, so no tab
 * ever deletes bytes another tab is writing, and no snapshot ever points at a missing blob.
 */
export class Store {
  readonly name: string;
  readonly events: StoreEvents;
  readonly #meta: MetaConnection;
  readonly #backend: BlobBackend;
  readonly #storage: BlobStorage;
  readonly #now: () => number;
  readonly #touched = new Map<string, number>();
  readonly #listing = new KeptListing();

  private constructor(
    name: string,
    meta: MetaConnection,
    backend: BlobBackend,
    storage: BlobStorage,
    now: () => number,
    events: StoreEvents,
  ) {
    this.name = name;
    this.#meta = meta;
    this.#backend = backend;
    this.#storage = storage;
    this.#now = now;
    this.events = events;
  }

  /** Where this store keeps blob bytes. */
  get backend(): BackendKind {
    return this.#backend.kind;
  }

  /** How blob bytes are kept and why (the probe's answer). */
  get storage(): BlobStorage {
    return this.#storage;
  }

  /** Opens store `name` (OPFS folder or IndexedDB blob database, and the IndexedDB metadata); StoreError STORAGE_UNAVAILABLE when `storage` found nothing usable. */
  static async open(name: string, options: StoreOptions): Promise<Store> {
    const { storage } = options;
    checkStorage(storage);
    const [meta, backend] = await Promise.all([
      MetaConnection.open(name, options.blockedMs),
      storage.backend === 'opfs' ? openOpfsBackend(name) : openIdbBackend(name),
    ]);
    return new Store(name, meta, backend, storage, options.now ?? Date.now, options.events ?? new StoreEvents(name));
  }

  /** True when the blob is recorded and its bytes are in OPFS with the recorded size. */
  async hasBlob(key: string): Promise<boolean> {
    const record = await this.#meta.use((db) => db.get('blobs', key));
    return record !== undefined && (await this.hasBlobBytes(key, record.size));
  }

  /** True when verified bytes for `key` are stored, recorded or not (a worker just committed them). */
  async hasBlobBytes(key: string, size: number): Promise<boolean> {
    return this.#backend.hasBlob(key, size);
  }

  /** Records a verified file of `repo` at `commit`: its blob and its snapshot entry, in one transaction. Call it holding the blob's lock. */
  async addFile(repo: string, commit: string, file: RepoFile): Promise<void> {
    await this.#addEntry(repo, commit, file, true);
  }

  /** Adds `file` to the snapshot only if its blob is already recorded (dedup); one transaction, so a concurrent clean cannot slip between. */
  async addFileIfStored(repo: string, commit: string, file: RepoFile): Promise<boolean> {
    return (await this.hasBlobBytes(blobKey(file.hash), file.size)) && this.#addEntry(repo, commit, file, false);
  }

  async #addEntry(repo: string, commit: string, file: RepoFile, createBlob: boolean): Promise<boolean> {
    if (!(await this.#meta.use((db) => recordFile(db, repo, commit, file, createBlob, this.#now())))) return false;
    this.events.post({ type: 'added', repo, commit, path: file.path, size: file.size });
    return true;
  }

  /** Points `ref` (branch, tag, PR ref) of `repo` at `commit`. */
  async setRef(repo: string, ref: string, commit: string): Promise<void> {
    if (isCommitSha(ref)) return;
    await this.#meta.use((db) => putRef(db, repo, ref, commit, this.#now()));
  }

  /** The commit a revision points at locally (no network), or undefined. */
  async localCommit(repo: string, revision: string): Promise<string | undefined> {
    if (isCommitSha(revision)) return revision;
    return (await this.#meta.use((db) => db.get('refs', [repo, revision])))?.commit;
  }

  /** What was read from the Hub about `repo` at `commit` (listing, config), or undefined. */
  commitRecord(repo: string, commit: string): Promise<CommitRecord | undefined> {
    return this.#meta.use((db) => db.get('commits', [repo, commit]));
  }

  /** Adds `facts` to the record of `repo` at `commit`. */
  async saveCommitRecord(repo: string, commit: string, facts: Pick<CommitRecord, 'files' | 'config'>): Promise<void> {
    await this.#meta.use(async (db) => {
      const tx = db.transaction('commits', 'readwrite');
      const record = (await tx.store.get([repo, commit])) ?? { repo, commit, savedAt: this.#now() };
      await Promise.all([tx.store.put({ ...record, ...facts, savedAt: this.#now() }), tx.done]);
    });
  }

  /** The snapshot of `repo` at `commit`, or undefined. */
  snapshot(repo: string, commit: string): Promise<SnapshotRecord | undefined> {
    return this.#meta.use((db) => db.get('snapshots', [repo, commit]));
  }

  /** The stored bytes of `path` in `repo` at `revision`, as a File; never touches the network; counts as a use. */
  file(repo: string, path: string, options: FileOptions = {}): Promise<File> {
    return readFile(this, repo, path, options);
  }

  /** The stored revision with every file checked present; offline; counts as a use. Throws NOT_CACHED. */
  load(repo: string, options: FileOptions = {}): Promise<LocalModel> {
    return loadModel(this, repo, options);
  }

  /** The bytes of blob `key` as a File, or undefined when they are missing or not `size` long. */
  blob(key: string, size: number): Promise<File | undefined> {
    return this.#blobFile(key, size);
  }

  /** Refs of `repo` that point at `commit`. */
  async refsOf(repo: string, commit: string): Promise<string[]> {
    return (await this.#meta.use((db) => db.getAllFromIndex('refs', 'repo', repo)))
      .filter((ref) => ref.commit === commit)
      .map((ref) => ref.ref)
      .sort();
  }

  /** Marks a snapshot as used now (LRU); at most once a minute per snapshot from this store object (a read of many files writes once). */
  async touch(repo: string, commit: string): Promise<void> {
    const now = this.#now();
    const key = `${repo}\n${commit}`;
    if (now - (this.#touched.get(key) ?? -Infinity) < TOUCH_INTERVAL_MS) return;
    this.#touched.set(key, now);
    try {
      await this.#meta.use((db) => touchSnapshot(db, repo, commit, now));
    } catch (error) {
      this.#touched.delete(key);
      throw error;
    }
  }

  /**
   * Every cached repo with its revisions, refs, files, sizes (shared blobs counted once), last use and
   * pins. The listing is kept between calls: only the repos whose stamp changed since (a write in any
   * tab) are read again. Its models are frozen, shared by the calls that get them.
   */
  list(): Promise<CachedModel[]> {
    return this.#meta.use((db) => this.#listing.read(db));
  }

  /** Removes one revision of `repo` (or all of them) and the blobs no other snapshot uses. */
  async delete(repo: string, options: { revision?: string } = {}): Promise<DeleteReport> {
    const commits = await this.#commitsOf(repo, options.revision);
    await this.#meta.use((db) =>
      removeSnapshots(
        db,
        commits.map((commit) => ({ repo, commit })),
      ),
    );
    const { blobs, bytes } = await this.collectGarbage();
    this.events.post({ type: 'deleted', repo, commits, bytesFreed: bytes });
    return { repo, commits, blobs, bytesFreed: bytes };
  }

  /** Pins or unpins one revision of `repo` (or all its revisions); pinned snapshots are never evicted. */
  async setPinned(repo: string, pinned: boolean, options: { revision?: string } = {}): Promise<string[]> {
    const commits = await this.#commitsOf(repo, options.revision);
    await this.#meta.use((db) => pinSnapshots(db, repo, commits, pinned));
    this.events.post({ type: 'pinned', repo, commits, pinned });
    return commits;
  }

  /** Evicts by `policy` and deletes what no snapshot uses (see `cleanStore`). */
  clean(policy: CleanPolicy, protect?: (snapshot: { repo: string; commit: string }) => boolean): Promise<CleanReport> {
    return this.#meta.use((db) => cleanStore(this.#parts(db), this.events, policy, protect));
  }

  /** Deletes blobs no snapshot uses (see `collectGarbage`). */
  collectGarbage(signal?: AbortSignal): Promise<{ blobs: number; bytes: number }> {
    return this.#meta.use((db) => collectGarbage(this.#parts(db), signal));
  }

  /** Deletes partial downloads nobody is writing that are stale (see `removeStalePartials`). */
  removeStalePartials(olderThan?: number, signal?: AbortSignal): Promise<number> {
    return this.#meta.use((db) => removeStalePartials(this.#parts(db), olderThan, signal));
  }

  /** Every blob used by `repo` (or by any repo), with the snapshots and paths that use it. */
  blobUses(repo?: string): Promise<BlobUse[]> {
    return this.#meta.use((db) => blobUses(db, repo));
  }

  /** Every blob used by `repo` (or by any snapshot) with its users and its last verification. */
  blobInfo(repo?: string): Promise<BlobInfo[]> {
    return this.#meta.use((db) => blobInfo(db, repo));
  }

  /** Records the outcome of re-hashing a blob. */
  markVerified(key: string, ok: boolean): Promise<void> {
    return this.#meta.use((db) => markVerified(db, key, ok, this.#now()));
  }

  /**
   * Repairs a bad or missing blob: every snapshot entry using it is dropped (so the next download
   * fetches it again), then the blob itself. Returns the entries that were dropped.
   */
  dropBlob(key: string): Promise<Array<{ repo: string; commit: string; path: string }>> {
    return this.#meta.use((db) => dropBlob(this.#parts(db), key));
  }

  /** Bytes the cache holds (distinct blobs) and the origin's usage, quota and persistence. */
  usage(): Promise<StorageUsage> {
    return this.#meta.use((db) => storageUsage(db, this.#backend.kind, this.#storage));
  }

  /** Deletes the bytes of blob `key` unless it has a record (call it holding the blob's lock): bytes that failed adoption. */
  async dropUnrecordedBytes(key: string): Promise<void> {
    if ((await this.#meta.use((db) => db.get('blobs', key))) === undefined) await this.#backend.removeBlob(key);
  }

  /** Deletes the partial download of `key` and its checkpoint (call it holding the blob's lock). */
  discardPartial(key: string): Promise<void> {
    return this.#backend.removePartial(key);
  }

  /**
   * Deletes the partial download of `key` unless it is in use: another job holds the blob (it then
   * owns the partial), or a worker still has it open after a few seconds. True when it was deleted.
   */
  discardIdlePartial(key: string): Promise<boolean> {
    return removeIdlePartial({ name: this.name, backend: this.#backend }, key, WRITER_CLOSE_MS);
  }

  /** Bytes already held in the partial download of `key` (0 when none). */
  partialSize(key: string): Promise<number> {
    return this.#backend.partialSize(key);
  }

  close(): void {
    this.events.close();
    this.#meta.close();
  }

  #parts(db: MetaDb): StoreParts {
    return { name: this.name, db, backend: this.#backend, now: this.#now, hasBlob: (key) => this.hasBlob(key) };
  }

  #blobFile(key: string, size: number): Promise<File | undefined> {
    return this.#backend.blobFile(key, size);
  }

  async #commitsOf(repo: string, revision: string | undefined): Promise<string[]> {
    if (revision === undefined) {
      return (await this.#meta.use((db) => db.getAllFromIndex('snapshots', 'repo', repo))).map((snapshot) => snapshot.commit);
    }
    const commit = await this.localCommit(repo, revision);
    if (commit === undefined || (await this.snapshot(repo, commit)) === undefined) throw notCached(repo, revision, 'nothing stored for it');
    return [commit];
  }
}
