import { describe, expect, it } from 'vitest';
import { probeHardware } from './probe-hardware.ts';
import { recommend } from './recommend.ts';

describe('probeHardware in headless Chromium', () => {
  it('finds WASM SIMD and threads, cross-origin isolation, cores and storage', async () => {
    const facts = await probeHardware();
    expect(facts.wasm.simd).toBe(true);
    expect(facts.wasm.threads).toBe(true);
    expect(facts.crossOriginIsolated).toBe(true);
    expect(facts.hardwareConcurrency).toBeGreaterThanOrEqual(1);
    expect(facts.storage.quota).toBeGreaterThan(0);
  });

  it('sees the SwiftShader adapter (--enable-unsafe-webgpu) as software, and recommends WASM over it', async () => {
    const facts = await probeHardware();
    expect(facts.webgpu).not.toBeNull();
    expect(facts.webgpu!.architecture).toBe('swiftshader');
    expect(facts.webgpu!.software).toBe(true);
    expect(facts.webgpu!.shaderF16).toBe(false);
    expect(facts.webgpu!.maxBufferSize).toBeGreaterThan(0);
    const advice = recommend(facts, { targetPlatform: 'auto', enableQuantization: true });
    expect(advice.backend).toBe('wasm');
    expect(advice.dtypes[0]).toBe('q8');
  });
});
