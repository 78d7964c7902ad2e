import type { BlobStorage } from '../store/index.ts';

/** Every quantization level, named as transformers.js names them. */
export const DTYPES = ['fp32', 'fp16', 'q8', 'int8', 'uint8', 'q4', 'q4f16', 'bnb4'] as const;

/** A quantization level, named as transformers.js names them. */
export type Dtype = (typeof DTYPES)[number];

/** An execution backend of onnxruntime-web. */
export type Backend = 'webgpu' | 'wasm';

/** What the WebGPU adapter is, when there is one. */
export interface WebGpuInfo {
  vendor: string;
  architecture: string;
  description: string;
  /** A software rasterizer (SwiftShader) or a fallback adapter: slower than WASM for most models. */
  software: boolean;
  shaderF16: boolean;
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

/** What the device offers, as measured by `probe()`. */
export interface HardwareFacts {
  webgpu: WebGpuInfo | null;
  wasm: { simd: boolean; relaxedSimd: boolean; threads: boolean };
  /** COOP/COEP in force: SharedArrayBuffer and so WASM threads are usable. */
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** GiB, rounded by the browser (Chromium only); undefined where not reported. */
  deviceMemory: number | undefined;
  storage: {
    quota: number | undefined;
    usage: number | undefined;
    /** Where a manager's store keeps blob bytes here and why (found by trying; `probe()` of a manager only). */
    blobs?: BlobStorage;
  };
}

/** What to run on: a backend, dtypes in order of preference, threads, and why. */
export interface Recommendation {
  backend: Backend;
  /** Preferred dtypes, best first; `plan()` takes the first one a repo has. */
  dtypes: Dtype[];
  threads: number;
  reasons: string[];
}

/** The device's facts and the recommendation drawn from them. */
export interface HardwareProfile extends HardwareFacts {
  recommendation: Recommendation;
}
