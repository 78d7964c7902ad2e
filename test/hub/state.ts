import { createHmac } from 'node:crypto';
import { FaultList } from './faults';
import type { Repo, RepoFile } from './repos';
import { StatsRecorder } from './stats';

/** A file of a repo, as the CDN knows it. */
export interface BlobRef {
  repo: string;
  file: RepoFile;
}

/** Everything the fake hub's handlers share. */
/** A network link to emulate: each request waits `latencyMs` before it is answered, file bodies go at `bytesPerSecond` each. */
export interface Link {
  latencyMs: number;
  bytesPerSecond?: number;
}

export interface HubState {
  /** A slow link every response goes through (`setLink`): latency before each answer, a rate for every file body. */
  link: Link | undefined;
  repos: Map<string, Repo>;
  /** Former repo ids -> current ones. */
  renamed: Map<string, string>;
  /** LFS blobs by sha256 (first repo/path that registered it). */
  blobs: Map<string, BlobRef>;
  /** LFS blobs by the signature of the CDN URL the hub handed out (says which repo/path asked). */
  /** CDN URLs handed out, by signature: what they serve and until when (ms since the epoch). */
  signed: Map<string, BlobRef & { expires: number }>;
  faults: FaultList;
  stats: StatsRecorder;
  treePageSize: number;
  cdnUrl: string;
  cacheDir: string;
}

/** A fresh state. */
export function createState(treePageSize: number, cacheDir: string): HubState {
  return {
    repos: new Map(),
    renamed: new Map(),
    blobs: new Map(),
    signed: new Map(),
    faults: new FaultList(),
    stats: new StatsRecorder(),
    treePageSize,
    cdnUrl: '',
    cacheDir,
    link: undefined,
  };
}

/** Adds (or replaces) a built repo and registers its LFS blobs with the CDN. */
export function registerRepo(state: HubState, repo: Repo): void {
  state.repos.set(repo.id, repo);
  for (const alias of repo.aliases ?? []) state.renamed.set(alias, repo.id);
  for (const commit of repo.commits) {
    for (const file of commit.files.values()) {
      if (file.lfs && !state.blobs.has(file.sha256)) state.blobs.set(file.sha256, { repo: repo.id, file });
    }
  }
}

/** The Xet hash of an LFS file (what the live CDN gives as its ETag): not the sha256, on purpose. */
export function xetHash(file: RepoFile): string {
  return createHmac('sha256', 'xet').update(file.sha256).digest('hex');
}

/**
 * A signed `xet-bridge` URL for an LFS file, valid for an hour, as the live Hub's 302 gives
 * (`Expires`, `Policy`, `Signature`, `Key-Pair-Id`, `X-Xet-Signed-Range`). The CDN refuses a URL
 * whose signature it did not issue or that has expired.
 */
export function cdnLocation(state: HubState, repoId: string, file: RepoFile): string {
  const hash = xetHash(file);
  const expires = Math.floor(Date.now() / 1000) + 3600;
  const range = file.size === 0 ? 'bytes=0-0' : `bytes=0-${file.size - 1}`;
  const policy = Buffer.from(
    JSON.stringify({
      Statement: [{ Resource: `${state.cdnUrl}/xet-bridge-us/${hash}*`, Condition: { DateLessThan: { 'AWS:EpochTime': expires } } }],
    }),
  ).toString('base64url');
  const signature = createHmac('sha256', 'hangar-fake-hub')
    .update(`${hash}\n${expires}\n${range}\n${state.signed.size}`)
    .digest('base64url');
  state.signed.set(signature, { repo: repoId, file, expires: expires * 1000 });
  const q = new URLSearchParams({
    'X-Xet-Signed-Range': range,
    Expires: String(expires),
    Policy: policy,
    Signature: signature,
    'Key-Pair-Id': 'K2FAKEHUBTEST',
  });
  return `${state.cdnUrl}/xet-bridge-us/${hash}?${q.toString()}`;
}
