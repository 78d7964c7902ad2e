import { describe, expect, it } from 'vitest';
import { managersClosedAfterEach } from '../../test/support/browser.ts';
import { deviceKey, rememberedBackend } from './benchmark-backends.ts';

const manager = managersClosedAfterEach();

describe('benchmark()', () => {
  it('times wasm and the SwiftShader WebGPU adapter on the model, picks wasm, and remembers it for this device', async () => {
    const mm = manager();
    const model = await mm.download('hangar-test/tiny-mlp', { files: ['onnx/model.onnx'] }).done;
    const report = await mm.benchmark('hangar-test/tiny-mlp', 'onnx/model.onnx', { dims: { batch: 8 }, runs: 3 });
    expect(Object.keys(report.results).sort()).toEqual(['wasm', 'webgpu']);
    for (const timing of Object.values(report.results)) {
      expect(timing).toMatchObject({ createMs: expect.any(Number), firstRunMs: expect.any(Number), medianRunMs: expect.any(Number) });
    }
    expect(report.best).toBe('wasm');
    expect(report.commit).toBe(model.commit);
    const profile = await mm.probe();
    expect(rememberedBackend(mm.config.storeName, deviceKey(profile), 'hangar-test/tiny-mlp', model.commit, 'onnx/model.onnx')).toBe(
      'wasm',
    );
    expect(
      rememberedBackend(mm.config.storeName, deviceKey(profile), 'hangar-test/tiny-mlp', model.commit, 'onnx/other.onnx'),
    ).toBeUndefined();
    const opened = await mm.createSession('hangar-test/tiny-mlp', 'onnx/model.onnx');
    expect(opened.backend).toBe('wasm');
    await opened.session.release();
  });
});
