import { describe, expect, it } from 'vitest';
import { recommend } from './recommend.ts';
import type { HardwareFacts, WebGpuInfo } from './types.ts';

const gpu = (over: Partial<WebGpuInfo> = {}): WebGpuInfo => ({
  vendor: 'nvidia',
  architecture: 'ampere',
  description: '',
  software: false,
  shaderF16: true,
  maxBufferSize: 2 ** 31,
  maxStorageBufferBindingSize: 2 ** 30,
  ...over,
});

const facts = (over: Partial<HardwareFacts> = {}): HardwareFacts => ({
  webgpu: null,
  wasm: { simd: true, relaxedSimd: true, threads: true },
  crossOriginIsolated: true,
  hardwareConcurrency: 8,
  deviceMemory: 16,
  storage: { quota: 10e9, usage: 0 },
  ...over,
});

const auto = { targetPlatform: 'auto' as const, enableQuantization: true };

describe('recommend', () => {
  it('no WebGPU: wasm, 8-bit first, threads from the cores', () => {
    expect(recommend(facts(), auto)).toMatchObject({ backend: 'wasm', dtypes: ['q8', 'int8', 'uint8', 'fp32', 'q4'], threads: 4 });
    expect(recommend(facts({ hardwareConcurrency: 2 }), auto).threads).toBe(1);
  });

  it('a software adapter (SwiftShader) is never recommended over WASM', () => {
    const swiftshader = gpu({ vendor: 'google', architecture: 'swiftshader', software: true, shaderF16: false });
    const result = recommend(facts({ webgpu: swiftshader }), { ...auto, targetPlatform: 'gpu' });
    expect(result.backend).toBe('wasm');
    expect(result.reasons.join(' ')).toMatch(/software/);
  });

  it('WebGPU with f16: fp16 first; without f16: no fp16 at all', () => {
    expect(recommend(facts({ webgpu: gpu() }), auto)).toMatchObject({ backend: 'webgpu', dtypes: ['fp16', 'q4f16', 'fp32', 'q4'] });
    const noF16 = recommend(facts({ webgpu: gpu({ shaderF16: false }) }), auto);
    expect(noF16.dtypes).toEqual(['fp32', 'q4']);
  });

  it('a 2 GB device gets 4-bit weights first', () => {
    expect(recommend(facts({ deviceMemory: 2 }), auto).dtypes[0]).toBe('q4');
    expect(recommend(facts({ deviceMemory: 2, webgpu: gpu() }), auto).dtypes[0]).toBe('q4f16');
  });

  it('honours targetPlatform cpu and enableQuantization false', () => {
    expect(recommend(facts({ webgpu: gpu() }), { ...auto, targetPlatform: 'cpu' }).backend).toBe('wasm');
    expect(recommend(facts(), { ...auto, enableQuantization: false }).dtypes).toEqual(['fp32']);
  });

  it('one thread without cross-origin isolation', () => {
    const result = recommend(facts({ crossOriginIsolated: false }), auto);
    expect(result.threads).toBe(1);
    expect(result.reasons.join(' ')).toMatch(/cross-origin/);
  });
});
