import { internalsOf } from '../manager-internals.ts';
import type { ModelManager } from '../model-manager.ts';
import { withRetry } from '../util/index.ts';
import {
  configureTransformers as pointTransformersAt,
  type ConfigureTransformersOptions,
  type TransformersEnv,
} from './configure-transformers.ts';
import { createTransformersCache, type TransformersCache, type TransformersCacheOptions } from './transformers-cache.ts';

/** An `env.customCache` for transformers.js: model files come from `manager`'s store, and missing ones are downloaded through it first. */
export function transformersCache(manager: ModelManager, options: TransformersCacheOptions = {}): TransformersCache {
  const { config, cache, metadata, openStore, download } = internalsOf(manager);
  const { retries, retryDelay, retryAfterMax } = config.download;
  return createTransformersCache(
    {
      endpoint: config.endpoint,
      file: (repo, path, fileOptions) => cache.file(repo, path, fileOptions),
      load: (repo, loadOptions) => cache.load(repo, loadOptions),
      download,
      localCommit: async (repo, revision) => (await openStore()).localCommit(repo, revision),
      resolveCommit: (repo, revision, signal) =>
        withRetry(() => metadata.commit(repo, revision, signal), { retries, baseDelay: retryDelay, retryAfterMax, signal }),
      setRef: async (repo, revision, commit) => (await openStore()).setRef(repo, revision, commit),
    },
    options,
  );
}

/**
 * Sets transformers.js's `env` to load every model file through `transformersCache(manager)` and
 * ONNX Runtime's wasm from this origin (see ConfigureTransformersOptions): no CDN, cached models
 * offline. Returns the cache.
 */
export function configureTransformers(
  manager: ModelManager,
  env: TransformersEnv,
  options: TransformersCacheOptions & ConfigureTransformersOptions = {},
): TransformersCache {
  const cache = transformersCache(manager, options);
  pointTransformersAt(env, cache, options.remoteHost ?? manager.config.endpoint, options);
  return cache;
}
