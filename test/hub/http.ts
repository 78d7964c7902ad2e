import { randomBytes } from 'node:crypto';
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { RequestRecord } from './stats';

/** One request being answered, with the headers every answer of its origin carries. */
export interface Exchange {
  req: IncomingMessage;
  res: ServerResponse;
  url: URL;
  origin: 'hub' | 'cdn';
  baseHeaders: OutgoingHttpHeaders;
  record?: RequestRecord;
  /** Called with the status when the head is written. */
  onStatus?: (status: number) => void;
  /** Errors as plain text (what `/resolve/` answers), not JSON (what the API answers). */
  textErrors?: boolean;
}

/** Headers exposed by the real Hub to browsers (Retry-After is not among them). */
export const HUB_EXPOSE_HEADERS =
  'X-Repo-Commit, X-Request-Id, X-Error-Code, X-Error-Message, X-Total-Count, ETag, Link, Accept-Ranges, Content-Range, X-Linked-Size, X-Linked-ETag, X-Xet-Hash';

/** CORS and misc headers of every hub response (no-store, so browser caches never hide requests from the stats). */
export function hubBaseHeaders(req: IncomingMessage): OutgoingHttpHeaders {
  return {
    'Access-Control-Allow-Origin': req.headers.origin ?? '*',
    Vary: 'Origin',
    'Access-Control-Expose-Headers': HUB_EXPOSE_HEADERS,
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Cache-Control': 'no-store',
    'X-Request-Id': `Root=1-${randomBytes(4).toString('hex')}-${randomBytes(12).toString('hex')}`,
  };
}

/** CORS headers of every CDN response (no-store, unlike the real CDN, so the stats see every request). */
export function cdnBaseHeaders(): OutgoingHttpHeaders {
  return {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Expose-Headers': '*',
    'Cross-Origin-Resource-Policy': 'cross-origin',
    'Cache-Control': 'no-store',
  };
}

/** Writes the response head (base headers first) and records the status. */
export function sendHead(ex: Exchange, status: number, headers: OutgoingHttpHeaders = {}): void {
  ex.res.writeHead(status, { ...ex.baseHeaders, ...headers });
  if (ex.record) ex.record.status = status;
  ex.onStatus?.(status);
}

/** Sends a whole small body (none for HEAD) with its Content-Length. */
export function sendBody(ex: Exchange, status: number, body: string | Buffer, headers: OutgoingHttpHeaders = {}): void {
  const buf = typeof body === 'string' ? Buffer.from(body) : body;
  sendHead(ex, status, { 'Content-Length': buf.length, ...headers });
  ex.res.end(ex.req.method === 'HEAD' ? undefined : buf);
}

/** Sends JSON. */
export function sendJson(ex: Exchange, status: number, value: unknown, headers: OutgoingHttpHeaders = {}): void {
  sendBody(ex, status, JSON.stringify(value), { 'Content-Type': 'application/json; charset=utf-8', ...headers });
}

/** Sends a Hub-style error: JSON {"error"} plus X-Error-Message and, when given, X-Error-Code. */
export function sendError(ex: Exchange, status: number, message: string, code?: string, headers: OutgoingHttpHeaders = {}): void {
  const errorHeaders = { 'X-Error-Message': message, ...(code ? { 'X-Error-Code': code } : {}), ...headers };
  if (ex.textErrors === true) sendBody(ex, status, message, { 'Content-Type': 'text/plain; charset=utf-8', ...errorHeaders });
  else sendJson(ex, status, { error: message }, errorHeaders);
}

/** A parsed Range header against a size: none (absent, invalid or multi-range), a range, or unsatisfiable. */
export type RangeRequest = { kind: 'none' } | { kind: 'range'; start: number; end: number } | { kind: 'unsatisfiable' };

/** Parses `bytes=a-b`, `bytes=a-` and `bytes=-n` (inclusive end, clamped to the size). */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  const m = header ? /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header) : null;
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'none' };
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'range', start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  if (m[2] !== '' && Number(m[2]) < start) return { kind: 'none' };
  if (start >= size) return { kind: 'unsatisfiable' };
  const last = m[2] === '' ? size - 1 : Number(m[2]);
  return { kind: 'range', start, end: Math.min(last, size - 1) };
}

const TYPES: Record<string, string> = {
  json: 'application/json; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  txt: 'text/plain; charset=utf-8',
  html: 'text/html; charset=utf-8',
  py: 'text/x-python; charset=utf-8',
  model: 'application/octet-stream',
  wav: 'audio/wav',
};

/** A Content-Type guess from the file extension. */
export function contentTypeFor(path: string): string {
  const ext = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  return TYPES[ext] ?? 'application/octet-stream';
}

/** Reads a request body (rejects beyond `limit` bytes). */
export async function readBody(req: IncomingMessage, limit = 512 * 1024 * 1024): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new Error('request body too large');
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/** The bearer token of a request, if any. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const m = /^\s*Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return m?.[1];
}
