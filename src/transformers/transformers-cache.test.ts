import { describe, expect, it } from 'vitest';
import { parseTransformersKey } from './transformers-cache.ts';

describe('parseTransformersKey', () => {
  const host = 'https://huggingface.co/';
  it.each([
    [
      'https://huggingface.co/onnx-community/whisper-tiny/resolve/main/onnx/encoder_model.onnx',
      'onnx-community/whisper-tiny',
      'main',
      'onnx/encoder_model.onnx',
    ],
    ['https://huggingface.co/org/m/resolve/refs%2Fpr%2F1/config.json', 'org/m', 'refs/pr/1', 'config.json'],
    ['https://huggingface.co/gpt2/resolve/v1.0/a%20b.json', 'gpt2', 'v1.0', 'a b.json'],
    ['/models/org/m/tokenizer.json', 'org/m', 'main', 'tokenizer.json'],
  ])('%s', (key, repo, revision, path) => expect(parseTransformersKey(key, host, '/models/')).toEqual({ repo, revision, path }));

  it.each([
    'https://cdn.jsdelivr.net/npm/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm',
    '/ort/ort-wasm-simd-threaded.jsep.wasm',
    '/models/m/x',
  ])('ignores %s', (key) => expect(parseTransformersKey(key, host, '/models/')).toBeUndefined());
});
