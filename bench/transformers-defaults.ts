import { env } from '@huggingface/transformers';

/**
 * transformers.js as it ships, the peer Hangar is compared with: its default Cache API storage,
 * files from `endpoint`, and its ONNX Runtime served from this origin (as Hangar's) with `threads`.
 */
export function useTransformersDefaults(endpoint: string, threads: number): void {
  Object.assign(env, {
    remoteHost: `${endpoint}/`,
    allowRemoteModels: true,
    allowLocalModels: false,
    useBrowserCache: true,
    useCustomCache: false,
  });
  env.backends.onnx.wasm!.wasmPaths = `${location.origin}/ort-transformers/`;
  env.backends.onnx.wasm!.numThreads = threads;
}
