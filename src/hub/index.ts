export type { HashAlgorithm, FileHash, RepoFile, HubContext } from './types.ts';
export { checkRepoId, checkRevision, checkRepoPath, isCommitSha } from './check-names.ts';
export { resolveUrl } from './resolve-url.ts';
export { authHeaders } from './auth-headers.ts';
export { createHubFetch } from './create-hub-fetch.ts';
export { hubContext } from './hub-context.ts';
export { hubErrorFromResponse } from './hub-error-from-response.ts';
export { resolveRevision } from './resolve-revision.ts';
export { listRepoFiles } from './list-repo-files.ts';
