import { DTYPES, type Backend, type Dtype } from '../probe/index.ts';

/** File suffix of each dtype in transformers.js naming: `onnx/<session><suffix>.onnx`. */
export const DTYPE_SUFFIX: Record<Dtype, string> = {
  fp32: '',
  fp16: '_fp16',
  q8: '_quantized',
  int8: '_int8',
  uint8: '_uint8',
  q4: '_q4',
  q4f16: '_q4f16',
  bnb4: '_bnb4',
};

/** One ONNX graph to open: its dtype, its file and its external data files. */
export interface PlannedSession {
  name: string;
  dtype: Dtype;
  file: string;
  externalData: string[];
}

/** Which files a device should fetch from a repo, and why. */
export interface VariantPlan {
  backend: Backend;
  sessions: PlannedSession[];
  /** Every file to fetch: the chosen graphs with their data, and all non-weight files (configs, tokenizer...). */
  files: string[];
  /** Weight files left out (other variants, other formats). */
  skipped: string[];
  reasons: string[];
}

/** `config.json`'s `transformers.js_config`, as far as planning reads it. */
export interface TransformersJsConfig {
  dtype?: Dtype | Record<string, Dtype>;
  device_config?: Partial<Record<string, { dtype?: Dtype | Record<string, Dtype> }>>;
}

const SUFFIXES = (Object.entries(DTYPE_SUFFIX) as Array<[Dtype, string]>)
  .filter(([, s]) => s !== '')
  .sort((a, b) => b[1].length - a[1].length);
const WEIGHTS = /\.(onnx|onnx_data(_\d+)?|safetensors|bin|pt|pth|h5|msgpack|ot|gguf|tflite|mlmodel|ckpt|pb|npz)$|\.onnx_data(_\d+)?$/i;
const FALLBACK_ORDER: readonly Dtype[] = DTYPES;

/** Splits `onnx/decoder_model_merged_q4f16.onnx` into session `onnx/decoder_model_merged` and dtype `q4f16`. */
export function parseGraphPath(path: string): { session: string; dtype: Dtype } | undefined {
  if (!path.endsWith('.onnx')) return undefined;
  const stem = path.slice(0, -'.onnx'.length);
  for (const [dtype, suffix] of SUFFIXES)
    if (stem.endsWith(suffix) && stem.length > suffix.length) return { session: stem.slice(0, -suffix.length), dtype };
  return { session: stem, dtype: 'fp32' };
}

/**
 * Plans the variant files of a pre-converted ONNX repo (transformers.js layout) for a device:
 * per graph, the first of `dtypes` the repo has, unless config.json's `transformers.js_config`
 * names a dtype (per backend via `device_config`) that the repo has; a graph with none of them
 * falls back to what exists. External data (`.onnx_data`, `_data_1`...) comes with its graph.
 */
export function planVariants(
  paths: readonly string[],
  options: { backend: Backend; dtypes: readonly Dtype[]; config?: TransformersJsConfig },
): VariantPlan {
  const reasons: string[] = [];
  const graphs = new Map<string, Map<Dtype, string>>();
  for (const path of paths) {
    const graph = parseGraphPath(path);
    if (graph === undefined) continue;
    const variants = graphs.get(graph.session) ?? new Map<Dtype, string>();
    variants.set(graph.dtype, path);
    graphs.set(graph.session, variants);
  }
  const configured = options.config?.device_config?.[options.backend]?.dtype ?? options.config?.dtype;
  const sessions: PlannedSession[] = [];
  for (const [name, variants] of [...graphs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const base = name.slice(name.lastIndexOf('/') + 1);
    const fromConfig = typeof configured === 'string' ? configured : configured?.[base];
    const wanted = fromConfig !== undefined && variants.has(fromConfig) ? [fromConfig, ...options.dtypes] : options.dtypes;
    if (fromConfig !== undefined && !variants.has(fromConfig))
      reasons.push(`${name}: config.json asks for ${fromConfig}, the repo has no such file`);
    let dtype = wanted.find((candidate) => variants.has(candidate));
    if (dtype === undefined) {
      dtype = FALLBACK_ORDER.find((candidate) => variants.has(candidate))!;
      reasons.push(`${name}: none of ${options.dtypes.join(', ') || '(no dtypes)'} exists, using ${dtype}`);
    } else if (fromConfig !== undefined && dtype === fromConfig) {
      reasons.push(`${name}: ${dtype} from config.json`);
    }
    const file = variants.get(dtype)!;
    const externalData = paths
      .filter((path) => path === `${file}_data` || path.startsWith(`${file}_data_`))
      .sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
    sessions.push({ name, dtype, file, externalData });
  }
  const chosen = new Set(sessions.flatMap((session) => [session.file, ...session.externalData]));
  const files = paths.filter((path) => chosen.has(path) || !WEIGHTS.test(path));
  const skipped = paths.filter((path) => !files.includes(path));
  return { backend: options.backend, sessions, files, skipped, reasons };
}
