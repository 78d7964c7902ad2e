import { bearerToken, sendError, type Exchange } from './http';
import type { Repo } from './repos';

/**
 * Checks the request's token against a repo like the Hub does; on refusal sends the error and
 * returns undefined. `files` adds the gated check (resolve), metadata of gated repos being public.
 */
export function checkAccess(ex: Exchange, repoId: string, repo: Repo | undefined, files: boolean): Repo | undefined {
  const header = ex.req.headers.authorization;
  const token = bearerToken(ex.req);
  if (header !== undefined && !token?.startsWith('hf_')) {
    sendError(ex, 401, 'Invalid credentials in Authorization header');
    return undefined;
  }
  const allowed = !!token && !!repo?.tokens.has(token);
  if (!repo || (repo.private && !token)) {
    if (token) sendError(ex, 404, 'Repository not found', 'RepoNotFound');
    else sendError(ex, 401, 'Invalid username or password.');
    return undefined;
  }
  if (repo.private && !allowed) {
    sendError(ex, 403, `You don't have access to the private repository ${repoId}.`);
    return undefined;
  }
  if (files && repo.gated && !allowed) {
    if (!token) {
      sendError(
        ex,
        401,
        `Access to model ${repoId} is restricted. You must have access to it and be authenticated to access it. Please log in.`,
        'GatedRepo',
      );
    } else {
      sendError(
        ex,
        403,
        `Access to model ${repoId} is restricted and you are not in the authorized list. Visit https://huggingface.co/${repoId} to ask for access.`,
        'GatedRepo',
      );
    }
    return undefined;
  }
  return repo;
}
