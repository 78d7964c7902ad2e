import type { FileHash } from '../../hub/index.ts';
import { checkRepoId, checkRepoPath, checkRevision, isCommitSha } from '../../hub/index.ts';
import { blobKey } from '../../store/index.ts';
import { archiveError } from './archive-error.ts';

/** `manifest.json`, the first entry of an archive: which commit of which repo, and its snapshot (path -> content hash). */
export interface ArchiveManifest {
  format: 'hangar-archive';
  version: 1;
  /** ISO date the archive was made. */
  createdAt: string;
  /** 'org/name'. */
  repo: string;
  /** 40-hex commit. */
  commit: string;
  /** Branches and tags that pointed at `commit`, e.g. ['main']. */
  refs: string[];
  files: Array<{ path: string; size: number; hash: FileHash }>;
}

const HEX_LENGTH: Record<string, number> = { sha256: 64, 'git-sha1': 40 };

/**
 * Checks untrusted JSON against the manifest's rules and returns a clean copy (unknown keys dropped).
 * Throws StoreError ARCHIVE_INVALID: `bad-manifest`, `unsafe-path` for a file path that could escape
 * the snapshot, `oversized` for more than `maxFiles` files.
 */
export function parseArchiveManifest(value: unknown, maxFiles: number): ArchiveManifest {
  if (!isRecord(value)) throw bad('manifest.json is not a JSON object');
  if (value.format !== 'hangar-archive') throw bad(`format is ${JSON.stringify(value.format)}, expected "hangar-archive"`);
  if (value.version !== 1) throw bad(`unsupported version ${JSON.stringify(value.version)} (this Hangar reads version 1)`);
  const { createdAt, repo, commit, refs, files } = value;
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) throw bad('createdAt is not an ISO date');
  if (typeof repo !== 'string') throw bad('repo is not a string');
  try {
    checkRepoId(repo);
  } catch (error) {
    throw bad(`invalid repo id ${JSON.stringify(repo)}`, { repo }, error);
  }
  if (typeof commit !== 'string' || !isCommitSha(commit)) throw bad(`commit ${JSON.stringify(commit)} is not a 40-hex sha`);
  if (!Array.isArray(refs)) throw bad('refs is not an array');
  for (const ref of refs) {
    try {
      checkRevision(ref as string);
    } catch (error) {
      throw bad(`invalid ref ${JSON.stringify(ref)}`, {}, error);
    }
  }
  if (!Array.isArray(files)) throw bad('files is not an array');
  if (files.length > maxFiles) {
    throw archiveError('oversized', `the manifest lists ${files.length} files, more than the limit of ${maxFiles}`, {
      files: files.length,
      limit: maxFiles,
    });
  }

  const clean: ArchiveManifest['files'] = [];
  const paths = new Set<string>();
  const sizeByKey = new Map<string, number>();
  for (const [index, file] of (files as unknown[]).entries()) {
    if (!isRecord(file)) throw bad(`files[${index}] is not an object`);
    const { path, size, hash } = file;
    if (typeof path !== 'string') throw bad(`files[${index}].path is not a string`);
    try {
      checkRepoPath(path);
    } catch (error) {
      throw archiveError('unsafe-path', `unsafe file path ${JSON.stringify(path)} in the manifest`, { path }, error);
    }
    if (paths.has(path)) throw bad(`duplicate path ${JSON.stringify(path)}`, { path });
    paths.add(path);
    if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0)
      throw bad(`invalid size for ${JSON.stringify(path)}`, { path });
    if (!isRecord(hash) || typeof hash.algorithm !== 'string' || typeof hash.value !== 'string')
      throw bad(`invalid hash for ${JSON.stringify(path)}`, { path });
    const length = Object.hasOwn(HEX_LENGTH, hash.algorithm) ? HEX_LENGTH[hash.algorithm] : undefined;
    if (length === undefined) throw bad(`unknown hash algorithm ${JSON.stringify(hash.algorithm)} for ${JSON.stringify(path)}`, { path });
    if (hash.value.length !== length || !/^[0-9a-f]+$/.test(hash.value))
      throw bad(`malformed ${hash.algorithm} hash for ${JSON.stringify(path)}`, { path });
    const fileHash = { algorithm: hash.algorithm as FileHash['algorithm'], value: hash.value };
    const key = blobKey(fileHash);
    const known = sizeByKey.get(key);
    if (known !== undefined && known !== size) throw bad(`files with hash ${key} disagree on size (${known} and ${size})`, { path });
    sizeByKey.set(key, size);
    clean.push({ path, size, hash: fileHash });
  }
  for (const path of paths) {
    for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1)) {
      if (paths.has(path.slice(0, slash))) throw bad(`${JSON.stringify(path.slice(0, slash))} is both a file and a folder`, { path });
    }
  }
  return { format: 'hangar-archive', version: 1, createdAt, repo, commit, refs: [...(refs as string[])], files: clean };
}

function bad(message: string, details = {}, cause?: unknown) {
  return archiveError('bad-manifest', message, details, cause);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
