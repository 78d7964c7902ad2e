import type { HardwareFacts, WebGpuInfo } from './types.ts';
import { within } from '../util/index.ts';

// Smallest modules that use each feature (as in wasm-feature-detect): valid only where it is supported.
const SIMD = [0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11];
const RELAXED_SIMD = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65, 2, 253, 15, 253, 128, 2, 11,
];
const THREADS = [
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254, 16, 2, 0, 26, 11,
];

const ADAPTER_MS = 5000;
const ESTIMATE_MS = 2000;

function validates(bytes: number[]): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(new Uint8Array(bytes));
  } catch {
    return false;
  }
}

interface AdapterLike {
  features: ReadonlySet<string>;
  limits: { maxBufferSize: number; maxStorageBufferBindingSize: number };
  info?: { vendor?: string; architecture?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

async function probeWebGpu(): Promise<WebGpuInfo | null> {
  const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } } | undefined)?.gpu;
  if (gpu === undefined) return null;
  // Bounded: an adapter request must not hold up the probe (and so every plan) where a driver hangs.
  const adapter = await within(gpu.requestAdapter(), ADAPTER_MS);
  if (adapter === undefined || adapter === null) return null;
  const info = adapter.info ?? {};
  const architecture = info.architecture ?? '';
  return {
    vendor: info.vendor ?? '',
    architecture,
    description: info.description ?? '',
    software: info.isFallbackAdapter === true || adapter.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe/i.test(architecture),
    shaderF16: adapter.features.has('shader-f16'),
    maxBufferSize: adapter.limits.maxBufferSize,
    maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
  };
}

/** Reads what this browser and device offer: WebGPU adapter, WASM features, isolation, cores, memory, storage. */
export async function probeHardware(): Promise<HardwareFacts> {
  const nav = globalThis.navigator as (Navigator & { deviceMemory?: number }) | undefined;
  const [webgpu, estimate] = await Promise.all([probeWebGpu(), within(nav?.storage?.estimate?.(), ESTIMATE_MS)]);
  return {
    webgpu,
    wasm: {
      simd: validates(SIMD),
      relaxedSimd: validates(RELAXED_SIMD),
      threads: validates(THREADS) && typeof SharedArrayBuffer === 'function',
    },
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: nav?.hardwareConcurrency ?? 1,
    deviceMemory: nav?.deviceMemory,
    storage: { quota: estimate?.quota, usage: estimate?.usage },
  };
}
