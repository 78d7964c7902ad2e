import { createHash } from 'node:crypto';
import type { Commit, Repo, RepoFile } from './repos';
import { xetHash } from './state';

/** One entry of the Hub tree API. */
export interface TreeEntry {
  type: 'file' | 'directory';
  oid: string;
  size: number;
  path: string;
  lfs?: { oid: string; size: number; pointerSize: number };
  /** LFS files are Xet-backed on the live Hub. */
  xetHash?: string;
  lastCommit?: { id: string; title: string; date: string };
}

interface DirNode {
  path: string;
  oid: string;
  dirs: Map<string, DirNode>;
  files: Map<string, RepoFile>;
}

const trees = new WeakMap<Commit, DirNode>();

function gitOrder(a: [string, boolean], b: [string, boolean]): number {
  const ka = a[1] ? `${a[0]}/` : a[0];
  const kb = b[1] ? `${b[0]}/` : b[0];
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

function children(node: DirNode): Array<[string, boolean]> {
  return [
    ...[...node.dirs.keys()].map((n): [string, boolean] => [n, true]),
    ...[...node.files.keys()].map((n): [string, boolean] => [n, false]),
  ].sort(gitOrder);
}

function sealTree(node: DirNode): void {
  for (const d of node.dirs.values()) sealTree(d);
  const parts: Buffer[] = [];
  for (const [name, isDir] of children(node)) {
    const oid = isDir ? node.dirs.get(name)?.oid : node.files.get(name)?.oid;
    parts.push(Buffer.from(`${isDir ? '40000' : '100644'} ${name}\0`), Buffer.from(oid ?? '', 'hex'));
  }
  const body = Buffer.concat(parts);
  node.oid = createHash('sha1').update(`tree ${body.length}\0`).update(body).digest('hex');
}

function rootOf(commit: Commit): DirNode {
  let root = trees.get(commit);
  if (root) return root;
  root = { path: '', oid: '', dirs: new Map(), files: new Map() };
  for (const file of commit.files.values()) {
    const segs = file.path.split('/');
    const name = segs.pop() ?? '';
    let node = root;
    for (const seg of segs) {
      let next = node.dirs.get(seg);
      if (!next) {
        next = { path: node.path ? `${node.path}/${seg}` : seg, oid: '', dirs: new Map(), files: new Map() };
        node.dirs.set(seg, next);
      }
      node = next;
    }
    node.files.set(name, file);
  }
  sealTree(root);
  trees.set(commit, root);
  return root;
}

function findDir(commit: Commit, path: string): DirNode | undefined {
  let node: DirNode | undefined = rootOf(commit);
  if (path === '') return node;
  for (const seg of path.split('/')) node = node?.dirs.get(seg);
  return node;
}

/** The git oid of a path at a commit (file blob or directory tree), if it exists. */
export function pathOid(commit: Commit, path: string): string | undefined {
  return commit.files.get(path)?.oid ?? findDir(commit, path)?.oid;
}

function lastCommitOf(repo: Repo, commit: Commit, path: string): TreeEntry['lastCommit'] {
  let j = commit.index;
  const oid = pathOid(commit, path);
  while (j > 0) {
    const prev = repo.commits[j - 1];
    if (!prev || pathOid(prev, path) !== oid) break;
    j--;
  }
  const c = repo.commits[j] ?? commit;
  return { id: c.sha, title: c.message, date: c.date };
}

function fileEntry(file: RepoFile): TreeEntry {
  const entry: TreeEntry = { type: 'file', oid: file.oid, size: file.size, path: file.path };
  if (file.pointer) {
    entry.lfs = { oid: file.sha256, size: file.size, pointerSize: Buffer.byteLength(file.pointer) };
    entry.xetHash = xetHash(file);
  }
  return entry;
}

/** Tree or file entry for one path at a commit, or undefined when nothing is there. */
export function pathEntry(repo: Repo, commit: Commit, path: string, expand: boolean): TreeEntry | undefined {
  const file = commit.files.get(path);
  const dir = file ? undefined : path === '' ? undefined : findDir(commit, path);
  const entry = file ? fileEntry(file) : dir ? { type: 'directory' as const, oid: dir.oid, size: 0, path: dir.path } : undefined;
  if (entry && expand) entry.lastCommit = lastCommitOf(repo, commit, path);
  return entry;
}

/**
 * Lists a directory like the Hub tree API (directories included, git order, a directory before its
 * contents when recursive). A file path lists that file; a missing path gives undefined.
 */
export function listTree(repo: Repo, commit: Commit, path: string, recursive: boolean, expand: boolean): TreeEntry[] | undefined {
  const file = commit.files.get(path);
  if (file) return [pathEntry(repo, commit, path, expand) as TreeEntry];
  const dir = findDir(commit, path);
  if (!dir) return undefined;
  const out: TreeEntry[] = [];
  const walk = (node: DirNode) => {
    for (const [name, isDir] of children(node)) {
      const sub = isDir ? node.dirs.get(name) : undefined;
      const f = isDir ? undefined : node.files.get(name);
      const entry: TreeEntry = sub ? { type: 'directory', oid: sub.oid, size: 0, path: sub.path } : fileEntry(f as RepoFile);
      if (expand) entry.lastCommit = lastCommitOf(repo, commit, entry.path);
      out.push(entry);
      if (sub && recursive) walk(sub);
    }
  };
  walk(dir);
  return out;
}
