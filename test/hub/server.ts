import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { handleApi } from './api';
import { handleControl, type ControlTarget } from './control';
import type { FaultRule } from './faults';
import { handleCdn, handleResolve, handleResolveCache } from './files';
import type { Link } from './state';
import { builtinFixtures } from './fixtures';
import { cdnBaseHeaders, hubBaseHeaders, sendError, sendHead, type Exchange } from './http';
import { buildRepo, repoInfo, type RepoDef, type RepoInfo } from './repos';
import { createState, registerRepo, type HubState } from './state';
import type { HubStats } from './stats';

/** A running fake Hugging Face Hub (hub origin + CDN origin). */
export interface FakeHub {
  /** Hub origin, e.g. http://127.0.0.1:41234 */
  url: string;
  /** CDN origin (another port) serving LFS blobs. */
  cdnUrl: string;
  /** Adds or replaces a repo (also POST /__hub/repos). */
  addRepo(def: RepoDef): RepoInfo;
  /** Adds a fault rule, returns its id (also POST /__hub/faults). */
  addFault(rule: FaultRule): string;
  /** Removes a fault rule (also DELETE /__hub/faults/{id}). */
  removeFault(id: string): boolean;
  /** Counters since start or reset, optionally only those about one repo (also GET /__hub/stats[?repo=]). */
  stats(repo?: string): HubStats;
  /** Clears faults and stats, keeps repos (also POST /__hub/reset). */
  reset(): void;
  /** Puts every later request behind an emulated slow link (undefined: loopback speed again). For benchmarks. */
  setLink(link: Link | undefined): void;
  close(): Promise<void>;
}

/** Options of startFakeHub. */
export interface FakeHubOptions {
  /** Hub port (0 = random, the default). */
  port?: number;
  /** CDN port (0 = random, the default). */
  cdnPort?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Tree page size (default 1000; at most 50 with expand=true). */
  treePageSize?: number;
  /** Load the built-in fixture repos (default true). */
  fixtures?: boolean;
}

/** The repository root (where node_modules lives). */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function shut(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

function exchange(state: HubState, req: IncomingMessage, res: ServerResponse, origin: 'hub' | 'cdn', record: boolean): Exchange {
  const host = req.headers.host ?? 'localhost';
  const url = new URL(req.url ?? '/', `http://${host}`);
  const ex: Exchange = { req, res, url, origin, baseHeaders: origin === 'hub' ? hubBaseHeaders(req) : cdnBaseHeaders() };
  if (record) {
    ex.record = state.stats.request({
      origin,
      method: req.method ?? 'GET',
      url: url.toString(),
      ...(req.headers.range !== undefined ? { range: req.headers.range } : {}),
      ...(req.headers.authorization !== undefined ? { authorization: req.headers.authorization } : {}),
      status: 0,
    });
  }
  return ex;
}

function fail(ex: Exchange, e: unknown): void {
  if (ex.res.headersSent) {
    ex.res.destroy();
    return;
  }
  const message = e instanceof URIError ? 'Malformed URL' : e instanceof Error ? e.message : String(e);
  sendError(ex, e instanceof URIError ? 400 : 500, message);
}

async function hubRequest(state: HubState, control: ControlTarget, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const pathname = (req.url ?? '/').split('?')[0] ?? '/';
  const segments = pathname.slice(1).split('/');
  const isControl = segments[0] === '__hub';
  const ex = exchange(state, req, res, 'hub', !isControl);
  try {
    if (req.method === 'OPTIONS') {
      sendHead(ex, 204, {
        'Access-Control-Allow-Methods': 'GET, HEAD, POST, DELETE, OPTIONS',
        'Access-Control-Allow-Headers': 'authorization, range, content-type, accept',
        'Access-Control-Max-Age': '86400',
        'Content-Length': 0,
      });
      res.end();
    } else if (isControl) {
      await handleControl(control, ex, segments.slice(1));
    } else if (segments[0] === 'api' && segments[1] === 'resolve-cache' && segments[2] === 'models' && segments.length >= 7) {
      handleResolveCache(state, ex, segments.slice(3));
    } else if (segments[0] === 'api' && segments[1] === 'models' && segments.length >= 4) {
      await handleApi(state, ex, segments.slice(2));
    } else if (segments.length >= 5 && (segments[2] === 'resolve' || segments[2] === 'raw')) {
      handleResolve(state, ex, segments);
    } else {
      sendError(ex, 404, "Sorry, we can't find the page you are looking for.");
    }
  } catch (e) {
    fail(ex, e);
  }
}

function cdnRequest(state: HubState, req: IncomingMessage, res: ServerResponse): void {
  const ex = exchange(state, req, res, 'cdn', true);
  try {
    if (req.method === 'OPTIONS') {
      sendHead(ex, 204, {
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
        'Access-Control-Max-Age': '86400',
        'Content-Length': 0,
      });
      res.end();
    } else handleCdn(state, ex);
  } catch (e) {
    fail(ex, e);
  }
}

/** Starts the fake hub and its CDN on 127.0.0.1 (random ports by default). */
export async function startFakeHub(opts: FakeHubOptions = {}): Promise<FakeHub> {
  const host = opts.host ?? '127.0.0.1';
  const state = createState(opts.treePageSize ?? 1000, join(REPO_ROOT, 'node_modules/.cache/hangar-fake-hub'));
  const hub: FakeHub = {
    url: '',
    cdnUrl: '',
    addRepo(def) {
      const repo = buildRepo(def, state.cacheDir);
      registerRepo(state, repo);
      return repoInfo(repo);
    },
    addFault: (rule) => state.faults.add(rule),
    removeFault: (id) => state.faults.remove(id),
    stats: (repo) => state.stats.snapshot(repo),
    reset() {
      state.faults.clear();
      state.stats.reset();
    },
    setLink(link) {
      state.link = link;
    },
    close: () => Promise.all([shut(hubServer), shut(cdnServer)]).then(() => undefined),
  };
  const control: ControlTarget = {
    ...hub,
    repoInfo: (id) => {
      const repo = state.repos.get(id);
      return repo ? repoInfo(repo) : undefined;
    },
  };
  // The link's latency comes before each answer, on both origins.
  const delayed = (handle: () => unknown): void => {
    if (state.link === undefined) void handle();
    else setTimeout(() => void handle(), state.link.latencyMs);
  };
  const hubServer = createServer((req, res) => delayed(() => hubRequest(state, control, req, res)));
  const cdnServer = createServer((req, res) => delayed(() => cdnRequest(state, req, res)));
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const cdnPort = await listen(cdnServer, opts.cdnPort ?? 0, host);
  state.cdnUrl = hub.cdnUrl = `http://${urlHost}:${cdnPort}`;
  try {
    hub.url = `http://${urlHost}:${await listen(hubServer, opts.port ?? 0, host)}`;
    if (opts.fixtures !== false) for (const def of builtinFixtures(REPO_ROOT)) hub.addRepo(def);
  } catch (e) {
    await hub.close();
    throw e;
  }
  return hub;
}
