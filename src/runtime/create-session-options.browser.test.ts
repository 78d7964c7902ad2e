// Session options, backends, fallback and errors: the same whatever holds the blob bytes, so this file
// runs once per engine (vitest.config.ts BACKEND_NEUTRAL); create-session.browser.test.ts reads the
// stored graph through every backend.
import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { RuntimeError, StoreError } from '../index.ts';
import { tinyMlpQuantizedOnnx } from '../../test/fixtures/onnx/tiny-mlp.ts';
import { hub, managersClosedAfterEach, rejection, uniqueName } from '../../test/support/browser.ts';
import { noWebGpu, skipIf } from '../../test/support/engine.ts';
import { expectClose } from '../../test/support/expect-close.ts';
import { runSilero } from '../../test/support/silero-run.ts';
import { createSession } from './index.ts';

const manager = managersClosedAfterEach();
const VAD = 'hangar-test/silero-vad';
const reference = inject('silero');

describe('createSession options and outcomes (first session of this page: 1 wasm thread)', () => {
  it.each(['O0', 'O1', 'O2', 'O3'] as const)('opens at %s and gives the same outputs', async (level) => {
    const mm = manager();
    await mm.download(VAD, { files: ['onnx/model.onnx'] }).done;
    const opened = await createSession(mm, VAD, 'onnx/model.onnx', { optimizationLevel: level });
    expect(opened.optimizationLevel).toBe(level);
    expectClose(await runSilero(opened.session, reference.frames), reference.probabilities, 1e-5);
    await opened.session.release();
  });

  it('runs on the WebGPU adapter when asked, and reports it', async (context) => {
    skipIf(context, noWebGpu);
    const mm = manager();
    await mm.download(VAD, { files: ['onnx/model.onnx'] }).done;
    const opened = await createSession(mm, VAD, 'onnx/model.onnx', { backend: 'webgpu' });
    expect(opened.backend).toBe('webgpu');
    expect(opened.fallback).toBeUndefined();
    expectClose(await runSilero(opened.session, reference.frames), reference.probabilities, 1e-4);
    await opened.session.release();
  });

  it('metrics(): bytes fetched and saved by the cache, create, first-run and steady latency per backend', async () => {
    const mm = manager();
    const model = await mm.download(VAD, { files: ['onnx/model.onnx'] }).done;
    await mm.download(VAD, { files: ['onnx/model.onnx'] }).done;
    const size = model.files[0]!.size;
    expect(mm.metrics().downloads).toMatchObject({ jobs: 2, failed: 0, files: 2, bytesFetched: size, bytesFromCache: size });
    const opened = await createSession(mm, VAD, 'onnx/model.onnx');
    await runSilero(opened.session, reference.frames);
    const wasm = mm.metrics().backends.wasm!;
    expect(wasm).toMatchObject({ sessions: 1, modelBytes: size, steadyRunMs: { runs: reference.frames.length - 1 } });
    expect(wasm.createMs.last).toBe(opened.createMs);
    expect(wasm.firstRunMs.last).toBeGreaterThan(0);
    expect(mm.metrics().backends.webgpu).toBeUndefined();
    await opened.session.release();
  });

  it('falls back to a lighter stored variant when the graph fails, and says so', async () => {
    const repo = `hangar-test/${uniqueName('fallback')}`;
    const q8 = tinyMlpQuantizedOnnx(1);
    await hub.addRepo({
      id: repo,
      commits: [
        {
          files: {
            'onnx/model.onnx': { base64: btoa('x'.repeat(4096)) },
            'onnx/model_quantized.onnx': { base64: btoa(String.fromCharCode(...q8)) },
          },
        },
      ],
    });
    const mm = manager();
    await mm.download(repo).done;
    const opened = await createSession(mm, repo, 'onnx/model.onnx');
    expect(opened).toMatchObject({ path: 'onnx/model_quantized.onnx', dtype: 'q8', backend: 'wasm' });
    expect(opened.fallback).toMatch(/onnx\/model.onnx on wasm failed .*opened onnx\/model_quantized.onnx on wasm/);
    await opened.session.release();
  });

  it('NOT_CACHED for a model never downloaded; SESSION_FAILED for bytes that are not ONNX', async () => {
    const mm = manager();
    expect(await rejection(createSession(mm, VAD, 'onnx/model.onnx'))).toBeInstanceOf(StoreError);
    await mm.download(VAD, { files: ['config.json'] }).done;
    const error = await rejection(createSession(mm, VAD, 'config.json'));
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.code).toBe('SESSION_FAILED');
  });
});
