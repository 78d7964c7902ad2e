import { STATUS_CODES, type OutgoingHttpHeaders } from 'node:http';
import { streamBody } from './body';
import type { Fault } from './faults';
import { HUB_EXPOSE_HEADERS, sendBody, sendError, sendHead, sendJson, type Exchange } from './http';

/** The captive-portal page of the `html` fault. */
export const GATEWAY_LOGIN_HTML =
  '<!DOCTYPE html><html><head><title>Network gateway login</title></head><body><h1>Gateway login required</h1><form method="post" action="/login"><input name="user"><input name="password" type="password"><button>Sign in</button></form></body></html>\n';

/** Answers a `status` or `html` fault (true), or does nothing for the other kinds (false). */
export function sendStatusFault(ex: Exchange, fault: Fault | undefined): boolean {
  if (fault?.type === 'html') {
    sendBody(ex, 200, GATEWAY_LOGIN_HTML, { 'Content-Type': 'text/html; charset=utf-8' });
    return true;
  }
  if (fault?.type !== 'status') return false;
  const headers: OutgoingHttpHeaders = {};
  if (fault.retryAfter !== undefined) headers['Retry-After'] = String(fault.retryAfter);
  if (fault.exposeRetryAfter === true) headers['Access-Control-Expose-Headers'] = `${HUB_EXPOSE_HEADERS}, Retry-After`;
  if (fault.status === 429) {
    const t = fault.retryAfter ?? 300;
    headers['RateLimit'] = `"resolvers";r=0;t=${t}`;
    headers['RateLimit-Policy'] = `"fixed window";"resolvers";q=3000;w=300`;
  }
  const message =
    fault.status === 429 ? 'We had to rate limit you. Please retry later.' : `${STATUS_CODES[fault.status] ?? 'Error'} (injected)`;
  if (ex.origin === 'hub') sendError(ex, fault.status, message, undefined, headers);
  else sendJson(ex, fault.status, { error: message }, headers);
  return true;
}

/** Sends a small body through the body faults (status/html faults must be handled before). */
export function sendFaultable(
  ex: Exchange,
  fault: Fault | undefined,
  status: number,
  body: string | Buffer,
  headers: OutgoingHttpHeaders,
): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  if (!fault || ex.req.method !== 'GET') {
    sendBody(ex, status, buf, headers);
    return;
  }
  const length = fault.type === 'wrong-length' ? fault.contentLength : buf.length;
  sendHead(ex, status, { ...headers, 'Content-Length': length });
  void streamBody({ res: ex.res, chunks: [buf], fileOffset: 0, fault });
}
