import { createHash } from 'node:crypto';
import { checkAccess } from './access';
import { readBody, sendError, type Exchange } from './http';
import { resolveRevision, type Repo } from './repos';
import { sendFaultable, sendStatusFault } from './respond';
import { splitRevision, type RevisionMatch } from './revision';
import type { HubState } from './state';
import { redirectRenamed } from './renamed';
import { listTree, pathEntry, type TreeEntry } from './tree';

const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };

function reply(
  state: HubState,
  ex: Exchange,
  repoId: string,
  value: unknown,
  headers: Record<string, string> = {},
  api: 'info' | 'tree' | 'paths-info' | undefined = undefined,
): void {
  const fault = state.faults.take({
    origin: 'hub',
    method: ex.req.method ?? 'GET',
    repo: repoId,
    ...(api === undefined ? {} : { api }),
    servesBytes: false,
    hasBody: true,
    rangeRequested: false,
  });
  if (sendStatusFault(ex, fault)) return;
  sendFaultable(ex, fault, 200, JSON.stringify(value), { ...JSON_TYPE, ...headers });
}

function revisionOr404(ex: Exchange, repo: Repo, segments: string[], needPath: boolean): RevisionMatch | undefined {
  const match = splitRevision(repo, segments, needPath);
  if (!match) sendError(ex, 404, `Invalid rev id: ${decodeURIComponent(segments[0] ?? '')}`, 'RevisionNotFound');
  return match;
}

/** Model info, or with `expand` only those fields (plus `_id` and `id`), as the live Hub answers. */
function modelInfo(repo: Repo, m: RevisionMatch, blobs: boolean, expand: string[] = []): unknown {
  const info = fullModelInfo(repo, m, blobs) as Record<string, unknown>;
  if (expand.length === 0) return info;
  return Object.fromEntries(Object.entries(info).filter(([key]) => key === '_id' || key === 'id' || expand.includes(key)));
}

function fullModelInfo(repo: Repo, m: RevisionMatch, blobs: boolean): unknown {
  const [author] = repo.id.split('/');
  const info: Record<string, unknown> = {
    _id: createHash('sha1').update(repo.id).digest('hex').slice(0, 24),
    id: repo.id,
    modelId: repo.id,
    author,
    sha: m.commit.sha,
    private: repo.private,
    gated: repo.gated ? 'manual' : false,
    disabled: false,
    downloads: 0,
    likes: 0,
    lastModified: m.commit.date,
    createdAt: repo.commits[0]?.date,
    tags: [],
    ...(repo.pipelineTag ? { pipeline_tag: repo.pipelineTag } : {}),
    siblings: [...m.commit.files.values()].map((f) =>
      blobs
        ? {
            rfilename: f.path,
            size: f.size,
            blobId: f.oid,
            ...(f.pointer ? { lfs: { sha256: f.sha256, size: f.size, pointerSize: Buffer.byteLength(f.pointer) } } : {}),
          }
        : { rfilename: f.path },
    ),
    spaces: [],
  };
  return info;
}

function tree(state: HubState, ex: Exchange, repo: Repo, m: RevisionMatch): void {
  const q = ex.url.searchParams;
  const flag = (name: string) => ['true', '1'].includes(q.get(name) ?? '');
  const expand = flag('expand');
  const entries = listTree(repo, m.commit, m.path, flag('recursive'), expand);
  if (!entries) {
    sendError(ex, 404, `${m.path} does not exist on "${m.rev}"`, 'EntryNotFound', { 'X-Repo-Commit': m.commit.sha });
    return;
  }
  const quirks = repo.listing ?? {};
  if (quirks.duplicate !== undefined) {
    const twice = entries.find((entry) => entry.path === quirks.duplicate);
    if (twice) entries.push(twice);
  }
  let pageSize = quirks.pageSize ?? (expand ? Math.min(state.treePageSize, 50) : state.treePageSize);
  const limit = Number(q.get('limit'));
  if (q.has('limit') && Number.isInteger(limit) && limit > 0) pageSize = Math.min(pageSize, limit);
  let offset = 0;
  const cursor = q.get('cursor');
  if (cursor) {
    const m2 = /^offset:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!m2) {
      sendError(ex, 400, 'Invalid cursor');
      return;
    }
    offset = Number(m2[1]);
  }
  const page: TreeEntry[] = entries.slice(offset, offset + pageSize);
  const headers: Record<string, string> = {};
  if (offset + pageSize < entries.length) {
    const next = new URL(`http://${ex.req.headers.host ?? ex.url.host}${ex.url.pathname}`);
    for (const [k, v] of q) if (k !== 'cursor') next.searchParams.append(k, v);
    next.searchParams.set('cursor', Buffer.from(`offset:${offset + pageSize}`).toString('base64url'));
    const self = `http://${ex.req.headers.host ?? ex.url.host}${ex.url.pathname}${ex.url.search}`;
    headers['Link'] =
      quirks.link === 'self'
        ? `<${self}>; rel="next"`
        : quirks.link === 'relative'
          ? `<${next.pathname.split('/').pop()}${next.search}>; rel="next"`
          : quirks.link === 'spaceless'
            ? `<${next.toString()}>;rel=next`
            : `<${next.toString()}>; rel="next"`;
  }
  reply(state, ex, repo.id, page, headers, 'tree');
}

async function pathsInfo(state: HubState, ex: Exchange, repo: Repo, m: RevisionMatch): Promise<void> {
  const raw = (await readBody(ex.req, 16 * 1024 * 1024)).toString('utf8');
  let paths: string[] = [];
  let expand = false;
  if ((ex.req.headers['content-type'] ?? '').includes('json')) {
    const body = JSON.parse(raw || '{}') as { paths?: unknown; expand?: unknown };
    paths = Array.isArray(body.paths) ? body.paths.map(String) : [];
    expand = body.expand === true || body.expand === 'true';
  } else {
    const form = new URLSearchParams(raw);
    paths = form.getAll('paths');
    expand = form.get('expand') === 'true';
  }
  const out = paths.flatMap((p) => pathEntry(repo, m.commit, p.replace(/^\/+|\/+$/g, ''), expand) ?? []);
  reply(state, ex, repo.id, out, {}, 'paths-info');
}

function refs(repo: Repo): unknown {
  const list = (m: Map<string | number, { sha: string }>, prefix: string) =>
    [...m].map(([name, c]) => ({
      name: prefix === 'refs/pr/' ? `refs/pr/${name}` : String(name),
      ref: `${prefix}${name}`,
      targetCommit: c.sha,
    }));
  return {
    branches: list(repo.branches, 'refs/heads/'),
    tags: list(repo.tags, 'refs/tags/'),
    converts: [],
    pullRequests: list(repo.prs, 'refs/pr/'),
  };
}

/** Answers /api/models/{org}/{name}[/revision|tree|paths-info|refs/...] given the raw segments after /api/models/. */
export async function handleApi(state: HubState, ex: Exchange, segments: string[]): Promise<void> {
  const [org = '', name = '', kind, ...rest] = segments;
  const repoId = `${decodeURIComponent(org)}/${decodeURIComponent(name)}`;
  if (ex.record) ex.record.repo = repoId;
  const method = ex.req.method ?? 'GET';
  const expected = kind === 'paths-info' ? 'POST' : 'GET';
  if (method !== expected && !(expected === 'GET' && method === 'HEAD')) {
    sendError(ex, 405, `Method ${method} not allowed`);
    return;
  }
  if (redirectRenamed(state, ex, repoId)) return;
  const repo = checkAccess(ex, repoId, state.repos.get(repoId), false);
  if (!repo) return;
  if (kind === undefined || (kind === 'revision' && rest.length === 0)) {
    const commit = resolveRevision(repo, 'HEAD') ?? repo.commits.at(-1);
    if (commit === undefined) return sendError(ex, 404, `${repoId} has no commit`, 'RevisionNotFound');
    reply(state, ex, repoId, modelInfo(repo, { rev: 'HEAD', commit, path: '' }, ex.url.searchParams.get('blobs') === 'true'), {}, 'info');
    return;
  }
  if (kind === 'refs') {
    reply(state, ex, repoId, refs(repo));
    return;
  }
  if (kind !== 'revision' && kind !== 'tree' && kind !== 'paths-info') {
    sendError(ex, 404, "Sorry, we can't find the page you are looking for.");
    return;
  }
  const segs = rest.length ? rest : ['main'];
  const m = revisionOr404(ex, repo, segs, false);
  if (!m) return;
  if (kind === 'revision') {
    if (m.path) {
      sendError(ex, 404, `Invalid rev id: ${segs.map((s) => decodeURIComponent(s)).join('/')}`, 'RevisionNotFound');
      return;
    }
    const expand = [...ex.url.searchParams.getAll('expand'), ...ex.url.searchParams.getAll('expand[]')];
    reply(state, ex, repoId, modelInfo(repo, m, ex.url.searchParams.get('blobs') === 'true', expand), {}, 'info');
  } else if (kind === 'tree') tree(state, ex, repo, m);
  else await pathsInfo(state, ex, repo, m);
}
