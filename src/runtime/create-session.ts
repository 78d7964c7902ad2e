import type { InferenceSession } from 'onnxruntime-web';
import type { ResolvedConfig } from '../config/index.ts';
import { RuntimeError, StoreError, abortedBy, throwIfAborted, isHangarError } from '../errors/index.ts';
import type { Backend, Dtype, HardwareProfile } from '../probe/index.ts';
import type { FileHash } from '../hub/index.ts';
import { blobKey, type Store } from '../store/index.ts';
import { parseGraphPath } from '../plan/index.ts';
import { readForOrt } from './read-blob.ts';

/** Options of `createSession`. */
export interface SessionOptions {
  /**
   * Branch, tag or commit.
   * @default 'main'
   */
  revision?: string;
  /**
   * Backend to run on. A WebGPU request on a device without an adapter falls back to wasm, and says so.
   * @default the probe's (or the last benchmark's) recommendation
   */
  backend?: Backend;
  /**
   * Graph optimisation: O0 disabled, O1 basic, O2 extended, O3 all.
   * @default conversion.optimizationLevel
   */
  optimizationLevel?: 'O0' | 'O1' | 'O2' | 'O3';
  /**
   * WASM threads; ONNX Runtime takes this from the first session of a page only.
   * @default the probe's recommendation
   */
  threads?: number;
  /** Fixed sizes for symbolic dimensions, e.g. `{ batch_size: 1 }`. */
  freeDimensionOverrides?: Record<string, number>;
  /**
   * When the graph fails, open a lighter stored variant of it instead.
   * @default true
   */
  variantFallback?: boolean;
  /**
   * Stops the opening: before the files are read, between attempts, and after ONNX Runtime answers
   * (a session opened meanwhile is released); ORT's own create cannot be interrupted.
   */
  signal?: AbortSignal;
}

/** An ONNX Runtime session opened from stored bytes, and what really ran. */
export interface HangarSession {
  session: InferenceSession;
  /** The graph that was opened: `path`, or a lighter variant of it when `path` failed. */
  path: string;
  backend: Backend;
  dtype: Dtype;
  threads: number;
  optimizationLevel: 'O0' | 'O1' | 'O2' | 'O3';
  createMs: number;
  /** Bytes of the graph and its external data. */
  modelBytes: number;
  /** Why the requested backend or graph was not used, when it was not. */
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
 * (`<path>_data`, `_data_1`...) read from the stored Files. Never touches the network (NOT_CACHED
 * when not stored).
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
  throwIfAborted(options.signal);
  // load() checks that every file's bytes are there and counts as one use; the Files come from it.
  const model = await store.load(repo, { revision });
  const stored = async (file: { path: string; size: number; hash: FileHash } | undefined): Promise<File> => {
    const bytes = file === undefined ? undefined : await store.blob(blobKey(file.hash), file.size);
    if (bytes === undefined)
      throw new StoreError('NOT_CACHED', `${repo}@${revision}: ${path} is not cached`, { details: { repo, revision, path } });
    return bytes;
  };
  const threads = options.threads ?? profile.recommendation.threads;
  const ort = await loadOrt(config.runtime.wasmPaths, threads);
  const optimizationLevel = options.optimizationLevel ?? config.conversion.optimizationLevel;
  let backend = options.backend ?? profile.recommendation.backend;
  const notes: string[] = [];
  if (backend === 'webgpu' && !(await hasGpuAdapter())) {
    backend = 'wasm';
    notes.push('no WebGPU adapter');
  }
  // The stored Files themselves (see readForOrt), not blob: URLs: ORT reads a blob: URL through
  // fetch, which took 1.7x as long to open a graph with 512 MiB of external data.
  const open = async (graphPath: string, on: Backend): Promise<{ session: InferenceSession; bytes: number }> => {
    const graph = await stored(model.files.find((file) => file.path === graphPath));
    const external = model.files.filter((file) => file.path === `${graphPath}_data` || file.path.startsWith(`${graphPath}_data_`));
    const data = await Promise.all(
      external.map(async (file) => ({ path: file.path.slice(file.path.lastIndexOf('/') + 1), data: await readForOrt(await stored(file)) })),
    );
    const session = await ort.InferenceSession.create(new Uint8Array(await graph.arrayBuffer()), {
      executionProviders: [on],
      graphOptimizationLevel: LEVELS[optimizationLevel],
      ...(options.freeDimensionOverrides === undefined ? {} : { freeDimensionOverrides: options.freeDimensionOverrides }),
      ...(data.length === 0 ? {} : { externalData: data }),
    });
    return { session, bytes: graph.size + external.reduce((sum, file) => sum + file.size, 0) };
  };
  // What to try, in order: the graph on the chosen backend, on wasm, then lighter stored variants on wasm.
  const graphs = options.variantFallback === false ? [] : lighterVariants(path, model.files);
  const attempts: Array<[string, Backend]> = [[path, backend], ...(backend === 'webgpu' ? [[path, 'wasm'] as [string, Backend]] : [])];
  for (const lighter of graphs) attempts.push([lighter, 'wasm']);
  const started = performance.now();
  let first: unknown;
  for (const [graphPath, on] of attempts) {
    throwIfAborted(options.signal);
    try {
      const { session, bytes } = await open(graphPath, on);
      if (options.signal?.aborted) {
        await session.release().catch(() => {});
        throw abortedBy(options.signal);
      }
      if (first !== undefined) notes.push(`${path} on ${backend} failed (${(first as Error).message}); opened ${graphPath} on ${on}`);
      const result: HangarSession = {
        session,
        path: graphPath,
        backend: on,
        dtype: parseGraphPath(graphPath)?.dtype ?? 'fp32',
        threads: ort.env.wasm.numThreads ?? threads,
        optimizationLevel,
        createMs: performance.now() - started,
        modelBytes: bytes,
      };
      if (notes.length > 0) result.fallback = notes.join('; ');
      return result;
    } catch (error) {
      if (error instanceof StoreError || (isHangarError(error) && error.code === 'ABORTED')) throw error;
      first ??= error;
    }
  }
  throw sessionError(repo, path, backend, first);
}

/** Stored variants of the same graph that are smaller than `path`, the next lighter first. */
function lighterVariants(path: string, files: ReadonlyArray<{ path: string; size: number }>): string[] {
  const session = parseGraphPath(path)?.session;
  if (session === undefined) return [];
  const size = files.find((file) => file.path === path)?.size ?? Infinity;
  return files
    .filter((file) => file.path !== path && file.size < size && parseGraphPath(file.path)?.session === session)
    .sort((a, b) => b.size - a.size)
    .map((file) => file.path);
}

function sessionError(repo: string, path: string, backend: Backend, error: unknown): RuntimeError {
  return new RuntimeError('SESSION_FAILED', `${repo}: ONNX Runtime could not open ${path} on ${backend}: ${(error as Error).message}`, {
    cause: error,
    details: { repo, path, backend },
  });
}
