import type { HubStats } from '../hub/stats.ts';

/** Browser-side client of the fake Hub's control API (`/__hub/*`), for tests and benchmarks. */
export interface HubControl {
  url: string;
  addRepo(def: unknown): Promise<RepoInfo>;
  addFault(rule: unknown): Promise<string>;
  removeFault(id: string): Promise<void>;
  /** Lets bodies held by `hold` faults named `name` go on (and later ones through). */
  release(name: string): Promise<void>;
  /** Counters since start or reset; with `repo`, only those about it (safe beside tests of other repos). */
  stats(repo?: string): Promise<HubStats>;
  reset(): Promise<void>;
}

export interface RepoInfo {
  id: string;
  commits: Array<{ sha: string; files: Array<{ path: string; size: number; sha256?: string; gitSha1: string; lfs: boolean }> }>;
  branches: Record<string, string>;
}

// The fake Hub's own types (type-only: nothing of the node-side server reaches the browser).
export type { FileStats, HubStats } from '../hub/stats.ts';

/** A control client for the fake Hub at `url`. */
export function hubControl(url: string): HubControl {
  const call = async <T>(path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<T> => {
    const response = await fetch(`${url}/__hub/${path}`, {
      method,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`fake hub ${path}: ${response.status} ${await response.text()}`);
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    url,
    addRepo: (def) => call<RepoInfo>('repos', def),
    addFault: async (rule) => (await call<{ id: string }>('faults', rule)).id,
    removeFault: (id) => call<void>(`faults/${encodeURIComponent(id)}`, undefined, 'DELETE'),
    release: (name) => call<void>(`release/${encodeURIComponent(name)}`, {}),
    stats: (repo) => call<HubStats>(repo === undefined ? 'stats' : `stats?repo=${encodeURIComponent(repo)}`),
    reset: () => call<void>('reset', {}),
  };
}
