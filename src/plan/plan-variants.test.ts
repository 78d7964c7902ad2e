import { describe, expect, it } from 'vitest';
import { parseGraphPath, planVariants } from './plan-variants.ts';

const WHISPER = [
  'config.json',
  'generation_config.json',
  'preprocessor_config.json',
  'tokenizer.json',
  'tokenizer_config.json',
  'README.md',
  'model.safetensors',
  'onnx/encoder_model.onnx',
  'onnx/encoder_model_fp16.onnx',
  'onnx/encoder_model_quantized.onnx',
  'onnx/encoder_model_q4.onnx',
  'onnx/decoder_model_merged.onnx',
  'onnx/decoder_model_merged.onnx_data',
  'onnx/decoder_model_merged.onnx_data_1',
  'onnx/decoder_model_merged_fp16.onnx',
  'onnx/decoder_model_merged_quantized.onnx',
  'onnx/decoder_model_merged_q4f16.onnx',
];

describe('parseGraphPath', () => {
  it.each([
    ['onnx/model.onnx', 'onnx/model', 'fp32'],
    ['onnx/model_quantized.onnx', 'onnx/model', 'q8'],
    ['onnx/decoder_model_merged_q4f16.onnx', 'onnx/decoder_model_merged', 'q4f16'],
    ['onnx/decoder_model_merged_q4.onnx', 'onnx/decoder_model_merged', 'q4'],
    ['model_uint8.onnx', 'model', 'uint8'],
  ])('%s -> %s %s', (path, session, dtype) => expect(parseGraphPath(path)).toEqual({ session, dtype }));
  it('ignores non-graphs', () => expect(parseGraphPath('onnx/model.onnx_data')).toBeUndefined());
});

describe('planVariants', () => {
  it('wasm device (q8 first): quantized graphs, every config and tokenizer file, no other weights', () => {
    const plan = planVariants(WHISPER, { backend: 'wasm', dtypes: ['q8', 'int8', 'uint8', 'fp32', 'q4'] });
    expect(plan.sessions.map((s) => [s.name, s.dtype])).toEqual([
      ['onnx/decoder_model_merged', 'q8'],
      ['onnx/encoder_model', 'q8'],
    ]);
    expect(plan.files).toEqual([
      'config.json',
      'generation_config.json',
      'preprocessor_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
      'README.md',
      'onnx/encoder_model_quantized.onnx',
      'onnx/decoder_model_merged_quantized.onnx',
    ]);
    expect(plan.skipped).toContain('model.safetensors');
  });

  it('fp32 brings its external data files, in order', () => {
    const plan = planVariants(WHISPER, { backend: 'webgpu', dtypes: ['fp32'] });
    const decoder = plan.sessions.find((s) => s.name === 'onnx/decoder_model_merged')!;
    expect(decoder.externalData).toEqual(['onnx/decoder_model_merged.onnx_data', 'onnx/decoder_model_merged.onnx_data_1']);
    expect(plan.files).toEqual(expect.arrayContaining(decoder.externalData));
  });

  it('WebGPU with f16 takes fp16; a graph without the wanted dtype falls back per graph', () => {
    const plan = planVariants(WHISPER, { backend: 'webgpu', dtypes: ['q4f16', 'fp16', 'fp32'] });
    expect(plan.sessions.map((s) => s.dtype)).toEqual(['q4f16', 'fp16']);
    const odd = planVariants(['onnx/model_bnb4.onnx'], { backend: 'wasm', dtypes: ['q8'] });
    expect(odd.sessions[0]!.dtype).toBe('bnb4');
    expect(odd.reasons[0]).toMatch(/none of q8/);
  });

  it('honours transformers.js_config dtype, per session and per device', () => {
    const perSession = planVariants(WHISPER, {
      backend: 'webgpu',
      dtypes: ['fp16', 'fp32'],
      config: { dtype: { encoder_model: 'fp32', decoder_model_merged: 'q4f16' } },
    });
    expect(perSession.sessions.map((s) => s.dtype)).toEqual(['q4f16', 'fp32']);
    const perDevice = planVariants(WHISPER, {
      backend: 'wasm',
      dtypes: ['q8'],
      config: { dtype: 'fp32', device_config: { wasm: { dtype: 'q4' } } },
    });
    expect(perDevice.sessions.map((s) => [s.name, s.dtype])).toEqual([
      ['onnx/decoder_model_merged', 'q8'],
      ['onnx/encoder_model', 'q4'],
    ]);
    expect(perDevice.reasons.join(' ')).toMatch(/decoder_model_merged: config.json asks for q4/);
  });
});
