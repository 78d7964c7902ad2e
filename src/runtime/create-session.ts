import type { InferenceSession } from 'onnxruntime-web';
import type { ResolvedConfig } from '../config/index.ts';
import { RuntimeError, StoreError } from '../errors/index.ts';
import type { Backend, Dtype, HardwareProfile } from '../probe/index.ts';
import type { FileHash } from '../hub/index.ts';
import { blobKey, type Store } from '../store/index.ts';
import { parseGraphPath } from './plan-variants.ts';

/** Options of `createSession`. */
export interface SessionOptions {
  /** Branch, tag or commit. Default `'main'`. */
  revision?: string;
  /** Default: the probe's recommendation. A WebGPU request on a device without an adapter falls back to wasm, and says so. */
  backend?: Backend;
  /** Graph optimisation: O0 disabled, O1 basic, O2 extended, O3 all. Default `conversion.optimizationLevel`. */
  optimizationLevel?: 'O0' | 'O1' | 'O2' | 'O3';
  /** WASM threads; ONNX Runtime takes this from the first session of a page only. Default: the probe's recommendation. */
  threads?: number;
  /** Fixed sizes for symbolic dimensions, e.g. `{ batch_size: 1 }`. */
  freeDimensionOverrides?: Record<string, number>;
}

/** An ONNX Runtime session opened from stored bytes, and what really ran. */
export interface HangarSession {
  session: InferenceSession;
  backend: Backend;
  dtype: Dtype;
  threads: number;
  optimizationLevel: 'O0' | 'O1' | 'O2' | 'O3';
  createMs: number;
  /** Bytes of the graph and its external data. */
  modelBytes: number;
  /** Why the requested backend was not used, when it was not. */
  fallback?: string;
}

const LEVELS = { O0: 'disabled', O1: 'basic', O2: 'extended', O3: 'all' } as const;

type Ort = typeof import('onnxruntime-web');
let ortModule: Promise<Ort> | undefined;

/** Loads onnxruntime-web once, pointing it at self-served wasm files and setting the thread count. */
function loadOrt(wasmPaths: string, threads: number): Promise<Ort> {
  ortModule ??= import('onnxruntime-web').then((ort) => {
    ort.env.wasm.wasmPaths = new URL(wasmPaths, globalThis.location?.href).href;
    ort.env.wasm.numThreads = threads;
    ort.env.logLevel = 'error';
    return ort;
  });
  return ortModule;
}

async function hasGpuAdapter(): Promise<boolean> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } } | undefined)?.gpu;
  return gpu !== undefined && (await gpu.requestAdapter().catch(() => null)) !== null;
}

/**
 * Opens `path` of a stored revision as an ONNX Runtime session: the graph and its external data
 * (`<path>_data`, `_data_1`...) as blob: URLs of the stored Files, so no extra whole-file copy is
 * made in JS. Never touches the network (NOT_CACHED when not stored).
 */
export async function createSession(
  store: Store,
  config: ResolvedConfig,
  profile: Pick<HardwareProfile, 'recommendation'>,
  repo: string,
  path: string,
  options: SessionOptions = {},
): Promise<HangarSession> {
  const revision = options.revision ?? 'main';
  // load() checks that every file's bytes are there and counts as one use; the Files come from it.
  const model = await store.load(repo, { revision });
  const stored = async (file: { path: string; size: number; hash: FileHash } | undefined): Promise<File> => {
    const bytes = file === undefined ? undefined : await store.blob(blobKey(file.hash), file.size);
    if (bytes === undefined)
      throw new StoreError('NOT_CACHED', `${repo}@${revision}: ${path} is not cached`, { details: { repo, revision, path } });
    return bytes;
  };
  const graph = await stored(model.files.find((file) => file.path === path));
  const externalData = await Promise.all(
    model.files
      .filter((file) => file.path === `${path}_data` || file.path.startsWith(`${path}_data_`))
      .map(async (file) => ({ path: file.path.slice(file.path.lastIndexOf('/') + 1), data: await stored(file) })),
  );
  const threads = options.threads ?? profile.recommendation.threads;
  const ort = await loadOrt(config.runtime.wasmPaths, threads);
  const optimizationLevel = options.optimizationLevel ?? config.conversion.optimizationLevel;
  let backend = options.backend ?? profile.recommendation.backend;
  let fallback: string | undefined;
  if (backend === 'webgpu' && !(await hasGpuAdapter())) {
    backend = 'wasm';
    fallback = 'no WebGPU adapter';
  }
  // blob: URLs, not Files or bytes: ONNX Runtime then reads them as it reads any URL, straight into
  // its heap, and no whole-file copy is made in JS (a File costs one more copy of each data file).
  const open = async (on: Backend): Promise<InferenceSession> => {
    const url = URL.createObjectURL(graph);
    const data = externalData.map((file) => ({ path: file.path, data: URL.createObjectURL(file.data) }));
    try {
      return await ort.InferenceSession.create(url, {
        executionProviders: [on],
        graphOptimizationLevel: LEVELS[optimizationLevel],
        ...(options.freeDimensionOverrides === undefined ? {} : { freeDimensionOverrides: options.freeDimensionOverrides }),
        ...(data.length === 0 ? {} : { externalData: data }),
      });
    } finally {
      URL.revokeObjectURL(url);
      for (const file of data) URL.revokeObjectURL(file.data);
    }
  };
  const started = performance.now();
  let session: InferenceSession;
  try {
    session = await open(backend);
  } catch (error) {
    if (backend !== 'webgpu') throw sessionError(repo, path, backend, error);
    fallback = `WebGPU failed: ${(error as Error).message}`;
    backend = 'wasm';
    try {
      session = await open('wasm');
    } catch (again) {
      throw sessionError(repo, path, 'wasm', again);
    }
  }
  const result: HangarSession = {
    session,
    backend,
    dtype: parseGraphPath(path)?.dtype ?? 'fp32',
    threads: ort.env.wasm.numThreads ?? threads,
    optimizationLevel,
    createMs: performance.now() - started,
    modelBytes: graph.size + externalData.reduce((sum, file) => sum + file.data.size, 0),
  };
  if (fallback !== undefined) result.fallback = fallback;
  return result;
}

function sessionError(repo: string, path: string, backend: Backend, error: unknown): RuntimeError {
  return new RuntimeError('SESSION_FAILED', `${repo}: ONNX Runtime could not open ${path} on ${backend}: ${(error as Error).message}`, {
    cause: error,
    details: { repo, path, backend },
  });
}
