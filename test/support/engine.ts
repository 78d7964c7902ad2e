/** What this browser offers, read directly (not through Hangar's probe), for tests that need a feature and skip with a reason without it. */

interface AdapterLike {
  info?: { architecture?: string; vendor?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

const gpu = (navigator as { gpu?: { requestAdapter(): Promise<AdapterLike | null> } }).gpu;
const adapter = gpu === undefined ? null : await gpu.requestAdapter().catch(() => null);

/** Why WebGPU tests cannot run here, or undefined when a WebGPU adapter exists. */
export const noWebGpu: string | undefined =
  gpu === undefined ? 'this browser has no navigator.gpu (WebGPU)' : adapter === null ? 'this browser offers no WebGPU adapter' : undefined;

/** Whether the adapter is a software rasterizer or a fallback adapter (SwiftShader here), as far as the browser says. */
export const softwareWebGpu =
  adapter !== null &&
  (adapter.info?.isFallbackAdapter === true ||
    adapter.isFallbackAdapter === true ||
    /swiftshader|llvmpipe|lavapipe/i.test(adapter.info?.architecture ?? ''));

/** Why WASM threads cannot run here (no shared WebAssembly memory), or undefined when they can. */
export const noWasmThreads: string | undefined = (() => {
  try {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    return memory.buffer instanceof SharedArrayBuffer ? undefined : 'shared WebAssembly memory is not a SharedArrayBuffer here';
  } catch (error) {
    return `no shared WebAssembly memory (SharedArrayBuffer) in this browser: ${(error as Error).message}`;
  }
})();

/** Skips the running test when `reason` is given, printing it (vitest shows skip notes only in verbose output). */
export function skipIf(context: { skip(note?: string): never }, reason: string | undefined): void {
  if (reason === undefined) return;
  console.info(`skipped in ${navigator.userAgent.match(/(Firefox|Chrome|Version)\/[\d.]+/)?.[0] ?? navigator.userAgent}: ${reason}`);
  context.skip(reason);
}
