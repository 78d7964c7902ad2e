import { describe, expect, it } from 'vitest';
import type { BlobInfo, CachedModel } from '../index.ts';
import { modelDetails } from './model-details.ts';

const hash = (value: string) => ({ algorithm: 'sha256' as const, value });
const model: CachedModel = {
  repo: 'org/m',
  size: 30,
  lastUsed: 5,
  pinned: false,
  revisions: [
    {
      commit: 'c1',
      refs: ['main'],
      size: 30,
      lastUsed: 5,
      pinned: false,
      files: [
        { path: 'onnx/encoder_model_quantized.onnx', size: 10, hash: hash('aa') },
        { path: 'config.json', size: 20, hash: hash('bb') },
      ],
    },
  ],
};

describe('modelDetails', () => {
  it('names variants, counts other users of a blob and reports the last verification', () => {
    const blobs: BlobInfo[] = [
      {
        key: 'sha256-aa',
        hash: hash('aa'),
        size: 10,
        uses: [
          { repo: 'org/m', commit: 'c1', path: 'onnx/encoder_model_quantized.onnx' },
          { repo: 'org/other', commit: 'c9', path: 'x.onnx' },
        ],
        verifiedAt: 42,
        verifiedOk: true,
      },
      {
        key: 'sha256-bb',
        hash: hash('bb'),
        size: 20,
        uses: [{ repo: 'org/m', commit: 'c1', path: 'config.json' }],
        verifiedOk: false,
        verifiedAt: 43,
      },
    ];
    expect(modelDetails(model, blobs).revisions[0]!.files).toEqual([
      {
        path: 'onnx/encoder_model_quantized.onnx',
        size: 10,
        hash: 'sha256:aa',
        variant: 'q8',
        sharedWith: 1,
        integrity: 'ok',
        verifiedAt: 42,
      },
      { path: 'config.json', size: 20, hash: 'sha256:bb', sharedWith: 0, integrity: 'bad', verifiedAt: 43 },
    ]);
    // Stored (hashed on arrival), never re-checked since: verified at download.
    expect(
      modelDetails(model, [{ ...blobs[1]!, verifiedOk: undefined, verifiedAt: undefined, storedAt: 40 }]).revisions[0]!.files[1],
    ).toEqual({
      path: 'config.json',
      size: 20,
      hash: 'sha256:bb',
      sharedWith: 0,
      integrity: 'at-download',
      verifiedAt: 40,
    });
    expect(modelDetails(model, []).revisions[0]!.files[1]).toEqual({
      path: 'config.json',
      size: 20,
      hash: 'sha256:bb',
      sharedWith: 0,
      integrity: 'never',
    });
  });
});
