import { describe, expect, it } from 'vitest';
import { planVariants } from 'hangar';
import { isPartial, isStored, storedBytes, storedCount, storedPlan } from './stored-variant.ts';

const REPO = [
  'config.json',
  'tokenizer.json',
  'onnx/encoder_model.onnx',
  'onnx/encoder_model_quantized.onnx',
  'onnx/decoder_model_merged.onnx',
  'onnx/decoder_model_merged_quantized.onnx',
];
const files = (...paths: string[]) => paths.map((path) => ({ path, size: 10 }));
const q8 = planVariants(REPO, { backend: 'wasm', dtypes: ['q8'] });

describe('what is stored of a variant', () => {
  it('all of it, some of its weights (a stopped download), or only shared configs', () => {
    const all = files(...q8.files);
    expect(isStored(q8, all)).toBe(true);
    expect(isPartial(q8, all)).toBe(false);
    const stopped = files('config.json', 'tokenizer.json', 'onnx/encoder_model_quantized.onnx');
    expect(isStored(q8, stopped)).toBe(false);
    expect(isPartial(q8, stopped)).toBe(true);
    expect(storedCount(q8, stopped)).toBe(3);
    // Configs every variant shares do not make a variant "partly stored".
    expect(isPartial(q8, files('config.json', 'tokenizer.json'))).toBe(false);
    expect(isPartial(q8, undefined)).toBe(false);
    expect(storedBytes(q8.files, stopped)).toBe(30);
  });

  it('plans offline from the stored files only when the variant is all there', () => {
    const stored = files('config.json', 'tokenizer.json', 'onnx/encoder_model_quantized.onnx', 'onnx/decoder_model_merged_quantized.onnx');
    expect(storedPlan(stored, 'q8', ['q8'], 'wasm')?.sessions.map((session) => session.dtype)).toEqual(['q8', 'q8']);
    expect(storedPlan(stored, 'auto', ['q8', 'fp32'], 'wasm')).toBeDefined();
    // fp32 is not stored: planVariants would fall back to q8, which must not count as fp32.
    expect(storedPlan(stored, 'fp32', ['q8'], 'wasm')).toBeUndefined();
    expect(storedPlan(undefined, 'q8', ['q8'], 'wasm')).toBeUndefined();
  });
});
