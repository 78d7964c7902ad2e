import { DownloadError, HangarError, HubError, abortedBy, isAbort, isHangarError, toHangarError } from '../errors/index.ts';
import { authHeaders } from './auth-headers.ts';
import { hubErrorFromResponse } from './hub-error-from-response.ts';
import type { HubContext } from './types.ts';

const STALL_MS = 30_000;
const TIMEOUT_MS = 3_600_000;

/**
 * A `fetch` for Hub metadata (API answers, small files such as config.json): adds `Authorization`
 * by `authHeaders`' rule, follows the context's AbortSignal, and reads the whole
 * body before returning it, under the rules file bodies have: no byte for `stallMs` is STALLED,
 * no complete answer within `timeoutMs` is TIMEOUT (both retryable by the caller). Non-2xx answers,
 * network failures and API answers that are not JSON (a captive portal's page, a damaged body) are
 * typed HubErrors.
 */
export function createHubFetch(context: HubContext): typeof fetch {
  const stallMs = context.stallMs ?? STALL_MS;
  const timeoutMs = context.timeoutMs ?? TIMEOUT_MS;
  return async (input, init = {}) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers = new Headers(init.headers);
    headers.delete('Authorization');
    for (const [name, value] of Object.entries(authHeaders(context, url))) headers.set(name, value);
    const sendToken = headers.has('Authorization');

    const controller = new AbortController();
    const outer = init.signal ?? context.signal;
    const onAbort = (): void => controller.abort(outer?.reason);
    if (outer?.aborted) onAbort();
    outer?.addEventListener('abort', onAbort, { once: true });
    const started = Date.now();
    let lastByteAt = started;
    const details = { url: url.href };
    const watchdog = setInterval(
      () => {
        const now = Date.now();
        if (now - started >= timeoutMs) {
          controller.abort(new DownloadError('TIMEOUT', `${url.href}: no complete answer within ${timeoutMs} ms`, { details }));
        } else if (now - lastByteAt >= stallMs) {
          controller.abort(new DownloadError('STALLED', `${url.href}: no data for ${stallMs} ms`, { details }));
        }
      },
      Math.max(10, Math.min(1000, stallMs / 4)),
    );
    /** What the caller sees for a failure: the watchdog's or the caller's reason when aborted, else a network error. */
    const failure = (error: unknown): HangarError => {
      if (controller.signal.aborted) return abortedBy(controller.signal);
      if (isHangarError(error) || isAbort(error)) return toHangarError(error);
      return new HubError('NETWORK', `Could not reach ${url.origin}: ${(error as Error).message}`, { cause: error, details });
    };
    try {
      const response = await fetch(url, { ...init, headers, signal: controller.signal });
      lastByteAt = Date.now();
      if (!response.ok) throw await hubErrorFromResponse(response, sendToken);
      const type = response.headers.get('Content-Type') ?? '';
      if (url.pathname.startsWith('/api/') && !type.includes('json')) {
        void response.body?.cancel().catch(() => {});
        throw new HubError('HUB_BAD_RESPONSE', `Expected JSON from ${url.href}, got "${type || 'no content type'}"`, {
          details: { ...details, status: response.status },
        });
      }
      const body = await readAll(response, () => (lastByteAt = Date.now()));
      if (url.pathname.startsWith('/api/')) checkJson(body, url.href);
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    } catch (error) {
      throw failure(error);
    } finally {
      clearInterval(watchdog);
      outer?.removeEventListener('abort', onAbort);
    }
  };
}

/**
 * HUB_BAD_RESPONSE (retryable: a damaged answer may come right when fetched again) unless `body`
 * is JSON in valid UTF-8, as RFC 8259 requires: a byte damaged on the way mostly breaks one or the other.
 */
function checkJson(body: Uint8Array, url: string): void {
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch (error) {
    throw new HubError('HUB_BAD_RESPONSE', `The answer from ${url} is not valid JSON (${(error as Error).message})`, {
      cause: error,
      details: { url },
    });
  }
}

/** The whole body, calling `onBytes` as bytes arrive. */
async function readAll(response: Response, onBytes: () => void): Promise<Uint8Array<ArrayBuffer>> {
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    onBytes();
    chunks.push(value);
    length += value.byteLength;
  }
  const body = new Uint8Array(length);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}
