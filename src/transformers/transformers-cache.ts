import { isHangarError } from '../errors/index.ts';
import type { DownloadJob, DownloadOptions } from '../download/index.ts';
import type { LocalModel } from '../store/index.ts';
import { CommitPins, type PinSources } from './commit-pins.ts';

/** A `progress_callback` event in transformers.js's shape. */
export type TransformersProgress =
  | { status: 'initiate' | 'download' | 'done'; name: string; file: string }
  | { status: 'progress'; name: string; file: string; progress: number; loaded: number; total: number };

/** Options of `transformersCache()`. */
export interface TransformersCacheOptions {
  /**
   * transformers.js `env.remoteHost`.
   * @default the manager's endpoint
   */
  remoteHost?: string;
  /**
   * transformers.js `env.localModelPath`.
   * @default '/models/'
   */
  localModelPath?: string;
  /** Called with transformers.js-shaped progress while Hangar downloads a missing file. */
  progress_callback?: (event: TransformersProgress) => void;
}

/** The object transformers.js 4.x takes as `env.customCache` (with `env.useCustomCache = true`), and `update`. */
export interface TransformersCache {
  match(key: string): Promise<Response | undefined>;
  put(key: string, response: Response): Promise<void>;
  /**
   * Moves `repo@revision` (default `'main'`) to the commit the Hub points it at now, as one step:
   * the files stored at the commit in use are downloaded at the new one in one job (a file the new
   * commit lacks is left out), the local ref moves only once they are all there, and later
   * `match`es read and fetch at the new commit. Until then the cache stays on the commit it pinned
   * at first use, however the branch moves. Resolves to the commit now in use.
   */
  update(repo: string, revision?: string, options?: { signal?: AbortSignal }): Promise<string>;
}

/** What the adapter needs from the manager. */
export interface TransformersCacheDeps extends PinSources {
  endpoint: string;
  file(repo: string, path: string, options: { revision: string }): Promise<File>;
  /** The files stored at `revision` (a commit here); throws NOT_CACHED. */
  load(repo: string, options: { revision: string }): Promise<LocalModel>;
  download(repo: string, options: DownloadOptions): DownloadJob;
  /** Points the local `revision` at `commit`. */
  setRef(repo: string, revision: string, commit: string): Promise<void>;
}

/** Splits a transformers.js cache key into repo, revision and file, or undefined for keys that are not model files. */
export function parseTransformersKey(
  key: string,
  remoteHost: string,
  localModelPath: string,
): { repo: string; revision: string; path: string } | undefined {
  const host = remoteHost.endsWith('/') ? remoteHost : `${remoteHost}/`;
  const decode = (path: string): string => path.split('/').map(decodeURIComponent).join('/');
  if (key.startsWith(host)) {
    const match = /^(.+?)\/resolve\/([^/]+)\/(.+)$/.exec(key.slice(host.length).split('?')[0]!);
    if (match === null) return undefined;
    return { repo: match[1]!, revision: decodeURIComponent(match[2]!), path: decode(match[3]!) };
  }
  const local = localModelPath.endsWith('/') ? localModelPath : `${localModelPath}/`;
  if (key.startsWith(local)) {
    const parts = key.slice(local.length).split('/');
    if (parts.length < 3) return undefined;
    return { repo: `${parts[0]}/${parts[1]}`, revision: 'main', path: decode(parts.slice(2).join('/')) };
  }
  return undefined;
}

/**
 * An `env.customCache` for transformers.js that reads from Hangar's store, and on a miss
 * downloads the file through Hangar (resume, retries, integrity) before answering, so
 * transformers.js itself never fetches a model file. `put` is a no-op: nothing unverified is stored.
 * Each repo@revision maps to one commit (see CommitPins): files stored at it are read from it and
 * missing ones are downloaded at it, so one pipeline never mixes two commits of a moving branch.
 */
export function createTransformersCache(deps: TransformersCacheDeps, options: TransformersCacheOptions = {}): TransformersCache {
  const remoteHost = options.remoteHost ?? `${deps.endpoint}/`;
  const localModelPath = options.localModelPath ?? '/models/';
  const pins = new CommitPins(deps);
  const respond = (file: File): Response =>
    new Response(file, { headers: { 'Content-Length': String(file.size), 'Content-Type': file.type || 'application/octet-stream' } });
  return {
    async match(key) {
      const target = parseTransformersKey(key, remoteHost, localModelPath);
      if (target === undefined) return undefined;
      const { repo, path } = target;
      let commit: string;
      try {
        commit = await pins.of(repo, target.revision);
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
      try {
        return respond(await deps.file(repo, path, { revision: commit }));
      } catch (error) {
        if (!isHangarError(error, 'NOT_CACHED')) throw error;
      }
      const report = options.progress_callback;
      report?.({ status: 'initiate', name: repo, file: path });
      const job = deps.download(repo, { revision: commit, files: [path] });
      job.on('progress', (progress) => {
        const file = progress.files[0];
        if (file !== undefined && file.total > 0) {
          report?.({
            status: 'progress',
            name: repo,
            file: path,
            progress: (100 * file.loaded) / file.total,
            loaded: file.loaded,
            total: file.total,
          });
        }
      });
      report?.({ status: 'download', name: repo, file: path });
      try {
        await job.done;
      } catch (error) {
        // A file the repo does not have: transformers.js treats undefined as "not cached" and decides.
        if (isMissing(error)) return undefined;
        throw error;
      }
      // A download at a commit moves no ref: a revision the store had no commit for points at this one
      // from its first file on (a ref the store had is the pinned commit, or moved by someone else: kept).
      if ((await deps.localCommit(repo, target.revision)) === undefined) await deps.setRef(repo, target.revision, commit);
      report?.({ status: 'done', name: repo, file: path });
      return respond(await deps.file(repo, path, { revision: commit }));
    },
    async put() {
      // Files reach the store only through Hangar's verified downloads (see match).
    },
    async update(repo, revision = 'main', updateOptions = {}) {
      const current = await pins.current(repo, revision);
      const stored = current === undefined ? undefined : await deps.load(repo, { revision: current }).catch(notCached);
      const commit = await moveTo(deps, repo, revision, stored?.files.map((file) => file.path) ?? [], updateOptions.signal);
      pins.set(repo, revision, commit);
      return commit;
    },
  };
}

/**
 * Downloads `paths` at the commit `revision` points at on the Hub now, in one job that moves the local
 * ref once every file is stored; a path the commit lacks is dropped and the job runs again (its files
 * already stored are not fetched twice). Nothing to move: the Hub's commit, and no ref moves.
 */
async function moveTo(deps: TransformersCacheDeps, repo: string, revision: string, paths: string[], signal?: AbortSignal): Promise<string> {
  for (;;) {
    if (paths.length === 0) return deps.resolveCommit(repo, revision, signal);
    try {
      return (await deps.download(repo, { revision, files: paths, ...(signal === undefined ? {} : { signal }) }).done).commit;
    } catch (error) {
      const gone = isHangarError(error, 'ENTRY_NOT_FOUND') ? error.details.path : undefined;
      if (typeof gone !== 'string' || !paths.includes(gone)) throw error;
      paths = paths.filter((path) => path !== gone);
    }
  }
}

function isMissing(error: unknown): boolean {
  return isHangarError(error, 'ENTRY_NOT_FOUND') || isHangarError(error, 'REPO_NOT_FOUND');
}

function notCached(error: unknown): undefined {
  if (isHangarError(error, 'NOT_CACHED')) return undefined;
  throw error;
}
