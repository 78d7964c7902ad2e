import { describe, expect, it } from 'vitest';
import { noWasmThreads, noWebGpu, softwareWebGpu, skipIf } from '../../test/support/engine.ts';
import { probeHardware } from './probe-hardware.ts';
import { recommend } from './recommend.ts';

describe('probeHardware in this browser', () => {
  it('finds WASM SIMD, threads where shared memory exists, isolation, cores and storage as the browser reports them', async () => {
    const facts = await probeHardware();
    expect(facts.wasm.simd).toBe(true);
    expect(facts.wasm.threads).toBe(noWasmThreads === undefined);
    expect(facts.crossOriginIsolated).toBe(globalThis.crossOriginIsolated);
    expect(facts.hardwareConcurrency).toBe(navigator.hardwareConcurrency);
    const estimate = await (navigator as { storage?: StorageManager }).storage?.estimate?.();
    expect(facts.storage.quota).toBe(estimate?.quota);
    if (estimate !== undefined) expect(facts.storage.quota).toBeGreaterThan(0);
  });

  it('reads the WebGPU adapter, recommends WASM over a software one and WebGPU over a hardware one', async (context) => {
    skipIf(context, noWebGpu);
    const facts = await probeHardware();
    expect(facts.webgpu).not.toBeNull();
    expect(facts.webgpu!.software).toBe(softwareWebGpu);
    expect(facts.webgpu!.maxBufferSize).toBeGreaterThan(0);
    const advice = recommend(facts, { targetPlatform: 'auto', enableQuantization: true });
    expect(advice.backend).toBe(softwareWebGpu ? 'wasm' : 'webgpu');
  });
});
