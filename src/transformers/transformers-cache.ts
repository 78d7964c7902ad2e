import { isHangarError } from '../errors/index.ts';
import type { DownloadJob, DownloadOptions } from '../download/index.ts';

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

/** The object transformers.js 4.x takes as `env.customCache` (with `env.useCustomCache = true`). */
export interface TransformersCache {
  match(key: string): Promise<Response | undefined>;
  put(key: string, response: Response): Promise<void>;
}

/** What the adapter needs from the manager. */
export interface TransformersCacheDeps {
  endpoint: string;
  file(repo: string, path: string, options: { revision: string }): Promise<File>;
  download(repo: string, options: DownloadOptions): DownloadJob;
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
 */
export function createTransformersCache(deps: TransformersCacheDeps, options: TransformersCacheOptions = {}): TransformersCache {
  const remoteHost = options.remoteHost ?? `${deps.endpoint}/`;
  const localModelPath = options.localModelPath ?? '/models/';
  // The commit each repo@revision resolved to on its first download: later files come from the same
  // commit (a branch moving meanwhile cannot mix two), without asking the Hub again.
  const commits = new Map<string, string>();
  const respond = (file: File): Response =>
    new Response(file, { headers: { 'Content-Length': String(file.size), 'Content-Type': file.type || 'application/octet-stream' } });
  return {
    async match(key) {
      const target = parseTransformersKey(key, remoteHost, localModelPath);
      if (target === undefined) return undefined;
      const { repo, path } = target;
      const revision = commits.get(`${repo}@${target.revision}`) ?? target.revision;
      try {
        return respond(await deps.file(repo, path, { revision }));
      } catch (error) {
        if (!(isHangarError(error) && error.code === 'NOT_CACHED')) throw error;
      }
      const report = options.progress_callback;
      report?.({ status: 'initiate', name: repo, file: path });
      const job = deps.download(repo, { revision, files: [path] });
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
        commits.set(`${repo}@${target.revision}`, (await job.done).commit);
      } catch (error) {
        // A file the repo does not have: transformers.js treats undefined as "not cached" and decides.
        if (isHangarError(error, 'ENTRY_NOT_FOUND') || isHangarError(error, 'REPO_NOT_FOUND')) return undefined;
        throw error;
      }
      report?.({ status: 'done', name: repo, file: path });
      return respond(await deps.file(repo, path, { revision }));
    },
    async put() {
      // Files reach the store only through Hangar's verified downloads (see match).
    },
  };
}
