import { ConfigError } from '../errors/index.ts';
import { parseDuration } from './parse-duration.ts';
import { parseSize } from './parse-size.ts';

/** A byte size: bytes as a number, or a string such as `'10GB'` / `'512MiB'`. */
export type Size = number | string;
/** A duration: milliseconds as a number, or a string such as `'30d'`, `'1h'`, `'90s'`. */
export type Duration = number | string;

/** Options of `createModelManager`; every field is optional and documented with its default. */
export interface HangarOptions {
  /**
   * Hub or mirror base URL.
   * @default 'https://huggingface.co'
   */
  endpoint?: string;
  /** Hub token (`hf_...`), sent only to `endpoint`'s origin, never to the CDN it redirects to. */
  accessToken?: string;
  /**
   * Name of the local store (OPFS folder and IndexedDB database).
   * @default 'hangar'
   */
  storeName?: string;
  /**
   * Clock for last use and retention, in ms since the epoch (tests inject one).
   * @default Date.now
   */
  now?: () => number;
  cache?: {
    /**
     * Size cap of the cache.
     * @default '10GB'
     */
    maxSize?: Size;
    /**
     * Models unused for longer than this are evicted.
     * @default '30d'
     */
    retention?: Duration;
    /**
     * Where blob bytes live (OPFS where sync access handles exist, else IndexedDB).
     * @default 'auto'
     */
    backend?: 'auto' | 'opfs' | 'indexeddb';
    /**
     * Run `clean()` with maxSize and retention at start-up and after each download.
     * @default true
     */
    autoClean?: boolean;
    /**
     * Share LFS files with other sites through the browser's Cross-Origin Storage
     * (`navigator.crossOriginStorage`, where it exists): ask it for a file by its SHA-256 before
     * fetching (a copy that does not hash right is ignored), offer each verified download to it.
     * `'off'` never calls it.
     * @default 'auto'
     */
    crossOrigin?: 'auto' | 'off';
  };
  download?: {
    /**
     * Files downloaded at once.
     * @default 2
     */
    concurrent?: number;
    /**
     * Wall-clock limit for one file, from its first request to its last byte, waits between retries included (a pause stops the clock).
     * @default '1h'
     */
    timeout?: Duration;
    /**
     * Retries per file after the first try, on 408/429/5xx, network errors, stalls and bad bytes.
     * @default 3
     */
    retries?: number;
    /**
     * First backoff delay; doubles each retry (with jitter), capped at 30 s; a Retry-After header wins.
     * @default '1s'
     */
    retryDelay?: Duration;
    /**
     * A file (or a Hub API answer) that receives no byte for this long is treated as stalled and retried.
     * @default '30s'
     */
    stallTimeout?: Duration;
    /**
     * The longest server-given `Retry-After` honoured; a server asking for longer fails the file or call at once with its error.
     * @default '60s'
     */
    retryAfterMax?: Duration;
  };
  runtime?: {
    /**
     * Where ONNX Runtime's wasm/mjs files are served on the page's origin (never a CDN; the vite config serves and bundles them).
     * @default '/ort/'
     */
    wasmPaths?: string;
  };
  conversion?: {
    /**
     * ONNX Runtime graph optimisation: O0 disabled, O1 basic, O2 extended, O3 all.
     * @default 'O2'
     */
    optimizationLevel?: 'O0' | 'O1' | 'O2' | 'O3';
    /**
     * Allow quantized variants (q8, q4...) when they suit the device.
     * @default true
     */
    enableQuantization?: boolean;
    /**
     * Prefer CPU (wasm) or GPU (WebGPU) variants.
     * @default 'auto'
     */
    targetPlatform?: 'cpu' | 'gpu' | 'auto';
  };
}

/** Options after defaults and parsing: sizes in bytes, durations in milliseconds. */
export interface ResolvedConfig {
  endpoint: string;
  accessToken: string | undefined;
  storeName: string;
  now: () => number;
  cache: { maxSize: number; retention: number; backend: 'auto' | 'opfs' | 'indexeddb'; autoClean: boolean; crossOrigin: 'auto' | 'off' };
  download: { concurrent: number; timeout: number; retries: number; retryDelay: number; stallTimeout: number; retryAfterMax: number };
  conversion: { optimizationLevel: 'O0' | 'O1' | 'O2' | 'O3'; enableQuantization: boolean; targetPlatform: 'cpu' | 'gpu' | 'auto' };
  runtime: { wasmPaths: string };
}

const SHAPE = {
  endpoint: true,
  accessToken: true,
  storeName: true,
  now: true,
  cache: { maxSize: true, retention: true, backend: true, autoClean: true, crossOrigin: true },
  download: { concurrent: true, timeout: true, retries: true, retryDelay: true, stallTimeout: true, retryAfterMax: true },
  conversion: { optimizationLevel: true, enableQuantization: true, targetPlatform: true },
  runtime: { wasmPaths: true },
} as const;

/** Applies defaults and validates every option strictly; a bad or unknown option throws a ConfigError naming its key. */
export function resolveConfig(options: HangarOptions = {}): ResolvedConfig {
  checkKeys(options, SHAPE, '');
  const cache = options.cache ?? {};
  const download = options.download ?? {};
  const conversion = options.conversion ?? {};
  return {
    endpoint: parseEndpoint(options.endpoint ?? 'https://huggingface.co'),
    accessToken: optionalToken(options.accessToken),
    storeName: parseName(options.storeName ?? 'hangar'),
    now: clock(options.now),
    cache: {
      maxSize: parseSize(cache.maxSize ?? '10GB', 'cache.maxSize'),
      retention: parseDuration(cache.retention ?? '30d', 'cache.retention'),
      backend: oneOf(cache.backend ?? 'auto', ['auto', 'opfs', 'indexeddb'] as const, 'cache.backend'),
      autoClean: boolean(cache.autoClean ?? true, 'cache.autoClean'),
      crossOrigin: oneOf(cache.crossOrigin ?? 'auto', ['auto', 'off'] as const, 'cache.crossOrigin'),
    },
    download: {
      concurrent: integer(download.concurrent ?? 2, 1, 16, 'download.concurrent'),
      timeout: parseDuration(download.timeout ?? '1h', 'download.timeout'),
      retries: integer(download.retries ?? 3, 0, 20, 'download.retries'),
      retryDelay: parseDuration(download.retryDelay ?? '1s', 'download.retryDelay'),
      stallTimeout: parseDuration(download.stallTimeout ?? '30s', 'download.stallTimeout'),
      retryAfterMax: parseDuration(download.retryAfterMax ?? '60s', 'download.retryAfterMax'),
    },
    conversion: {
      optimizationLevel: oneOf(conversion.optimizationLevel ?? 'O2', ['O0', 'O1', 'O2', 'O3'] as const, 'conversion.optimizationLevel'),
      enableQuantization: boolean(conversion.enableQuantization ?? true, 'conversion.enableQuantization'),
      targetPlatform: oneOf(conversion.targetPlatform ?? 'auto', ['cpu', 'gpu', 'auto'] as const, 'conversion.targetPlatform'),
    },
    runtime: { wasmPaths: parseWasmPaths(options.runtime?.wasmPaths ?? '/ort/') },
  };
}

function invalid(key: string, message: string): ConfigError {
  return new ConfigError('CONFIG_INVALID', `${key}: ${message}`, { details: { key } });
}

function checkKeys(value: unknown, shape: object, prefix: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw invalid(prefix || 'options', `expected an object, got ${JSON.stringify(value)}`);
  }
  for (const [key, child] of Object.entries(value)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const rule: unknown = (shape as Record<string, unknown>)[key];
    if (rule === undefined) throw invalid(path, 'unknown option');
    if (typeof rule === 'object' && rule !== null) checkKeys(child, rule, path);
  }
}

function parseEndpoint(value: unknown): string {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    throw invalid('endpoint', `expected an http(s) URL such as "https://huggingface.co", got ${JSON.stringify(value)}`);
  }
  return url.href.replace(/\/+$/, '');
}

function optionalToken(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !/^hf_\S+$/.test(value)) throw invalid('accessToken', 'expected a Hub token starting with "hf_"');
  return value;
}

function parseName(value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(value)) {
    throw invalid('storeName', `expected 1-64 letters, digits, "_", "." or "-", got ${JSON.stringify(value)}`);
  }
  return value;
}

function parseWasmPaths(value: unknown): string {
  if (typeof value !== 'string' || !value.endsWith('/'))
    throw invalid('runtime.wasmPaths', `expected a URL or path ending in "/", got ${JSON.stringify(value)}`);
  return value;
}

function clock(value: unknown): () => number {
  if (value === undefined) return Date.now;
  if (typeof value !== 'function') throw invalid('now', 'expected a function returning milliseconds since the epoch');
  return value as () => number;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], key: string): T {
  if (!allowed.includes(value as T)) throw invalid(key, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`);
  return value as T;
}

function integer(value: unknown, min: number, max: number, key: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(key, `expected an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function boolean(value: unknown, key: string): boolean {
  if (typeof value !== 'boolean') throw invalid(key, `expected true or false, got ${JSON.stringify(value)}`);
  return value;
}
