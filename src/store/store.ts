import { StoreError, throwIfAborted } from '../errors/index.ts';
import { isCommitSha, type RepoFile } from '../hub/index.ts';
import { blobKey } from './blob-key.ts';
import { listModels, type CachedModel } from './list-models.ts';
import { openMetaDb, stampRepos, type CommitRecord, type MetaDb, type SnapshotRecord } from './meta-db.ts';
import type { BackendKind, BlobBackend, BlobStorage } from './blob-backend.ts';
import { openIdbBackend } from './idb-backend.ts';
import { openOpfsBackend } from './opfs-backend.ts';
import { planClean, type CleanPolicy } from './plan-clean.ts';
import { checkStorage } from './probe-storage.ts';
import { StoreEvents } from './store-events.ts';
import { storageUsage } from './storage-usage.ts';
import type { FileOptions, LocalModel, DeleteReport, CleanReport, StorageUsage, BlobUse, BlobInfo } from './types.ts';
import { collectGarbage, removeIdlePartial, removeStalePartials } from './collect-garbage.ts';
import { blobInfo, blobUses, dropBlob, markVerified, recordFile } from './blob-records.ts';
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
  readonly #db: MetaDb;
  readonly #backend: BlobBackend;
  readonly #storage: BlobStorage;
  readonly #now: () => number;
  readonly #touched = new Map<string, number>();
  /** The listing kept between calls: each repo's model (undefined: nothing stored) and the stamp it was built at. */
  #listing: Map<string, { stamp: string | undefined; model: CachedModel | undefined }> | undefined;

  private constructor(name: string, db: MetaDb, backend: BlobBackend, storage: BlobStorage, now: () => number, events: StoreEvents) {
    this.name = name;
    this.#db = db;
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
    const [db, backend] = await Promise.all([
      openMetaDb(name, options.blockedMs),
      storage.backend === 'opfs' ? openOpfsBackend(name) : openIdbBackend(name),
    ]);
    return new Store(name, db, backend, storage, options.now ?? Date.now, options.events ?? new StoreEvents(name));
  }

  /** True when the blob is recorded and its bytes are in OPFS with the recorded size. */
  async hasBlob(key: string): Promise<boolean> {
    const record = await this.#db.get('blobs', key);
    return record !== undefined && (await this.hasBlobBytes(key, record.size));
  }

  /** True when verified bytes for `key` are stored, recorded or not (a worker just committed them). */
  async hasBlobBytes(key: string, size: number): Promise<boolean> {
    return (await this.#backend.blobFile(key, size)) !== undefined;
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
    if (!(await recordFile(this.#db, repo, commit, file, createBlob, this.#now()))) return false;
    this.events.post({ type: 'added', repo, commit, path: file.path, size: file.size });
    return true;
  }

  /** Points `ref` (branch, tag, PR ref) of `repo` at `commit`. */
  async setRef(repo: string, ref: string, commit: string): Promise<void> {
    if (isCommitSha(ref)) return;
    const tx = this.#db.transaction(['refs', 'stamps'], 'readwrite');
    await Promise.all([tx.objectStore('refs').put({ repo, ref, commit, updatedAt: this.#now() }), stampRepos(tx, [repo]), tx.done]);
  }

  /** The commit a revision points at locally (no network), or undefined. */
  async localCommit(repo: string, revision: string): Promise<string | undefined> {
    if (isCommitSha(revision)) return revision;
    return (await this.#db.get('refs', [repo, revision]))?.commit;
  }

  /** What was read from the Hub about `repo` at `commit` (listing, config), or undefined. */
  commitRecord(repo: string, commit: string): Promise<CommitRecord | undefined> {
    return this.#db.get('commits', [repo, commit]);
  }

  /** Adds `facts` to the record of `repo` at `commit`. */
  async saveCommitRecord(repo: string, commit: string, facts: Pick<CommitRecord, 'files' | 'config'>): Promise<void> {
    const tx = this.#db.transaction('commits', 'readwrite');
    const record = (await tx.store.get([repo, commit])) ?? { repo, commit, savedAt: this.#now() };
    await Promise.all([tx.store.put({ ...record, ...facts, savedAt: this.#now() }), tx.done]);
  }

  /** The snapshot of `repo` at `commit`, or undefined. */
  snapshot(repo: string, commit: string): Promise<SnapshotRecord | undefined> {
    return this.#db.get('snapshots', [repo, commit]);
  }

  /** The stored bytes of `path` in `repo` at `revision`, as a File; never touches the network; counts as a use. */
  async file(repo: string, path: string, options: FileOptions = {}): Promise<File> {
    const { revision, snapshot } = await this.#resolve(repo, options);
    const entry = snapshot.files[path];
    if (entry === undefined) throw notCached(repo, revision, `${path} was never downloaded`, path);
    const blob = await this.#blobFile(blobKey(entry.hash), entry.size);
    if (blob === undefined) throw notCached(repo, revision, `the bytes of ${path} are missing`, path);
    await this.touch(repo, snapshot.commit);
    return new File([blob], path.slice(path.lastIndexOf('/') + 1), { lastModified: blob.lastModified });
  }

  /** The stored revision with every file checked present; offline; counts as a use. Throws NOT_CACHED. */
  async load(repo: string, options: FileOptions = {}): Promise<LocalModel> {
    const { revision, snapshot } = await this.#resolve(repo, options);
    const files = Object.entries(snapshot.files).map(([path, file]) => ({ path, size: file.size, hash: file.hash }));
    for (const file of files) {
      if ((await this.#blobFile(blobKey(file.hash), file.size)) === undefined) {
        throw notCached(repo, revision, `the bytes of ${file.path} are missing`, file.path);
      }
    }
    await this.touch(repo, snapshot.commit);
    return { repo, revision, commit: snapshot.commit, files: files.sort((a, b) => (a.path < b.path ? -1 : 1)) };
  }

  /** The bytes of blob `key` as a File, or undefined when they are missing or not `size` long. */
  blob(key: string, size: number): Promise<File | undefined> {
    return this.#blobFile(key, size);
  }

  /** Refs of `repo` that point at `commit`. */
  async refsOf(repo: string, commit: string): Promise<string[]> {
    return (await this.#db.getAllFromIndex('refs', 'repo', repo))
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
    const tx = this.#db.transaction(['snapshots', 'stamps'], 'readwrite');
    const snapshots = tx.objectStore('snapshots');
    const snapshot = await snapshots.get([repo, commit]);
    if (snapshot !== undefined) await Promise.all([snapshots.put({ ...snapshot, lastUsed: now }), stampRepos(tx, [repo])]);
    await tx.done;
  }

  /**
   * Every cached repo with its revisions, refs, files, sizes (shared blobs counted once), last use and
   * pins. The listing is kept between calls: only the repos whose stamp changed since (a write in any
   * tab) are read again. Its models are frozen, shared by the calls that get them.
   */
  async list(): Promise<CachedModel[]> {
    const tx = this.#db.transaction(['snapshots', 'refs', 'stamps']);
    const stampStore = tx.objectStore('stamps');
    const [repos, tokens] = await Promise.all([stampStore.getAllKeys(), stampStore.getAll()]);
    const stamps = new Map(repos.map((repo, index) => [repo, tokens[index]]));
    let listing = this.#listing;
    if (listing === undefined) {
      // First call: every repo. A repo without a stamp (stored before stamps existed) keeps undefined until its next write.
      const [snapshots, refs] = await Promise.all([tx.objectStore('snapshots').getAll(), tx.objectStore('refs').getAll()]);
      listing = new Map(
        listModels(snapshots, refs).map((model) => [model.repo, { stamp: stamps.get(model.repo), model: deepFreeze(model) }]),
      );
      this.#listing = listing;
    } else {
      for (const [repo, stamp] of stamps) {
        if (listing.get(repo)?.stamp === stamp) continue;
        const [snapshots, refs] = await Promise.all([
          tx.objectStore('snapshots').index('repo').getAll(repo),
          tx.objectStore('refs').index('repo').getAll(repo),
        ]);
        const [model] = listModels(snapshots, refs);
        listing.set(repo, { stamp, model: model === undefined ? undefined : deepFreeze(model) });
      }
    }
    const models: CachedModel[] = [];
    for (const { model } of listing.values()) if (model !== undefined) models.push(model);
    return models.sort((a, b) => (a.repo < b.repo ? -1 : a.repo > b.repo ? 1 : 0));
  }

  /** Removes one revision of `repo` (or all of them) and the blobs no other snapshot uses. */
  async delete(repo: string, options: { revision?: string } = {}): Promise<DeleteReport> {
    const commits = await this.#commitsOf(repo, options.revision);
    await this.#removeSnapshots(commits.map((commit) => ({ repo, commit })));
    const { blobs, bytes } = await this.collectGarbage();
    this.events.post({ type: 'deleted', repo, commits, bytesFreed: bytes });
    return { repo, commits, blobs, bytesFreed: bytes };
  }

  /** Pins or unpins one revision of `repo` (or all its revisions); pinned snapshots are never evicted. */
  async setPinned(repo: string, pinned: boolean, options: { revision?: string } = {}): Promise<string[]> {
    const commits = await this.#commitsOf(repo, options.revision);
    const tx = this.#db.transaction(['snapshots', 'stamps'], 'readwrite');
    const snapshots = tx.objectStore('snapshots');
    let changed = false;
    for (const commit of commits) {
      const snapshot = await snapshots.get([repo, commit]);
      if (snapshot === undefined) continue;
      await snapshots.put({ ...snapshot, pinned });
      changed = true;
    }
    if (changed) await stampRepos(tx, [repo]);
    await tx.done;
    this.events.post({ type: 'pinned', repo, commits, pinned });
    return commits;
  }

  /**
   * Evicts by `policy` (retention first, then LRU down to maxSize; pins and `protect`ed snapshots
   * stay), then deletes orphan blobs and stale partials. With `dryRun` it only reports.
   */
  async clean(policy: CleanPolicy, protect?: (snapshot: { repo: string; commit: string }) => boolean): Promise<CleanReport> {
    // Sizes come from the snapshots (a blob's size is its files' size); only blob records no snapshot uses are read.
    const tx = this.#db.transaction(['snapshots', 'blobs']);
    const [snapshots, keys] = await Promise.all([tx.objectStore('snapshots').getAll(), tx.objectStore('blobs').getAllKeys()]);
    const sizes = new Map<string, number>();
    for (const snapshot of snapshots) for (const file of Object.values(snapshot.files)) sizes.set(blobKey(file.hash), file.size);
    for (const key of keys) if (!sizes.has(key)) sizes.set(key, (await tx.objectStore('blobs').get(key))?.size ?? 0);
    const plan = planClean(snapshots, sizes, policy, this.#now(), protect);
    if (policy.dryRun === true) return { ...plan, dryRun: true, blobs: plan.orphanBlobs.length, partials: 0 };
    throwIfAborted(policy.signal);
    await this.#removeSnapshots(plan.remove);
    const { blobs: deleted, bytes } = await this.collectGarbage(policy.signal);
    const partials = await this.removeStalePartials(policy.retention, policy.signal);
    const report: CleanReport = { ...plan, bytesFreed: bytes, dryRun: false, blobs: deleted, partials };
    this.events.post({
      type: 'cleaned',
      removed: plan.remove.map(({ repo, commit }) => ({ repo, commit })),
      blobs: deleted,
      bytesFreed: bytes,
    });
    return report;
  }

  /** Deletes blobs no snapshot uses (see `collectGarbage`). */
  collectGarbage(signal?: AbortSignal): Promise<{ blobs: number; bytes: number }> {
    return collectGarbage(this.#parts(), signal);
  }

  /** Deletes partial downloads nobody is writing that are stale (see `removeStalePartials`). */
  removeStalePartials(olderThan?: number, signal?: AbortSignal): Promise<number> {
    return removeStalePartials(this.#parts(), olderThan, signal);
  }

  /** Every blob used by `repo` (or by any repo), with the snapshots and paths that use it. */
  blobUses(repo?: string): Promise<BlobUse[]> {
    return blobUses(this.#db, repo);
  }

  /** Every blob used by `repo` (or by any snapshot) with its users and its last verification. */
  blobInfo(repo?: string): Promise<BlobInfo[]> {
    return blobInfo(this.#db, repo);
  }

  /** Records the outcome of re-hashing a blob. */
  markVerified(key: string, ok: boolean): Promise<void> {
    return markVerified(this.#db, key, ok, this.#now());
  }

  /**
   * Repairs a bad or missing blob: every snapshot entry using it is dropped (so the next download
   * fetches it again), then the blob itself. Returns the entries that were dropped.
   */
  dropBlob(key: string): Promise<Array<{ repo: string; commit: string; path: string }>> {
    return dropBlob(this.#parts(), key);
  }

  /** Bytes the cache holds (distinct blobs) and the origin's usage, quota and persistence. */
  usage(): Promise<StorageUsage> {
    return storageUsage(this.#db, this.#backend.kind, this.#storage);
  }

  /** Deletes the bytes of blob `key` unless it has a record (call it holding the blob's lock): bytes that failed adoption. */
  async dropUnrecordedBytes(key: string): Promise<void> {
    if ((await this.#db.get('blobs', key)) === undefined) await this.#backend.removeBlob(key);
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
    return removeIdlePartial(this.#parts(), key, WRITER_CLOSE_MS);
  }

  /** Bytes already held in the partial download of `key` (0 when none). */
  partialSize(key: string): Promise<number> {
    return this.#backend.partialSize(key);
  }

  close(): void {
    this.events.close();
    this.#db.close();
  }

  #parts(): StoreParts {
    return { name: this.name, db: this.#db, backend: this.#backend, now: this.#now, hasBlob: (key) => this.hasBlob(key) };
  }

  async #resolve(repo: string, options: FileOptions): Promise<{ revision: string; snapshot: SnapshotRecord }> {
    const revision = options.revision ?? 'main';
    const commit = await this.localCommit(repo, revision);
    if (commit === undefined) throw notCached(repo, revision, 'this revision was never downloaded');
    const snapshot = await this.snapshot(repo, commit);
    if (snapshot === undefined) throw notCached(repo, revision, 'this revision was never downloaded');
    return { revision, snapshot };
  }

  #blobFile(key: string, size: number): Promise<File | undefined> {
    return this.#backend.blobFile(key, size);
  }

  async #commitsOf(repo: string, revision: string | undefined): Promise<string[]> {
    if (revision === undefined) return (await this.#db.getAllFromIndex('snapshots', 'repo', repo)).map((snapshot) => snapshot.commit);
    const commit = await this.localCommit(repo, revision);
    if (commit === undefined || (await this.snapshot(repo, commit)) === undefined) throw notCached(repo, revision, 'nothing stored for it');
    return [commit];
  }

  /** Deletes snapshots and every ref that points at them, in one transaction. */
  async #removeSnapshots(list: ReadonlyArray<{ repo: string; commit: string }>): Promise<void> {
    if (list.length === 0) return;
    const tx = this.#db.transaction(['snapshots', 'refs', 'stamps'], 'readwrite');
    await stampRepos(
      tx,
      list.map(({ repo }) => repo),
    );
    const refs = tx.objectStore('refs');
    for (const { repo, commit } of list) {
      await tx.objectStore('snapshots').delete([repo, commit]);
      for (const ref of await refs.index('repo').getAll(repo)) if (ref.commit === commit) await refs.delete([repo, ref.ref]);
    }
    await tx.done;
  }
}

function notCached(repo: string, revision: string, why: string, path?: string): StoreError {
  const what = path === undefined ? `${repo}@${revision}` : `${repo}@${revision}: ${path}`;
  return new StoreError('NOT_CACHED', `${what} is not cached (${why})`, { details: { repo, revision, path } });
}

/** Freezes `value` and everything it holds (a listing handed to several callers). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}
