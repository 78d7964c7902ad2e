import { openAsBlob } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { tinyMlpOnnx } from '../../test/fixtures/onnx/tiny-mlp.ts';
import { RuntimeError } from '../errors/index.ts';
import { readOnnxHeader } from './read-onnx-header.ts';

const silero = (name: string) => openAsBlob(createRequire(import.meta.url).resolve(`@ricky0123/vad-web/dist/${name}`));

describe('readOnnxHeader', () => {
  it('reads the tiny MLP: IR, opset, inputs and outputs with symbolic and fixed dims', async () => {
    const header = await readOnnxHeader(new Blob([tinyMlpOnnx(1)]));
    expect(header).toMatchObject({
      irVersion: 8,
      producer: 'hangar-fixtures',
      opsets: [{ domain: '', version: 13 }],
      inputs: [{ name: 'input', elemType: 'float32', shape: ['batch', 4] }],
      outputs: [{ name: 'logits', elemType: 'float32', shape: ['batch', 2] }],
      initializers: 4,
      nodes: 5,
    });
  });

  it('reads the real Silero VAD v5 header', async () => {
    const header = await readOnnxHeader(await silero('silero_vad_v5.onnx'));
    expect(header.inputs.map((i) => [i.name, i.elemType])).toEqual([
      ['input', 'float32'],
      ['state', 'float32'],
      ['sr', 'int64'],
    ]);
    expect(header.outputs.map((o) => o.name)).toEqual(['output', 'stateN']);
    expect(header.opsets.length).toBeGreaterThan(0);
  });

  it.each<[string, () => Promise<Blob>]>([
    ['truncated in the middle', async () => (await silero('silero_vad_v5.onnx')).slice(0, 1_000_000)],
    ['truncated in a header', async () => new Blob([tinyMlpOnnx(1).slice(0, 40)])],
    ['JSON, not ONNX', async () => new Blob(['{"model_type":"bert"}'])],
    ['random bytes', async () => new Blob([Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 251)])],
    ['empty', async () => new Blob([])],
  ])('rejects %s with MODEL_INVALID', async (_name, make) => {
    const error = await readOnnxHeader(await make(), 'x.onnx').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RuntimeError);
    expect((error as RuntimeError).code).toBe('MODEL_INVALID');
  });
});
