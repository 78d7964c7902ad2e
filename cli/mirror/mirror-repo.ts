import { lstat, readFile, readdir, rm, stat } from 'node:fs/promises';
import { dirname, relative } from 'node:path';
import { isCommitSha, listRepoFiles, resolveUrl, type HubContext, type RepoFile } from '../../src/hub/index.ts';
import { Semaphore, formatBytes, withRetry, type RetryOptions } from '../../src/util/index.ts';
import { downloadFile, type DownloadPolicy } from './download-file.ts';
import { fetchModelInfo, type ModelInfo } from './fetch-model-info.ts';
import type { LocalBlobs } from './local-blobs.ts';
import { MirrorLayout } from './mirror-layout.ts';
import { linkAtomic, symlinkAtomic, writeFileAtomic } from './place-file.ts';
import { readTreeListing, treeEntries } from './tree-listing.ts';

/** How to mirror: where from, where to, and the download rules. */
export interface MirrorOptions extends DownloadPolicy {
  /** The mirror folder. */
  out: string;
  /** The Hub (or another mirror) to copy from. */
  endpoint: string;
  /** Sent to the endpoint's origin only. */
  accessToken?: string | undefined;
  /** Files downloaded at once. */
  concurrency: number;
  signal?: AbortSignal | undefined;
  /** Progress lines (a file done, a retry). */
  log?: ((line: string) => void) | undefined;
}

/** What one `repo@revision` took. */
export interface RepoMirrorReport {
  repo: string;
  revision: string;
  commit: string;
  files: number;
  bytes: number;
  /** Files fetched over the network, and the bytes that came (a resumed file counts only the rest). */
  downloaded: number;
  receivedBytes: number;
  /** Files whose bytes the mirror held at another path, commit or repo: hard-linked (or copied). */
  linked: number;
  /** Files already at their final path. */
  kept: number;
  /** `reused`: the commit's listing was in the mirror already, so the Hub was not asked again. */
  listing: 'fetched' | 'reused';
}

/**
 * Mirrors one repo at one revision into `options.out` in the Hub's URL layout (see MirrorLayout).
 * Requests: one to resolve the revision (none for a full commit the mirror has), one listing (none
 * when the mirror has the commit's listing), and one per file it does not hold yet by hash. The
 * listing is written once every file is in place, and the ref (model info, `resolve/{ref}` and
 * `tree/{ref}` symlinks, short-sha links) only after that: a server never sees a ref to a commit
 * that is not whole.
 */
export async function mirrorRepo(repo: string, revision: string, options: MirrorOptions, blobs: LocalBlobs): Promise<RepoMirrorReport> {
  const layout = new MirrorLayout(options.out);
  const temp = layout.temp();
  const context: HubContext = {
    endpoint: options.endpoint,
    accessToken: options.accessToken,
    signal: options.signal,
    stallMs: options.stallMs,
    timeoutMs: options.timeoutMs,
  };
  const retry: RetryOptions = {
    retries: options.retries,
    baseDelay: options.retryDelayMs,
    retryAfterMax: options.retryAfterMaxMs,
    signal: options.signal,
    onRetry: ({ attempt, delayMs, error }) => options.log?.(`  retry ${attempt} in ${delayMs} ms: ${error.code}: ${error.message}`),
  };

  const known = isCommitSha(revision) ? await readInfo(layout.info(repo, revision), revision) : undefined;
  const { commit, info } = known ?? (await withRetry(() => fetchModelInfo(context, repo, revision), retry));
  let files = await readTreeListing(layout.tree(repo, commit));
  const listing = files === undefined ? 'fetched' : 'reused';
  files ??= await withRetry(() => listRepoFiles(context, repo, commit), retry);

  const report: RepoMirrorReport = {
    repo,
    revision,
    commit,
    files: files.length,
    bytes: files.reduce((sum, file) => sum + file.size, 0),
    downloaded: 0,
    receivedBytes: 0,
    linked: 0,
    kept: 0,
    listing,
  };
  const slots = new Semaphore(options.concurrency);
  /** Links the file from bytes the mirror holds, or downloads it. */
  const obtain = async (file: RepoFile, final: string): Promise<void> => {
    const held = await blobs.find(file.hash, file.size);
    if (held !== undefined) {
      await linkAtomic(temp, held, final);
      report.linked++;
      blobs.add(file.hash, final);
      return;
    }
    const release = await slots.acquire(options.signal);
    try {
      const url = resolveUrl(options.endpoint, repo, commit, file.path);
      const result = await downloadFile(
        { url, path: file.path, size: file.size, hash: file.hash, partial: layout.partial(file.hash), final },
        {
          ...options,
          context,
          onRetry: (r) => options.log?.(`  ${r.path}: retry ${r.attempt} in ${r.delayMs} ms (${r.code}: ${r.message})`),
        },
      );
      report.downloaded++;
      report.receivedBytes += result.received;
      blobs.add(file.hash, final);
      const resumed = result.resumedFrom > 0 ? `resumed at byte ${result.resumedFrom}, ` : '';
      options.log?.(`  ${file.path}: ${resumed}${formatBytes(result.received)} fetched`);
    } finally {
      release();
    }
  };
  // A hash listed at two paths is fetched once: the other paths wait for it, then link.
  const first = new Map<string, Promise<void>>();
  const place = async (file: RepoFile): Promise<void> => {
    const final = layout.file(repo, commit, file.path);
    const there = await stat(final).catch(() => undefined);
    if (there?.isFile() && there.size === file.size) {
      report.kept++;
      blobs.add(file.hash, final);
      return;
    }
    const key = `${file.hash.algorithm}:${file.hash.value}`;
    const earlier = first.get(key);
    if (earlier === undefined) {
      const own = obtain(file, final);
      first.set(key, own);
      return own;
    }
    await earlier.catch(() => {});
    await obtain(file, final);
  };
  // Every file is tried even when one fails (what succeeded stays for the next run); the first error is thrown.
  const outcomes = await Promise.allSettled(files.map(place));
  const failed = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failed !== undefined) throw failed.reason;

  const infoJson = JSON.stringify(info);
  await writeFileAtomic(temp, layout.tree(repo, commit), JSON.stringify(treeEntries(files)));
  await writeFileAtomic(temp, layout.info(repo, commit), infoJson);
  if (!isCommitSha(revision)) {
    await writeFileAtomic(temp, layout.info(repo, revision), infoJson);
    await pointAt(temp, layout.resolve(repo, revision), layout.resolve(repo, commit));
    await pointAt(temp, layout.tree(repo, revision), layout.tree(repo, commit));
  }
  await linkShortShas(layout, repo);
  return report;
}

/** The model info the mirror holds for `commit` at `path`, if it is that. */
async function readInfo(path: string, commit: string): Promise<ModelInfo | undefined> {
  try {
    const info = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    return info.sha === commit ? { commit, info } : undefined;
  } catch {
    return undefined;
  }
}

/** Makes `link` a relative symlink to `target`. */
async function pointAt(temp: string, link: string, target: string): Promise<void> {
  await symlinkAtomic(temp, relative(dirname(link), target), link);
}

/**
 * Links every prefix of 7 to 39 hex digits of each commit the mirror holds whole (`revision/{short}`
 * -> `{commit}`), as the Hub resolves short shas; a prefix two commits share links to neither. A
 * regular file of that name (a ref) is left alone.
 */
async function linkShortShas(layout: MirrorLayout, repo: string): Promise<void> {
  const entries = await readdir(layout.treeDir(repo), { withFileTypes: true });
  const commits = entries.filter((entry) => entry.isFile() && isCommitSha(entry.name)).map((entry) => entry.name);
  for (const commit of commits) {
    for (let length = 7; length < 40; length++) {
      const prefix = commit.slice(0, length);
      const path = layout.info(repo, prefix);
      const kind = await lstat(path).catch(() => undefined);
      if (kind !== undefined && !kind.isSymbolicLink()) continue;
      if (commits.some((other) => other !== commit && other.startsWith(prefix))) {
        if (kind !== undefined) await rm(path);
      } else await symlinkAtomic(layout.temp(), commit, path);
    }
  }
}
