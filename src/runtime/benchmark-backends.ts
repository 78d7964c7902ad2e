import { throwIfAborted, isHangarError } from '../errors/index.ts';
import type { Backend, HardwareProfile } from '../probe/index.ts';
import type { Store } from '../store/index.ts';
import type { HangarSession, SessionOptions } from './create-session.ts';
import { readOnnxHeader } from './read-onnx-header.ts';
import { syntheticInputs, type InputOptions } from './synthetic-inputs.ts';

/** Options of `benchmark()`. */
export interface BenchmarkOptions extends InputOptions {
  revision?: string;
  /**
   * Runs per backend after the first one.
   * @default 5
   */
  runs?: number;
  /** Stops the benchmark between runs with AbortError (nothing is remembered). */
  signal?: AbortSignal;
}

/** How one backend did on a model. */
export type BackendTiming = { createMs: number; firstRunMs: number; medianRunMs: number } | { error: string };

/** A measured comparison of the usable backends on one model, remembered per device and model. */
export interface BackendBenchmark {
  repo: string;
  commit: string;
  path: string;
  device: string;
  at: number;
  results: Partial<Record<Backend, BackendTiming>>;
  best: Backend;
}

/** A key that changes when the device does (adapter, cores, memory, browser). */
export function deviceKey(profile: Pick<HardwareProfile, 'webgpu' | 'hardwareConcurrency' | 'deviceMemory'>): string {
  const gpu = profile.webgpu === null ? 'no-gpu' : `${profile.webgpu.vendor}/${profile.webgpu.architecture}`;
  return `${gpu}|${profile.hardwareConcurrency}|${profile.deviceMemory ?? '?'}|${globalThis.navigator?.userAgent ?? ''}`;
}

const memory = new Map<string, string>();

function storageKey(storeName: string, device: string, repo: string, commit: string, path: string): string {
  return `hangar:${storeName}:benchmark:${device}:${repo}@${commit}/${path}`;
}

function save(key: string, value: string): void {
  memory.set(key, value);
  try {
    globalThis.localStorage?.setItem(key, value);
  } catch {
    // No localStorage (worker, privacy mode): remembered for this page only.
  }
}

function load(key: string): string | undefined {
  try {
    return globalThis.localStorage?.getItem(key) ?? memory.get(key);
  } catch {
    return memory.get(key);
  }
}

/** The backend a previous benchmark found fastest for this model on this device, if any. */
export function rememberedBackend(storeName: string, device: string, repo: string, commit: string, path: string): Backend | undefined {
  const text = load(storageKey(storeName, device, repo, commit, path));
  if (text === undefined) return undefined;
  try {
    return (JSON.parse(text) as BackendBenchmark).best;
  } catch {
    return undefined;
  }
}

/**
 * Times a stored model on each usable backend (wasm, and WebGPU where an adapter exists): session
 * creation, first run and the median of `runs` more, on synthetic inputs. The fastest becomes the
 * default backend of `createSession` for this model on this device.
 */
export async function benchmarkBackends(
  store: Store,
  open: (path: string, options: SessionOptions) => Promise<HangarSession>,
  profile: Pick<HardwareProfile, 'webgpu' | 'hardwareConcurrency' | 'deviceMemory'>,
  repo: string,
  path: string,
  options: BenchmarkOptions = {},
): Promise<BackendBenchmark> {
  const revision = options.revision ?? 'main';
  const model = await store.load(repo, { revision });
  const header = await readOnnxHeader(await store.file(repo, path, { revision }), path);
  const ort = await import('onnxruntime-web');
  const feeds = syntheticInputs(ort, header.inputs, options);
  const candidates: Backend[] = profile.webgpu === null ? ['wasm'] : ['wasm', 'webgpu'];
  const results: BackendBenchmark['results'] = {};
  const { signal } = options;
  for (const backend of candidates) {
    throwIfAborted(signal);
    try {
      const opened = await open(path, { revision, backend, variantFallback: false, ...(signal ? { signal } : {}) });
      try {
        if (opened.backend !== backend) throw new Error(opened.fallback ?? `ran on ${opened.backend}`);
        let started = performance.now();
        await opened.session.run(feeds);
        const firstRunMs = performance.now() - started;
        const times: number[] = [];
        for (let i = 0; i < (options.runs ?? 5); i++) {
          throwIfAborted(signal);
          started = performance.now();
          await opened.session.run(feeds);
          times.push(performance.now() - started);
        }
        times.sort((a, b) => a - b);
        results[backend] = { createMs: opened.createMs, firstRunMs, medianRunMs: times[Math.floor(times.length / 2)] ?? firstRunMs };
      } finally {
        await opened.session.release();
      }
    } catch (error) {
      if (isHangarError(error) && error.code === 'ABORTED') throw error;
      results[backend] = { error: (error as Error).message };
    }
  }
  const timed = candidates.filter((backend) => results[backend] !== undefined && 'medianRunMs' in results[backend]);
  const speed = (backend: Backend) => (results[backend] as { medianRunMs: number }).medianRunMs;
  const best = timed.sort((a, b) => speed(a) - speed(b))[0] ?? 'wasm';
  const device = deviceKey(profile);
  const report: BackendBenchmark = { repo, commit: model.commit, path, device, at: Date.now(), results, best };
  save(storageKey(store.name, device, repo, model.commit, path), JSON.stringify(report));
  return report;
}
