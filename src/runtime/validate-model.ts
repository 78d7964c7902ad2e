import { throwIfAborted, isHangarError } from '../errors/index.ts';
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import type { Dtype } from '../probe/index.ts';
import type { Store } from '../store/index.ts';
import type { HangarSession, SessionOptions } from './create-session.ts';
import { parseGraphPath } from '../plan/index.ts';
import { readOnnxHeader, type OnnxHeader } from './read-onnx-header.ts';
import { syntheticInputs, type InputOptions } from './synthetic-inputs.ts';

/** Options of `validate()`. */
export interface ValidateOptions extends InputOptions {
  revision?: string;
  /**
   * Minimum cosine similarity between a quantized variant's outputs and fp32's.
   * @default 0.99
   */
  minCosine?: number;
  /** Stops the validation between its steps (header, smoke run, comparison) with AbortError. */
  signal?: AbortSignal;
}

/** What `validate()` found. */
export interface ValidationReport {
  repo: string;
  path: string;
  dtype: Dtype;
  header: OnnxHeader;
  smoke: { ok: true; ms: number; outputs: Record<string, number[]> } | { ok: false; error: string };
  /** For a quantized or fp16 variant: its outputs against the fp32 variant's on the same inputs. */
  comparison?:
    { reference: string; maxAbsDiff: number; cosine: number; minCosine: number; ok: boolean } | { reference: string; skipped: string };
  ok: boolean;
}

type Open = (path: string, options: SessionOptions) => Promise<HangarSession>;

async function run(session: InferenceSession, feeds: Record<string, Tensor>): Promise<Record<string, Float32Array | number[]>> {
  const out = await session.run(feeds);
  const values: Record<string, Float32Array | number[]> = {};
  for (const [name, tensor] of Object.entries(out))
    values[name] = tensor.data instanceof Float32Array ? tensor.data : Array.from(tensor.data as ArrayLike<number>, Number);
  return values;
}

function compare(a: Record<string, ArrayLike<number>>, b: Record<string, ArrayLike<number>>): { maxAbsDiff: number; cosine: number } {
  let dot = 0;
  let na = 0;
  let nb = 0;
  let maxAbsDiff = 0;
  for (const [name, x] of Object.entries(a)) {
    const y = b[name];
    if (y === undefined || y.length !== x.length) return { maxAbsDiff: Infinity, cosine: 0 };
    for (let i = 0; i < x.length; i++) {
      dot += x[i]! * y[i]!;
      na += x[i]! * x[i]!;
      nb += y[i]! * y[i]!;
      maxAbsDiff = Math.max(maxAbsDiff, Math.abs(x[i]! - y[i]!));
    }
  }
  return { maxAbsDiff, cosine: na === 0 || nb === 0 ? (na === nb ? 1 : 0) : dot / Math.sqrt(na * nb) };
}

/**
 * Validates a stored graph: parses its header without loading the weights (MODEL_INVALID on
 * truncated, corrupt or non-ONNX bytes), runs it once on synthetic inputs (wasm), and for a
 * quantized or fp16 variant compares its outputs with the fp32 variant's when that is stored.
 */
export async function validateModel(
  store: Store,
  open: Open,
  repo: string,
  path: string,
  options: ValidateOptions = {},
): Promise<ValidationReport> {
  const revision = options.revision ?? 'main';
  const { signal } = options;
  throwIfAborted(signal);
  const header = await readOnnxHeader(await store.file(repo, path, { revision }), path);
  const dtype = parseGraphPath(path)?.dtype ?? 'fp32';
  const ort = await import('onnxruntime-web');
  const report: ValidationReport = { repo, path, dtype, header, smoke: { ok: false, error: 'not run' }, ok: false };
  let outputs: Record<string, Float32Array | number[]>;
  let feeds: Record<string, Tensor>;
  try {
    feeds = syntheticInputs(ort, header.inputs, options);
    const { session } = await open(path, { revision, backend: 'wasm', variantFallback: false, ...(signal ? { signal } : {}) });
    const started = performance.now();
    try {
      outputs = await run(session, feeds);
    } finally {
      await session.release();
    }
    const shapes = Object.fromEntries(header.outputs.map((output) => [output.name, [outputs[output.name]?.length ?? 0]]));
    report.smoke = { ok: true, ms: performance.now() - started, outputs: shapes };
  } catch (error) {
    if (isHangarError(error) && error.code === 'ABORTED') throw error;
    report.smoke = { ok: false, error: (error as Error).message };
    return report;
  }
  throwIfAborted(signal);
  if (dtype !== 'fp32') {
    const reference = `${parseGraphPath(path)!.session}.onnx`;
    const stored = (await store.load(repo, { revision })).files.some((file) => file.path === reference);
    if (!stored) report.comparison = { reference, skipped: 'the fp32 variant is not cached' };
    else {
      const { session } = await open(reference, { revision, backend: 'wasm', variantFallback: false, ...(signal ? { signal } : {}) });
      let expected: Record<string, Float32Array | number[]>;
      try {
        expected = await run(session, feeds);
      } finally {
        await session.release();
      }
      const minCosine = options.minCosine ?? 0.99;
      const { maxAbsDiff, cosine } = compare(outputs, expected);
      report.comparison = { reference, maxAbsDiff, cosine, minCosine, ok: cosine >= minCosine };
    }
  }
  report.ok = report.smoke.ok && (report.comparison === undefined || !('ok' in report.comparison) || report.comparison.ok);
  return report;
}
