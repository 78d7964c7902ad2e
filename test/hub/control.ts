import type { FaultRule } from './faults';
import { release } from './holds';
import { readBody, sendJson, type Exchange } from './http';
import type { FileSource, RepoDef, RepoInfo } from './repos';
import type { HubStats } from './stats';

/** What the control API drives. */
export interface ControlTarget {
  addRepo(def: RepoDef): RepoInfo;
  repoInfo(id: string): RepoInfo | undefined;
  addFault(rule: FaultRule): string;
  removeFault(id: string): boolean;
  stats(repo?: string): HubStats;
  reset(): void;
}

function fileFromJson(path: string, v: unknown): FileSource | null {
  if (v === null || typeof v === 'string') return v;
  if (v && typeof v === 'object') {
    const o = v as { base64?: unknown; synthetic?: { size?: unknown; seed?: unknown } };
    if (typeof o.base64 === 'string') return Buffer.from(o.base64, 'base64');
    if (o.synthetic && typeof o.synthetic === 'object')
      return { synthetic: { size: Number(o.synthetic.size), seed: Number(o.synthetic.seed) } };
  }
  throw new Error(`file ${path}: expected a string, {base64}, {synthetic:{size,seed}} or null`);
}

function repoDefFromJson(body: unknown): RepoDef {
  const def = body as RepoDef;
  if (!def || typeof def !== 'object' || !Array.isArray(def.commits)) throw new Error('expected a RepoDef with commits');
  return {
    ...def,
    commits: def.commits.map((c) => ({
      ...(c.message !== undefined ? { message: String(c.message) } : {}),
      files: Object.fromEntries(Object.entries(c.files ?? {}).map(([p, v]) => [p, fileFromJson(p, v)])),
    })),
  };
}

async function jsonBody(ex: Exchange): Promise<unknown> {
  const raw = (await readBody(ex.req)).toString('utf8');
  return raw ? JSON.parse(raw) : {};
}

/**
 * Answers the control API given the raw segments after /__hub/: POST repos, GET repos/{org}/{name},
 * POST faults, DELETE faults/{id}, POST release/{name} (bodies held by a `hold` fault go on), GET stats[?repo=org/name], POST reset.
 */
export async function handleControl(target: ControlTarget, ex: Exchange, segments: string[]): Promise<void> {
  const method = ex.req.method ?? 'GET';
  const [what, ...rest] = segments.map((s) => decodeURIComponent(s));
  try {
    if (what === 'repos' && method === 'POST' && rest.length === 0) {
      sendJson(ex, 200, target.addRepo(repoDefFromJson(await jsonBody(ex))));
    } else if (what === 'repos' && method === 'GET' && rest.length === 2) {
      const info = target.repoInfo(rest.join('/'));
      if (info) sendJson(ex, 200, info);
      else sendJson(ex, 404, { error: `no repo ${rest.join('/')}` });
    } else if (what === 'faults' && method === 'POST' && rest.length === 0) {
      sendJson(ex, 200, { id: target.addFault((await jsonBody(ex)) as FaultRule) });
    } else if (what === 'faults' && method === 'DELETE' && rest.length === 1) {
      sendJson(ex, 200, { removed: target.removeFault(rest[0] ?? '') });
    } else if (what === 'release' && method === 'POST' && rest.length === 1) {
      release(rest[0] ?? '');
      sendJson(ex, 200, { ok: true });
    } else if (what === 'stats' && method === 'GET') {
      sendJson(ex, 200, target.stats(ex.url.searchParams.get('repo') ?? undefined));
    } else if (what === 'reset' && method === 'POST') {
      target.reset();
      sendJson(ex, 200, { ok: true });
    } else {
      sendJson(ex, 404, { error: `no control route ${method} /__hub/${segments.join('/')}` });
    }
  } catch (e) {
    sendJson(ex, 400, { error: e instanceof Error ? e.message : String(e) });
  }
}
