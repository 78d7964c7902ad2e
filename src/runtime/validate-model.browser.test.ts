import { describe, expect, it } from 'vitest';
import { RuntimeError } from '../index.ts';
import { hub, managersClosedAfterEach, rejection, uniqueName } from '../../test/support/browser.ts';
import { validate } from './index.ts';

const manager = managersClosedAfterEach();

describe('validate()', () => {
  it('a good fp32 graph: header, and a smoke run on synthetic inputs', async () => {
    const mm = manager();
    await mm.download('hangar-test/tiny-mlp').done;
    const report = await validate(mm, 'hangar-test/tiny-mlp', 'onnx/model.onnx', { dims: { batch: 16 } });
    expect(report.ok).toBe(true);
    expect(report.header.inputs).toEqual([{ name: 'input', elemType: 'float32', shape: ['batch', 4] }]);
    expect(report.smoke).toMatchObject({ ok: true, outputs: { logits: [32] } });
    expect(report.comparison).toBeUndefined();
  });

  it('a good q8 variant matches fp32 within the threshold', async () => {
    const mm = manager();
    await mm.download('hangar-test/tiny-mlp').done;
    const report = await validate(mm, 'hangar-test/tiny-mlp', 'onnx/model_quantized.onnx', { dims: { batch: 16 } });
    expect(report.dtype).toBe('q8');
    expect(report.comparison).toMatchObject({ reference: 'onnx/model.onnx', ok: true });
    expect((report.comparison as { cosine: number }).cosine).toBeGreaterThan(0.999);
    expect(report.ok).toBe(true);
  });

  it('catches a quantized variant whose outputs are wrong', async () => {
    const mm = manager();
    await mm.download('hangar-test/tiny-mlp-bad-q8').done;
    const report = await validate(mm, 'hangar-test/tiny-mlp-bad-q8', 'onnx/model_quantized.onnx', { dims: { batch: 16 } });
    expect(report.smoke.ok).toBe(true);
    expect(report.comparison).toMatchObject({ reference: 'onnx/model.onnx', ok: false });
    expect((report.comparison as { maxAbsDiff: number }).maxAbsDiff).toBeGreaterThan(0.5);
    expect(report.ok).toBe(false);
  });

  it('says when the fp32 reference is not cached instead of fetching it', async () => {
    const mm = manager();
    await mm.download('hangar-test/tiny-mlp', { files: ['onnx/model_quantized.onnx'] }).done;
    const report = await validate(mm, 'hangar-test/tiny-mlp', 'onnx/model_quantized.onnx');
    expect(report.comparison).toEqual({ reference: 'onnx/model.onnx', skipped: 'the fp32 variant is not cached' });
  });

  it('runs the real Silero VAD with given inputs, and reports (not throws) a smoke run that fails', async () => {
    const mm = manager();
    await mm.download('hangar-test/silero-vad', { files: ['onnx/model.onnx'] }).done;
    const inputs = {
      sr: { data: [16000n], dims: [] },
      input: { data: new Float32Array(512).fill(0.1), dims: [1, 512] },
      state: { data: new Float32Array(256), dims: [2, 1, 128] },
    };
    const report = await validate(mm, 'hangar-test/silero-vad', 'onnx/model.onnx', { inputs });
    expect(report.header.inputs.map((i) => i.name)).toEqual(['input', 'state', 'sr']);
    expect(report.smoke).toMatchObject({ ok: true, outputs: { output: [1], stateN: [256] } });
    const synthetic = await validate(mm, 'hangar-test/silero-vad', 'onnx/model.onnx'); // symbolic dims of 1 are too short for it
    expect(synthetic.smoke).toMatchObject({ ok: false, error: expect.stringMatching(/Pad/) });
    expect(synthetic.ok).toBe(false);
  });

  it.each<[string, () => Uint8Array | string]>([
    ['a truncated graph', () => new Uint8Array(2000).fill(0x08)],
    ['a file that is not ONNX', () => '<html><body>gateway</body></html>'],
  ])('rejects %s with MODEL_INVALID', async (_name, bytes) => {
    const repo = `hangar-test/${uniqueName('bad-onnx')}`;
    const content = bytes();
    const source = typeof content === 'string' ? content : { base64: btoa(String.fromCharCode(...content)) };
    await hub.addRepo({ id: repo, commits: [{ files: { 'onnx/model.onnx': source } }] });
    const mm = manager();
    await mm.download(repo).done;
    const error = await rejection(validate(mm, repo, 'onnx/model.onnx'));
    expect(error).toBeInstanceOf(RuntimeError);
    expect(error.code).toBe('MODEL_INVALID');
  });
});
