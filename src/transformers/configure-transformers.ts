import type { TransformersCache } from './transformers-cache.ts';

/** The part of transformers.js's `env` that `configureTransformers` sets. */
export interface TransformersEnv {
  useCustomCache: boolean;
  customCache: unknown;
  useBrowserCache: boolean;
  allowRemoteModels: boolean;
  allowLocalModels: boolean;
  remoteHost: string;
  backends: { onnx: { wasm?: { wasmPaths?: unknown } } };
}

/** Options of `configureTransformers()`. */
export interface ConfigureTransformersOptions {
  /**
   * Where transformers.js's own onnxruntime-web files (`ort-wasm-simd-threaded.asyncify.{mjs,wasm}`)
   * are served. Default `'/ort-transformers/'` on the page's origin (Hangar's vite config serves and bundles them).
   */
  wasmPaths?: string;
}

/**
 * Points transformers.js at Hangar: every model file is read through `cache` (downloaded by
 * Hangar's engine when missing, never by transformers.js), its browser Cache API copy is off, and
 * ONNX Runtime's wasm comes from this origin, so nothing reaches a CDN and cached models load offline.
 */
export function configureTransformers(
  env: TransformersEnv,
  cache: TransformersCache,
  remoteHost: string,
  options: ConfigureTransformersOptions = {},
): void {
  Object.assign(env, {
    useCustomCache: true,
    customCache: cache,
    useBrowserCache: false,
    allowRemoteModels: true,
    allowLocalModels: false,
    // The host the cache answers for: transformers.js builds its keys from it.
    remoteHost: remoteHost.endsWith('/') ? remoteHost : `${remoteHost}/`,
  });
  const wasm = (env.backends.onnx.wasm ??= {});
  wasm.wasmPaths = new URL(options.wasmPaths ?? '/ort-transformers/', globalThis.location?.href).href;
}
