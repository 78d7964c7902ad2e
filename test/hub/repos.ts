import { createHash } from 'node:crypto';
import { blobContent, type BlobContent, type ContentSource } from './blobs';

/** Content of one file in a RepoDef commit. */
export type FileSource = string | Uint8Array | { synthetic: { size: number; seed: number } } | { diskPath: string };

/** A fake repo: a linear history of commits plus refs pointing into it. */
export interface RepoDef {
  /** "org/name" */
  id: string;
  /** Needs a token from `tokens` for everything. */
  private?: boolean;
  /** Metadata and tree public; resolve needs a token from `tokens`. */
  gated?: boolean;
  /** Tokens with access (default ["hf_hangar_test_token"]). */
  tokens?: string[];
  /** Each commit starts from the previous one's files; `null` deletes a file. */
  commits: Array<{ message?: string; files: Record<string, FileSource | null> }>;
  /** Branch -> commit index; default { main: last }. */
  branches?: Record<string, number>;
  tags?: Record<string, number>;
  /** refs/pr/N -> commit index. */
  prs?: Record<number, number>;
  /** Reported as `pipeline_tag` in model info. */
  pipeline_tag?: string;
  /** Accept file names that escape the repo (`../x`, `/x`): a malicious mirror, for tests of the client's checks. */
  unsafePaths?: boolean;
  /** How a hostile or sloppy mirror pages the tree listing (the live Hub: absolute `<url>; rel="next"`, no duplicates). */
  listing?: ListingQuirks;
  /** Former ids (a renamed repo): requests for them answer a 307 to the same URL with this id. */
  aliases?: string[];
}

/** Tree-listing misbehaviours of a mirror. */
export interface ListingQuirks {
  /**
   * The `Link` to the next page: `self` points at the page just served (a loop), `relative` is a
   * path-relative reference, `spaceless` is `<url>;rel=next` (both valid RFC 8288).
   */
  link?: 'self' | 'relative' | 'spaceless';
  /** This file's entry appears twice in the listing (on the last page). */
  duplicate?: string;
  /** Entries per page for this repo (default: the server's). */
  pageSize?: number;
}

/** What tests need to know about a file of a commit. */
export interface RepoFileInfo {
  path: string;
  size: number;
  /** The git blob sha1 the Hub reports as `oid`/`blobId` (for LFS files: of the pointer). */
  gitSha1: string;
  /** sha256 of the content (given for every file; the Hub itself only reports it for LFS). */
  sha256: string;
  lfs: boolean;
}

/** Summary of a repo as built: commit shas, files with hashes, refs -> commit sha. */
export interface RepoInfo {
  id: string;
  private: boolean;
  gated: boolean;
  commits: Array<{ sha: string; message: string; files: RepoFileInfo[] }>;
  branches: Record<string, string>;
  tags: Record<string, string>;
  prs: Record<string, string>;
}

/** A file at a commit. `oid` is the git sha1 the Hub reports (pointer sha1 for LFS). */
export interface RepoFile {
  path: string;
  size: number;
  lfs: boolean;
  oid: string;
  sha256: string;
  /** LFS pointer text, for LFS files. */
  pointer?: string;
  content: BlobContent;
}

/** One commit of a built repo, with its full file set (sorted by path). */
export interface Commit {
  index: number;
  sha: string;
  message: string;
  date: string;
  files: Map<string, RepoFile>;
}

/** A built repo. */
export interface Repo {
  id: string;
  private: boolean;
  gated: boolean;
  tokens: Set<string>;
  pipelineTag?: string;
  listing?: ListingQuirks;
  aliases?: string[];
  commits: Commit[];
  branches: Map<string, Commit>;
  tags: Map<string, Commit>;
  prs: Map<number, Commit>;
}

/** Default token with access to private and gated repos. */
export const DEFAULT_TOKEN = 'hf_hangar_test_token';

const LFS_PATH = /(\.(onnx|bin|safetensors|wav)|_data(_\d+)?)$/i;
const LFS_MIN_SIZE = 10 * 1024 * 1024;
const REPO_ID = /^[A-Za-z0-9][\w.-]*\/[A-Za-z0-9][\w.-]*$/;
const BASE_DATE = Date.UTC(2024, 0, 1);

/** Whether the Hub would store this file with LFS. */
export function isLfsPath(path: string, size: number): boolean {
  return LFS_PATH.test(path) || size >= LFS_MIN_SIZE;
}

/** The git blob sha1 of some bytes: sha1("blob <size>\0" + bytes). */
export function gitBlobSha1(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** The LFS pointer text of a file. */
export function lfsPointer(sha256: string, size: number): string {
  return `version https://git-lfs.github.com/spec/v1\noid sha256:${sha256}\nsize ${size}\n`;
}

function toContentSource(source: FileSource): ContentSource {
  if (typeof source === 'string') return { bytes: Buffer.from(source, 'utf8') };
  if (source instanceof Uint8Array) return { bytes: source };
  if ('synthetic' in source) return { synthetic: source.synthetic };
  if ('diskPath' in source) return { diskPath: source.diskPath };
  throw new Error('unknown file source');
}

function validPath(path: string): boolean {
  return (
    path.length > 0 && !path.startsWith('/') && !path.endsWith('/') && path.split('/').every((s) => s !== '' && s !== '.' && s !== '..')
  );
}

function makeFile(path: string, source: FileSource, cacheDir: string | undefined): RepoFile {
  const content = blobContent(toContentSource(source), cacheDir);
  const lfs = isLfsPath(path, content.size);
  if (!lfs) return { path, size: content.size, lfs, oid: content.gitSha1, sha256: content.sha256, content };
  const pointer = lfsPointer(content.sha256, content.size);
  return { path, size: content.size, lfs, oid: gitBlobSha1(Buffer.from(pointer)), sha256: content.sha256, pointer, content };
}

function refIndex(kind: string, name: string, index: number, count: number): number {
  if (!Number.isInteger(index) || index < 0 || index >= count) throw new Error(`${kind} ${name} points at missing commit ${index}`);
  return index;
}

/** Builds (and hashes) a repo from its definition; throws on an invalid definition. */
export function buildRepo(def: RepoDef, cacheDir?: string): Repo {
  if (typeof def.id !== 'string' || !REPO_ID.test(def.id)) throw new Error(`invalid repo id ${String(def.id)} (want "org/name")`);
  if (!Array.isArray(def.commits) || def.commits.length === 0) throw new Error(`repo ${def.id} needs at least one commit`);
  const commits: Commit[] = [];
  let files = new Map<string, RepoFile>();
  def.commits.forEach((c, index) => {
    files = new Map(files);
    for (const [path, source] of Object.entries(c.files ?? {})) {
      if (!def.unsafePaths && !validPath(path)) throw new Error(`invalid file path ${JSON.stringify(path)} in ${def.id}`);
      if (source === null) files.delete(path);
      else files.set(path, makeFile(path, source, cacheDir));
    }
    files = new Map([...files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    const hash = createHash('sha1').update(`${def.id}\0${index}\0`);
    for (const f of files.values()) hash.update(`${f.path}\0${f.oid}\n`);
    commits.push({
      index,
      sha: hash.digest('hex'),
      message: c.message ?? (index === 0 ? 'Initial commit' : `Commit ${index}`),
      date: new Date(BASE_DATE + index * 86_400_000).toISOString(),
      files,
    });
  });
  const at = (i: number) => commits[i] as Commit;
  const count = commits.length;
  const branches = new Map<string, Commit>();
  for (const [name, i] of Object.entries(def.branches ?? { main: count - 1 })) branches.set(name, at(refIndex('branch', name, i, count)));
  const tags = new Map<string, Commit>();
  for (const [name, i] of Object.entries(def.tags ?? {})) tags.set(name, at(refIndex('tag', name, i, count)));
  const prs = new Map<number, Commit>();
  for (const [num, i] of Object.entries(def.prs ?? {})) {
    if (!/^\d+$/.test(num)) throw new Error(`invalid PR number ${num}`);
    prs.set(Number(num), at(refIndex('PR', num, i, count)));
  }
  const repo: Repo = {
    id: def.id,
    private: def.private === true,
    gated: def.gated === true,
    tokens: new Set(def.tokens ?? [DEFAULT_TOKEN]),
    commits,
    branches,
    tags,
    prs,
  };
  if (def.pipeline_tag) repo.pipelineTag = def.pipeline_tag;
  if (def.listing) repo.listing = def.listing;
  if (def.aliases) repo.aliases = def.aliases;
  return repo;
}

/** The commit a revision names: HEAD, branch, tag, refs/heads|tags/X, refs/pr/N or a full 40-hex sha. */
export function resolveRevision(repo: Repo, rev: string): Commit | undefined {
  if (rev === 'HEAD') return repo.branches.get('main') ?? repo.branches.values().next().value;
  const byName = repo.branches.get(rev) ?? repo.tags.get(rev);
  if (byName) return byName;
  if (rev.startsWith('refs/heads/')) return repo.branches.get(rev.slice('refs/heads/'.length));
  if (rev.startsWith('refs/tags/')) return repo.tags.get(rev.slice('refs/tags/'.length));
  const pr = /^refs\/pr\/(\d+)$/.exec(rev);
  if (pr) return repo.prs.get(Number(pr[1]));
  if (/^[0-9a-f]{40}$/.test(rev)) return repo.commits.find((c) => c.sha === rev);
  // A short sha (7+ hex digits) names the one commit it starts (the live Hub resolves them).
  if (/^[0-9a-f]{7,39}$/.test(rev)) {
    const found = repo.commits.filter((c) => c.sha.startsWith(rev));
    return found.length === 1 ? found[0] : undefined;
  }
  return undefined;
}

/** The RepoInfo summary of a built repo. */
export function repoInfo(repo: Repo): RepoInfo {
  const shas = (m: Map<string | number, Commit>) => Object.fromEntries([...m].map(([k, c]) => [String(k), c.sha]));
  return {
    id: repo.id,
    private: repo.private,
    gated: repo.gated,
    commits: repo.commits.map((c) => ({
      sha: c.sha,
      message: c.message,
      files: [...c.files.values()].map((f) => ({ path: f.path, size: f.size, gitSha1: f.oid, sha256: f.sha256, lfs: f.lfs })),
    })),
    branches: shas(repo.branches),
    tags: shas(repo.tags),
    prs: shas(repo.prs),
  };
}
