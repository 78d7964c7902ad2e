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
export interface HubState {
  repos: Map<string, Repo>;
  /** Former repo ids -> current ones. */
  renamed: Map<string, string>;
  /** LFS blobs by sha256 (first repo/path that registered it). */
  blobs: Map<string, BlobRef>;
  /** LFS blobs by the signature of the CDN URL the hub handed out (says which repo/path asked). */
  signed: Map<string, BlobRef>;
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

function amzDate(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

/** A signed-looking CDN URL for an LFS file of a repo (S3 presigned style). */
export function cdnLocation(state: HubState, repoId: string, file: RepoFile): string {
  const sig = createHmac('sha256', 'hangar-fake-hub').update(`${repoId}\n${file.path}\n${file.sha256}`).digest('hex');
  state.signed.set(sig, { repo: repoId, file });
  const name = file.path.split('/').pop() ?? file.path;
  const now = new Date();
  const q = new URLSearchParams({
    'response-content-disposition': `inline; filename*=UTF-8''${encodeURIComponent(name)}; filename="${name.replace(/[^\x20-\x7e]|"/g, '_')}";`,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD',
    'X-Amz-Credential': `AKIAFAKEHUBTEST/${amzDate(now).slice(0, 8)}/us-east-1/s3/aws4_request`,
    'X-Amz-Date': amzDate(now),
    'X-Amz-Expires': '3600',
    'X-Amz-Signature': sig,
    'X-Amz-SignedHeaders': 'host',
    'x-id': 'GetObject',
  });
  const s = file.sha256;
  return `${state.cdnUrl}/repos/${s.slice(0, 2)}/${s.slice(2, 4)}/${s}?${q.toString()}`;
}
