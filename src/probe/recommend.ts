import type { Dtype, HardwareFacts, Recommendation } from './types.ts';

/** Preferences that shape a recommendation (from `conversion` in the config). */
export interface RecommendOptions {
  targetPlatform: 'cpu' | 'gpu' | 'auto';
  enableQuantization: boolean;
}

const LOW_MEMORY_GIB = 2;
const QUANTIZED = new Set<Dtype>(['q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4']);

/**
 * Picks backend, dtypes and threads for a device. WebGPU only with a hardware adapter (a
 * software one such as SwiftShader is far slower than WASM); fp16 only with `shader-f16`; on
 * WASM, 8-bit weights; on a small device (deviceMemory <= 2 GiB) 4-bit weights first.
 */
export function recommend(facts: HardwareFacts, options: RecommendOptions): Recommendation {
  const reasons: string[] = [];
  const gpu = facts.webgpu;
  let backend: 'webgpu' | 'wasm' = 'wasm';
  if (options.targetPlatform === 'cpu') reasons.push('targetPlatform is cpu');
  else if (gpu === null) reasons.push('no WebGPU adapter');
  else if (gpu.software) reasons.push(`the WebGPU adapter is software (${gpu.architecture || gpu.vendor || 'fallback'}): WASM is faster`);
  else backend = 'webgpu';
  const small = facts.deviceMemory !== undefined && facts.deviceMemory <= LOW_MEMORY_GIB;
  if (small) reasons.push(`deviceMemory is ${facts.deviceMemory} GiB: lighter weights first`);
  let dtypes: Dtype[];
  if (backend === 'webgpu') {
    const f16 = gpu?.shaderF16 === true;
    if (!f16) reasons.push('no shader-f16: no fp16 weights');
    dtypes = f16 ? (small ? ['q4f16', 'fp16', 'q4', 'fp32'] : ['fp16', 'q4f16', 'fp32', 'q4']) : small ? ['q4', 'fp32'] : ['fp32', 'q4'];
  } else {
    dtypes = small ? ['q4', 'q8', 'int8', 'uint8', 'fp32'] : ['q8', 'int8', 'uint8', 'fp32', 'q4'];
  }
  if (!options.enableQuantization) {
    reasons.push('quantization disabled');
    dtypes = dtypes.filter((dtype) => !QUANTIZED.has(dtype));
  }
  const threadsUsable = facts.crossOriginIsolated && facts.wasm.threads;
  if (!threadsUsable) reasons.push(facts.crossOriginIsolated ? 'no WASM threads' : 'not cross-origin isolated: one WASM thread');
  const threads = threadsUsable ? Math.max(1, Math.min(4, Math.ceil(facts.hardwareConcurrency / 2))) : 1;
  return { backend, dtypes, threads, reasons };
}
