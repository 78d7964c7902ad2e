import { DownloadError } from '../errors/index.ts';
import { hubErrorFromResponse } from '../hub/index.ts';
import type { FetchBlobTask } from './fetch-blob.ts';

/** Checks status, length and type; returns the byte offset the body starts at. */
export async function checkResponse(response: Response, task: FetchBlobTask, offset: number): Promise<number> {
  if (!response.ok) throw await hubErrorFromResponse(response, 'Authorization' in task.headers, task.path);
  const bad = (message: string): DownloadError =>
    new DownloadError('BAD_RESPONSE', `${task.path}: ${message}`, {
      details: { path: task.path, url: response.url, status: response.status },
    });
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('text/html') && !/\.html?$/i.test(task.path)) {
    void response.body?.cancel().catch(() => {});
    throw bad('the server answered with an HTML page instead of the file (a proxy or captive portal?)');
  }
  if (response.body === null) throw bad('the response has no body');
  if (response.status === 206) {
    const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('Content-Range') ?? '');
    if (match === null || Number(match[1]) !== offset || (match[3] !== '*' && Number(match[3]) !== task.size)) {
      void response.body.cancel().catch(() => {});
      throw bad(`the server sent range "${response.headers.get('Content-Range')}" for bytes=${offset}- of ${task.size}`);
    }
    return offset;
  }
  const length = response.headers.get('Content-Length');
  const encoded = (response.headers.get('Content-Encoding') ?? 'identity') !== 'identity';
  if (length !== null && !encoded && Number(length) !== task.size) {
    void response.body.cancel().catch(() => {});
    throw bad(`the server announced ${length} bytes, the Hub lists ${task.size}`);
  }
  return 0;
}
