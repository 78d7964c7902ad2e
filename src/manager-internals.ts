import type { CacheApi } from './cache/index.ts';
import type { ResolvedConfig } from './config/index.ts';
import type { DownloadJob, DownloadOptions } from './download/index.ts';
import { ConfigError } from './errors/index.ts';
import type { Metrics } from './metrics/index.ts';
import type { ModelManager } from './model-manager.ts';
import type { CommitMetadata } from './plan/index.ts';
import type { HardwareProfile } from './probe/index.ts';
import type { Store } from './store/index.ts';
import { whileOpen } from './while-open.ts';

/** What the `hangar/runtime` and `hangar/transformers` entry points use of a manager; not public API. */
export interface ManagerInternals {
  readonly config: ResolvedConfig;
  /** Aborted by `close()`. */
  readonly closed: AbortSignal;
  readonly metrics: Metrics;
  readonly metadata: CommitMetadata;
  readonly cache: CacheApi;
  readonly openStore: () => Promise<Store>;
  readonly probe: () => Promise<HardwareProfile>;
  readonly download: (repo: string, options?: DownloadOptions) => DownloadJob;
}

const registry = new WeakMap<object, ManagerInternals>();

/** Makes `internals` reachable from `manager` for the other entry points. */
export function registerInternals(manager: ModelManager, internals: ManagerInternals): void {
  registry.set(manager, internals);
}

/** The internals of a manager made by `createModelManager`; ConfigError CONFIG_INVALID for anything else. */
export function internalsOf(manager: ModelManager): ManagerInternals {
  const internals = typeof manager === 'object' && manager !== null ? registry.get(manager) : undefined;
  if (internals === undefined) {
    throw new ConfigError('CONFIG_INVALID', 'manager: expected a model manager made by createModelManager', {
      details: { key: 'manager' },
    });
  }
  return internals;
}

/** Runs `work` with the manager's internals as one of its calls: rejected at once once it is closed, a closed-while-running rejection mapped the same way (see whileOpen). */
export async function withManager<R>(manager: ModelManager, work: (internals: ManagerInternals) => Promise<R>): Promise<R> {
  const internals = internalsOf(manager);
  return whileOpen(internals.closed, () => work(internals))();
}
