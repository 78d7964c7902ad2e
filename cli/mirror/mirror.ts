import { setMaxListeners } from 'node:events';
import { toHangarError, type HangarError } from '../../src/errors/index.ts';
import { LocalBlobs } from './local-blobs.ts';
import { MirrorLayout } from './mirror-layout.ts';
import { mirrorRepo, type MirrorOptions, type RepoMirrorReport } from './mirror-repo.ts';

/** A repo and the revision to mirror of it. */
export interface MirrorTarget {
  repo: string;
  /** Branch, tag, `refs/pr/N`, short or full commit. */
  revision: string;
}

/** What a run did: a report per target mirrored, an error per target that failed. */
export interface MirrorResult {
  reports: RepoMirrorReport[];
  failures: Array<{ target: MirrorTarget; error: HangarError }>;
}

/**
 * Mirrors each target in turn into `options.out` (see mirrorRepo). The files the folder already
 * holds are found by hash first, so what earlier runs or earlier targets fetched is linked, not
 * fetched again. A failed target does not stop the others; an abort does.
 */
export async function mirror(targets: readonly MirrorTarget[], options: MirrorOptions): Promise<MirrorResult> {
  // Each file waiting or in flight listens to the signal: many at once are expected, not a leak.
  const controller = new AbortController();
  setMaxListeners(0, controller.signal);
  const stop = (): void => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener('abort', stop, { once: true });
  try {
    const blobs = await LocalBlobs.scan(new MirrorLayout(options.out));
    const result: MirrorResult = { reports: [], failures: [] };
    for (const target of targets) {
      try {
        result.reports.push(await mirrorRepo(target.repo, target.revision, { ...options, signal: controller.signal }, blobs));
      } catch (thrown) {
        const error = toHangarError(thrown);
        if (controller.signal.aborted) throw error;
        result.failures.push({ target, error });
      }
    }
    return result;
  } finally {
    options.signal?.removeEventListener('abort', stop);
  }
}
