import { listFiles } from '@huggingface/hub';
import { HubError } from '../errors/index.ts';
import { checkRepoId, checkRepoPath, isCommitSha } from './check-names.ts';
import { createHubFetch } from './create-hub-fetch.ts';
import type { HubContext, RepoFile } from './types.ts';

const HEX = { sha256: /^[0-9a-f]{64}$/, 'git-sha1': /^[0-9a-f]{40}$/ };

/**
 * Lists every file of `repo` at `commit` with its size and hash (SHA-256 for LFS files, git blob
 * SHA-1 otherwise). Unsafe paths (traversal, absolute) throw HubError UNSAFE_PATH.
 */
export async function listRepoFiles(context: HubContext, repo: string, commit: string): Promise<RepoFile[]> {
  checkRepoId(repo);
  if (!isCommitSha(commit)) throw new HubError('REVISION_NOT_FOUND', `Expected a commit sha, got ${JSON.stringify(commit)}`);
  const files: RepoFile[] = [];
  for await (const entry of listFiles({
    repo,
    revision: commit,
    recursive: true,
    hubUrl: context.endpoint,
    fetch: createHubFetch(context),
  })) {
    if (entry.type !== 'file') continue;
    checkRepoPath(entry.path);
    const lfs = entry.lfs !== undefined;
    const file: RepoFile = {
      path: entry.path,
      size: lfs ? entry.lfs!.size : entry.size,
      hash: lfs ? { algorithm: 'sha256', value: entry.lfs!.oid } : { algorithm: 'git-sha1', value: entry.oid ?? '' },
      lfs,
    };
    if (!HEX[file.hash.algorithm].test(file.hash.value) || !Number.isSafeInteger(file.size) || file.size < 0) {
      throw new HubError('HUB_BAD_RESPONSE', `The Hub listed ${entry.path} without a usable hash or size`, {
        details: { repo, path: entry.path },
      });
    }
    files.push(file);
  }
  return files;
}
