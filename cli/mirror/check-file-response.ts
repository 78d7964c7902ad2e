import { DownloadError } from '../../src/errors/index.ts';
import { hubErrorFromResponse } from '../../src/hub/index.ts';

/**
 * What `fetchToFile` asks of a file's answer, as the browser download does (src/download/check-response.ts):
 * a typed HubError for a failed status, no HTML page instead of the file, a 206 that starts at
 * `offset` of a file of `size` bytes, a 200 whose Content-Length (when not compressed) is `size`.
 * Returns the byte the body starts at (0 when the server sent the whole file).
 */
export async function checkFileResponse(
  response: Response,
  path: string,
  size: number,
  offset: number,
  sentToken: boolean,
): Promise<number> {
  if (!response.ok) throw await hubErrorFromResponse(response, sentToken, path);
  const bad = (message: string): DownloadError => {
    void response.body?.cancel().catch(() => {});
    return new DownloadError('BAD_RESPONSE', `${path}: ${message}`, { details: { path, url: response.url, status: response.status } });
  };
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('text/html') && !/\.html?$/i.test(path)) throw bad('the server answered with an HTML page instead of the file');
  if (response.body === null) throw bad('the response has no body');
  if (response.status === 206) {
    const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('Content-Range') ?? '');
    if (match === null || Number(match[1]) !== offset || (match[3] !== '*' && Number(match[3]) !== size)) {
      throw bad(`the server sent range "${response.headers.get('Content-Range')}" for bytes=${offset}- of ${size}`);
    }
    return offset;
  }
  const length = response.headers.get('Content-Length');
  const encoded = (response.headers.get('Content-Encoding') ?? 'identity') !== 'identity';
  if (length !== null && !encoded && Number(length) !== size) throw bad(`the server announced ${length} bytes, the listing says ${size}`);
  return 0;
}
