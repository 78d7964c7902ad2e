import { modelInfo } from '@huggingface/hub';
import { HubError } from '../errors/index.ts';
import { checkRepoId, checkRevision, isCommitSha } from './check-names.ts';
import { createHubFetch } from './create-hub-fetch.ts';
import type { HubContext } from './types.ts';

/** Resolves a branch, tag or PR ref (`refs/pr/1`) to its commit sha; a full commit sha is returned as is. */
export async function resolveRevision(context: HubContext, repo: string, revision = 'main'): Promise<string> {
  checkRepoId(repo);
  checkRevision(revision);
  if (isCommitSha(revision)) return revision;
  const info = await modelInfo({
    name: repo,
    revision,
    hubUrl: context.endpoint,
    additionalFields: ['sha'],
    fetch: createHubFetch(context),
  });
  if (typeof info.sha !== 'string' || !isCommitSha(info.sha)) {
    throw new HubError('HUB_BAD_RESPONSE', `The Hub gave no commit for ${repo}@${revision}`, { details: { repo, revision } });
  }
  return info.sha;
}
