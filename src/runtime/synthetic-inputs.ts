import type { Tensor } from 'onnxruntime-web';
import { RuntimeError } from '../errors/index.ts';
import type { OnnxValueInfo } from './read-onnx-header.ts';

/** How to build inputs for a run without real data. */
export interface InputOptions {
  /**
   * Sizes for symbolic dimensions, e.g. `{ batch: 16 }`.
   * @default 1 for each
   */
  dims?: Record<string, number>;
  /** Inputs to use instead of synthetic ones, e.g. Silero's `{ sr: { data: [16000n], dims: [] } }`. */
  inputs?: Record<string, { data: ArrayLike<number> | ArrayLike<bigint>; dims: number[] }>;
}

/** Deterministic inputs for a graph's declared inputs (floats from a sine, integers 1), or the given ones. */
export function syntheticInputs(
  ort: typeof import('onnxruntime-web'),
  infos: readonly OnnxValueInfo[],
  options: InputOptions,
): Record<string, Tensor> {
  return Object.fromEntries(infos.map((info) => [info.name, syntheticInput(ort, info, options)]));
}

function syntheticInput(ort: typeof import('onnxruntime-web'), info: OnnxValueInfo, options: InputOptions): Tensor {
  const given = options.inputs?.[info.name];
  const dims = given?.dims ?? (info.shape ?? []).map((dim) => (typeof dim === 'number' ? dim : (options.dims?.[dim ?? ''] ?? 1)));
  const count = dims.reduce((a, b) => a * b, 1);
  switch (info.elemType) {
    case 'float32':
      return new ort.Tensor(
        'float32',
        given
          ? Float32Array.from(given.data as ArrayLike<number>)
          : Float32Array.from({ length: count }, (_, i) => Math.sin(i * 0.37 + 0.1)),
        dims,
      );
    case 'int64':
      return new ort.Tensor('int64', given ? BigInt64Array.from(given.data as ArrayLike<bigint>) : new BigInt64Array(count).fill(1n), dims);
    case 'int32':
      return new ort.Tensor('int32', given ? Int32Array.from(given.data as ArrayLike<number>) : new Int32Array(count).fill(1), dims);
    case 'bool':
      return new ort.Tensor('bool', new Uint8Array(count).fill(1), dims);
    default:
      throw new RuntimeError('SESSION_FAILED', `input ${info.name}: no synthetic ${info.elemType} values; pass it in options.inputs`);
  }
}
