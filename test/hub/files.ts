import { createHash } from 'node:crypto';
import type { OutgoingHttpHeaders } from 'node:http';
import { checkAccess } from './access';
import { streamBody } from './body';
import { contentTypeFor, parseRange, sendBody, sendError, sendHead, type Exchange } from './http';
import type { RepoFile } from './repos';
import { sendFaultable, sendStatusFault } from './respond';
import { redirectRenamed } from './renamed';
import { splitRevision } from './revision';
import { cdnLocation, xetHash, type HubState } from './state';

/**
 * Serves a file's bytes (this origin serves them), with Range/206/416, HEAD, stats and faults.
 */
export function serveFile(state: HubState, ex: Exchange, repoId: string, file: RepoFile, headers: OutgoingHttpHeaders): void {
  const { req, res } = ex;
  const method = req.method ?? 'GET';
  const key = `${repoId}/${file.path}`;
  const fstats = state.stats.file(key);
  fstats.requests++;
  if (req.headers.range !== undefined) fstats.rangeRequests++;
  ex.onStatus = (status) => state.stats.file(key).statuses.push(status);
  const size = file.size;
  const asked = parseRange(req.headers.range, size);
  const fault = state.faults.take({
    origin: ex.origin,
    method,
    repo: repoId,
    path: file.path,
    servesBytes: true,
    hasBody: true,
    rangeRequested: asked.kind !== 'none',
    ...(asked.kind === 'range'
      ? { served: { start: asked.start, end: asked.end } }
      : asked.kind === 'none' && size > 0
        ? { served: { start: 0, end: size - 1 } }
        : {}),
  });
  if (sendStatusFault(ex, fault)) return;
  const range = fault?.type === 'ignore-range' ? { kind: 'none' as const } : asked;
  const common: OutgoingHttpHeaders = { 'Accept-Ranges': 'bytes', ...headers };
  if (range.kind === 'unsatisfiable') {
    sendBody(ex, 416, '', { ...common, 'Content-Range': `bytes */${size}` });
    return;
  }
  const start = range.kind === 'range' ? range.start : 0;
  const end = range.kind === 'range' ? range.end : size - 1;
  const length = end - start + 1;
  // As the live Hub: a whole small (git) file goes gzip-compressed and chunked, with no Content-Length, when the
  // client accepts gzip (browsers always do); Content-Encoding is not exposed cross-origin. Ranges get identity.
  const gzip =
    !file.lfs &&
    method === 'GET' &&
    range.kind === 'none' &&
    fault?.type !== 'wrong-length' &&
    /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  sendHead(ex, range.kind === 'range' ? 206 : 200, {
    'Content-Type': contentTypeFor(file.path),
    ...common,
    ...(gzip
      ? { 'Content-Encoding': 'gzip', Vary: 'Origin, Accept-Encoding' }
      : { 'Content-Length': fault?.type === 'wrong-length' ? fault.contentLength : length }),
    ...(range.kind === 'range' ? { 'Content-Range': `bytes ${start}-${end}/${size}` } : {}),
  });
  if (method === 'HEAD') {
    res.end();
    return;
  }
  void streamBody({
    res,
    chunks: file.content.chunks(start, end),
    fileOffset: start,
    gzip,
    ...(fault
      ? { fault }
      : state.link?.bytesPerSecond !== undefined
        ? { fault: { type: 'throttle' as const, bytesPerSecond: state.link.bytesPerSecond } }
        : {}),
    onBytes: (n) => {
      state.stats.file(key).bytes += n;
    },
    track: () => state.stats.streamStarted(key),
  });
}

function weakEtag(body: string): string {
  return `W/"${Buffer.byteLength(body).toString(16)}-${createHash('sha1').update(body).digest('base64').slice(0, 27)}"`;
}

/** Answers /api/resolve-cache/models/{org}/{name}/{commit}/{path}: a small file's bytes, where its resolve URL redirects. */
export function handleResolveCache(state: HubState, ex: Exchange, segments: string[]): void {
  const [org = '', name = '', sha = '', ...rest] = segments;
  const repoId = `${decodeURIComponent(org)}/${decodeURIComponent(name)}`;
  if (ex.record) ex.record.repo = repoId;
  ex.textErrors = true;
  const repo = checkAccess(ex, repoId, state.repos.get(repoId), true);
  if (!repo) return;
  const commit = repo.commits.find((candidate) => candidate.sha === sha);
  const path = rest.map((segment) => decodeURIComponent(segment)).join('/');
  const file = commit?.files.get(path);
  if (commit === undefined || file === undefined || file.lfs) {
    sendError(ex, 404, 'Entry not found', 'EntryNotFound');
    return;
  }
  if (ex.record) ex.record.path = path;
  serveFile(state, ex, repoId, file, { 'X-Repo-Commit': commit.sha, ETag: `"${file.oid}"` });
}

/** Answers /{org}/{name}/resolve|raw/{rev}/{path} given the raw segments after the org. */
export function handleResolve(state: HubState, ex: Exchange, segments: string[]): void {
  const [org = '', name = '', kind, ...rest] = segments;
  const repoId = `${decodeURIComponent(org)}/${decodeURIComponent(name)}`;
  const method = ex.req.method ?? 'GET';
  if (ex.record) ex.record.repo = repoId;
  ex.textErrors = true;
  if (method !== 'GET' && method !== 'HEAD') {
    sendError(ex, 405, `Method ${method} not allowed`);
    return;
  }
  if (redirectRenamed(state, ex, repoId)) return;
  const repo = checkAccess(ex, repoId, state.repos.get(repoId), true);
  if (!repo) return;
  const m = splitRevision(repo, rest, true);
  if (!m) {
    sendError(ex, 404, `Invalid rev id: ${decodeURIComponent(rest[0] ?? '')}`, 'RevisionNotFound');
    return;
  }
  if (ex.record) ex.record.path = m.path;
  const file = m.commit.files.get(m.path);
  if (!file) {
    sendError(ex, 404, `Entry not found`, 'EntryNotFound', { 'X-Repo-Commit': m.commit.sha });
    return;
  }
  const commitHeader = { 'X-Repo-Commit': m.commit.sha };
  // A fault on the hub origin for an answer that carries no file bytes (LFS pointer, CDN redirect).
  const takeHubFault = (rangeRequested: boolean) =>
    state.faults.take({ origin: 'hub', method, repo: repoId, path: file.path, servesBytes: false, hasBody: true, rangeRequested });
  if (kind === 'raw' && file.pointer) {
    // the git blob of an LFS file is its pointer
    const fault = takeHubFault(false);
    if (sendStatusFault(ex, fault)) return;
    sendFaultable(ex, fault, 200, file.pointer, { ...commitHeader, ETag: `"${file.oid}"`, 'Content-Type': 'text/plain; charset=utf-8' });
    return;
  }
  if (!file.lfs) {
    // The live Hub sends small (git) files through a relative 307 to its resolve cache.
    const encoded = file.path.split('/').map(encodeURIComponent).join('/');
    const location = `/api/resolve-cache/models/${repoId}/${m.commit.sha}/${encoded}?etag=${encodeURIComponent(`"${file.oid}"`)}`;
    sendBody(ex, 307, `Temporary Redirect. Redirecting to ${location}`, {
      ...commitHeader,
      Location: location,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    });
    return;
  }
  const fault = takeHubFault(ex.req.headers.range !== undefined);
  if (sendStatusFault(ex, fault)) return;
  const location = cdnLocation(state, repoId, file);
  const body = `Found. Redirecting to ${location}`;
  const hash = xetHash(file);
  const hub = `${ex.url.protocol}//${ex.url.host}`;
  sendFaultable(ex, fault, 302, body, {
    ...commitHeader,
    Location: location,
    'X-Linked-Etag': `"${file.sha256}"`,
    'X-Linked-Size': String(file.size),
    'X-Xet-Hash': hash,
    Link: `<${hub}/api/models/${repoId}/xet-read-token/${commitHeader['X-Repo-Commit']}>; rel="xet-auth", <${state.cdnUrl}/v1/reconstructions/${hash}>; rel="xet-reconstruction-info"`,
    ETag: weakEtag(body),
    'Accept-Ranges': 'bytes',
    'Content-Type': 'text/plain; charset=utf-8',
  });
}

const ACCESS_DENIED = '<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access denied</Message></Error>';

/**
 * Answers a CDN request, `GET|HEAD /xet-bridge-us/{xet hash}?Expires&Policy&Signature&Key-Pair-Id`,
 * like the live xet bridge: 403 without a signature it issued or once expired, the Xet hash (not
 * the sha256) as ETag, Range/206.
 */
export function handleCdn(state: HubState, ex: Exchange): void {
  const method = ex.req.method ?? 'GET';
  const hash = /^\/xet-bridge-us\/([0-9a-f]{64})$/.exec(ex.url.pathname)?.[1];
  const ref = state.signed.get(ex.url.searchParams.get('Signature') ?? '');
  if (hash === undefined || ref === undefined || xetHash(ref.file) !== hash || Date.now() > ref.expires) {
    sendBody(ex, 403, ACCESS_DENIED, { 'Content-Type': 'application/xml' });
    return;
  }
  if (method !== 'GET' && method !== 'HEAD') {
    sendBody(ex, 405, '', {});
    return;
  }
  if (ex.record) {
    ex.record.repo = ref.repo;
    ex.record.path = ref.file.path;
  }
  serveFile(state, ex, ref.repo, ref.file, {
    ETag: `"${hash}"`,
    'Content-Type': 'application/octet-stream',
    'Last-Modified': new Date(Date.UTC(2024, 0, 1)).toUTCString(),
    'X-Cache': 'Hit from cloudfront',
    Via: '1.1 fakehub.cloudfront.net (CloudFront)',
  });
}
