import { StoreError } from '../errors/index.ts';
import { isCommitSha, type RepoFile } from '../hub/index.ts';
import { blobKey } from './blob-key.ts';
import { openMetaDb, type MetaDb, type SnapshotRecord } from './meta-db.ts';
import { maybeFile, opfsDirs, removeEntry, type OpfsDirs } from './opfs-dirs.ts';

/** Options of `Store.file`. */
export interface FileOptions {
  /** Branch, tag or commit. Default `'main'`. */
  revision?: string;
}

/**
 * The content-addressed store: verified blobs in OPFS (`blobs/<algorithm>-<hash>`), snapshots
 * (repo, commit -> path -> blob) and refs (repo, branch/tag -> commit) in IndexedDB.
 */
export class Store {
  readonly name: string;
  readonly #db: MetaDb;
  readonly #dirs: OpfsDirs;

  private constructor(name: string, db: MetaDb, dirs: OpfsDirs) {
    this.name = name;
    this.#db = db;
    this.#dirs = dirs;
  }

  /** Opens store `name` (OPFS folder + IndexedDB database of that name). */
  static async open(name: string): Promise<Store> {
    const [db, dirs] = await Promise.all([openMetaDb(name), opfsDirs(name)]);
    return new Store(name, db, dirs);
  }

  /** True when the blob is recorded and its bytes are in OPFS with the recorded size. */
  async hasBlob(key: string): Promise<boolean> {
    const record = await this.#db.get('blobs', key);
    if (record === undefined) return false;
    const handle = await maybeFile(this.#dirs.blobs, key);
    return handle !== undefined && (await handle.getFile()).size === record.size;
  }

  /** True when verified bytes for `key` sit in OPFS, recorded or not (a worker just moved them there). */
  async hasBlobBytes(key: string, size: number): Promise<boolean> {
    const handle = await maybeFile(this.#dirs.blobs, key);
    return handle !== undefined && (await handle.getFile()).size === size;
  }

  /** Records a verified file of `repo` at `commit`: its blob and its snapshot entry, in one transaction. */
  async addFile(repo: string, commit: string, file: RepoFile): Promise<void> {
    const now = Date.now();
    const tx = this.#db.transaction(['blobs', 'snapshots'], 'readwrite');
    const key = blobKey(file.hash);
    const blobs = tx.objectStore('blobs');
    if ((await blobs.get(key)) === undefined) await blobs.put({ key, size: file.size, createdAt: now });
    const snapshots = tx.objectStore('snapshots');
    const snapshot: SnapshotRecord = (await snapshots.get([repo, commit])) ?? { repo, commit, files: {}, createdAt: now, lastUsed: now };
    snapshot.files[file.path] = { size: file.size, hash: file.hash };
    snapshot.lastUsed = now;
    await snapshots.put(snapshot);
    await tx.done;
  }

  /** Points `ref` (branch, tag, PR ref) of `repo` at `commit`. */
  async setRef(repo: string, ref: string, commit: string): Promise<void> {
    if (isCommitSha(ref)) return;
    await this.#db.put('refs', { repo, ref, commit, updatedAt: Date.now() });
  }

  /** The commit a revision points at locally (no network), or undefined. */
  async localCommit(repo: string, revision: string): Promise<string | undefined> {
    if (isCommitSha(revision)) return revision;
    return (await this.#db.get('refs', [repo, revision]))?.commit;
  }

  /** The snapshot of `repo` at `commit`, or undefined. */
  snapshot(repo: string, commit: string): Promise<SnapshotRecord | undefined> {
    return this.#db.get('snapshots', [repo, commit]);
  }

  /** The stored bytes of `path` in `repo` at `revision`, as a File; never touches the network. */
  async file(repo: string, path: string, options: FileOptions = {}): Promise<File> {
    const revision = options.revision ?? 'main';
    const notCached = (why: string): StoreError =>
      new StoreError('NOT_CACHED', `${repo}@${revision}: ${path} is not cached (${why})`, { details: { repo, revision, path } });
    const commit = await this.localCommit(repo, revision);
    if (commit === undefined) throw notCached('revision never downloaded');
    const entry = (await this.snapshot(repo, commit))?.files[path];
    if (entry === undefined) throw notCached('file never downloaded');
    const handle = await maybeFile(this.#dirs.blobs, blobKey(entry.hash));
    if (handle === undefined) throw notCached('blob missing');
    const blob = await handle.getFile();
    if (blob.size !== entry.size) throw notCached('blob has the wrong size');
    return new File([blob], path.slice(path.lastIndexOf('/') + 1), { lastModified: blob.lastModified });
  }

  /** Deletes the partial download of `key` and its checkpoint. */
  async discardPartial(key: string): Promise<void> {
    await removeEntry(this.#dirs.partials, `${key}.part`);
    await removeEntry(this.#dirs.partials, `${key}.ckpt`);
  }

  /** Bytes already held in the partial download of `key` (0 when none). */
  async partialSize(key: string): Promise<number> {
    const handle = await maybeFile(this.#dirs.partials, `${key}.part`);
    return handle === undefined ? 0 : (await handle.getFile()).size;
  }

  close(): void {
    this.#db.close();
  }
}
