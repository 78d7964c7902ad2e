import { describe, expect, it } from 'vitest';
import { managersClosedAfterEach } from '../../test/support/browser.ts';
import { noWebGpu, softwareWebGpu } from '../../test/support/engine.ts';
import { deviceKey, rememberedBackend } from './benchmark-backends.ts';
import { benchmark, createSession } from './index.ts';

const manager = managersClosedAfterEach();

describe('benchmark()', () => {
  it(`times every usable backend (wasm${noWebGpu === undefined ? ', webgpu' : ''}) on the model, picks the fastest, and remembers it for this device`, async () => {
    const mm = manager();
    const model = await mm.download('hangar-test/tiny-mlp', { files: ['onnx/model.onnx'] }).done;
    const report = await benchmark(mm, 'hangar-test/tiny-mlp', 'onnx/model.onnx', { dims: { batch: 8 }, runs: 3 });
    expect(Object.keys(report.results).sort()).toEqual(noWebGpu === undefined ? ['wasm', 'webgpu'] : ['wasm']);
    for (const timing of Object.values(report.results)) {
      expect(timing).toMatchObject({ createMs: expect.any(Number), firstRunMs: expect.any(Number), medianRunMs: expect.any(Number) });
    }
    const median = (timing: unknown): number => (timing as { medianRunMs: number }).medianRunMs;
    const fastest = Object.entries(report.results).sort(([, a], [, b]) => median(a) - median(b))[0]![0];
    expect(report.best).toBe(fastest);
    // SwiftShader is far slower than wasm; a hardware adapter may win, so only the software case is certain.
    if (noWebGpu !== undefined || softwareWebGpu) expect(report.best).toBe('wasm');
    expect(report.commit).toBe(model.commit);
    const profile = await mm.probe();
    expect(rememberedBackend(mm.config.storeName, deviceKey(profile), 'hangar-test/tiny-mlp', model.commit, 'onnx/model.onnx')).toBe(
      report.best,
    );
    expect(
      rememberedBackend(mm.config.storeName, deviceKey(profile), 'hangar-test/tiny-mlp', model.commit, 'onnx/other.onnx'),
    ).toBeUndefined();
    const opened = await createSession(mm, 'hangar-test/tiny-mlp', 'onnx/model.onnx');
    expect(opened.backend).toBe(report.best);
    await opened.session.release();
  });
});
