import { HubError, type HubErrorCode } from '../errors/index.ts';
import { parseRetryAfter } from '../util/index.ts';

const BY_HUB_CODE: Record<string, HubErrorCode> = {
  RepoNotFound: 'REPO_NOT_FOUND',
  RevisionNotFound: 'REVISION_NOT_FOUND',
  EntryNotFound: 'ENTRY_NOT_FOUND',
  GatedRepo: 'GATED_REPO',
};

/** Maps a failed Hub response (status, `X-Error-Code`, body) to a typed HubError; `path` names the file asked for. */
export async function hubErrorFromResponse(response: Response, sentToken: boolean, path?: string): Promise<HubError> {
  const hubCode = response.headers.get('X-Error-Code') ?? '';
  let message = response.headers.get('X-Error-Message') ?? '';
  if (!message) {
    const text = await response.text().catch(() => '');
    try {
      const body = JSON.parse(text) as { error?: unknown };
      if (typeof body.error === 'string') message = body.error;
    } catch {
      // Not JSON: keep the status line.
    }
  }
  const { status } = response;
  const retryAfterMs = parseRetryAfter(response.headers.get('Retry-After'));
  const details = { status, url: response.url, hubCode: hubCode || undefined, retryAfterMs, path };
  let code: HubErrorCode = BY_HUB_CODE[hubCode] ?? 'HUB_BAD_RESPONSE';
  let text = message || `HTTP ${status}`;
  if (BY_HUB_CODE[hubCode] === undefined) {
    if (status === 401) {
      code = sentToken ? 'AUTH_FORBIDDEN' : 'AUTH_REQUIRED';
      text = sentToken ? `The access token was rejected (${text})` : `Repository not found, or private: it needs an access token (${text})`;
    } else if (status === 403) {
      code = 'AUTH_FORBIDDEN';
      text = `Access denied${sentToken ? ' for this token' : ''} (${text})`;
    } else if (status === 404) code = 'ENTRY_NOT_FOUND';
    else if (status === 429) code = 'RATE_LIMITED';
    else if (status === 408 || status >= 500) code = 'HUB_UNAVAILABLE';
  } else if (code === 'GATED_REPO') {
    text = `Gated repository: ${sentToken ? 'this token has no access' : 'an access token with granted access is needed'} (${text})`;
  }
  return new HubError(code, path === undefined ? text : `${path}: ${text}`, { details });
}
