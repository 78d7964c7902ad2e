import { Tensor, type InferenceSession } from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { hub, managersClosedAfterEach } from '../../test/support/browser.ts';
import { cosine } from '../../test/support/cosine.ts';
import { SPECIAL, TINY_LLM } from '../../test/fixtures/llm/llm-config.ts';
import { llmWeights } from '../../test/fixtures/llm/llm-model.ts';
import { referenceForward } from '../../test/fixtures/llm/llm-reference.ts';
import { fromFloat16Bits } from '../../test/fixtures/onnx/variants.ts';
import { noWebGpu, skipIf } from '../../test/support/engine.ts';
import { createSession } from './index.ts';

const manager = managersClosedAfterEach();
const LLM = 'hangar-test/tiny-llm';

describe('an LLM repo: graphs with external data', () => {
  it('download by dtype fetches the variant with its external data only', async () => {
    const mm = manager();
    await hub.reset();
    const model = await mm.download(LLM, { dtype: 'q8' }).done;
    const weights = model.files.map((file) => file.path).filter((path) => path.startsWith('onnx/'));
    expect(weights.sort()).toEqual(['onnx/model_quantized.onnx', 'onnx/model_quantized.onnx_data']);
    expect(Object.keys((await hub.stats()).files).filter((key) => key.includes('onnx_data'))).toEqual([
      `${LLM}/onnx/model_quantized.onnx_data`,
    ]);
  });

  it.for([
    ['fp32', 'onnx/model.onnx', 0.99999],
    ['q4', 'onnx/model_q4.onnx', 0.95],
    // float16 key values in, float16 logits out, as real q4f16 exports (made for WebGPU) have.
    ['q4f16', 'onnx/model_q4f16.onnx', 0.95],
  ] as const)(
    'createSession opens graph + external data from the store (%s), its logits the reference model’s',
    async ([dtype, file, minCosine]) => {
      const mm = manager();
      const model = await mm.download(LLM, { dtype }).done;
      expect(model.files.map((f) => f.path)).toContain(`${file}_data`);
      await hub.reset();
      const { session } = await createSession(mm, LLM, file);
      expect((await hub.stats()).requests).toEqual([]);
      expect(cosine(await lastLogits(session, dtype === 'q4f16'), reference())).toBeGreaterThan(minCosine);
      await session.release();
    },
  );

  // fp32 only: on SwiftShader's adapter ORT's WebGPU backend gives wrong logits for the fixture's
  // 8-bit embedding (DequantizeLinear + Gather), which its q8 and q4 variants share (NaN, cosine -0.19).
  it.for([['fp32', 'onnx/model.onnx', 0.9999]] as const)('and on the WebGPU adapter (%s)', async ([dtype, file, minCosine], context) => {
    skipIf(context, noWebGpu);
    const mm = manager();
    await mm.download(LLM, { dtype }).done;
    const opened = await createSession(mm, LLM, file, { backend: 'webgpu', variantFallback: false });
    expect([opened.backend, opened.fallback]).toEqual(['webgpu', undefined]);
    expect(cosine(await lastLogits(opened.session, false), reference())).toBeGreaterThan(minCosine);
    await opened.session.release();
  });
});

const PROMPT = [SPECIAL.imStart, 72, 105, 33, SPECIAL.imEnd];

/** The JS reference model's logits for the prompt's last token. */
const reference = (): Float32Array => referenceForward(llmWeights(11), PROMPT, []).at(-1)!;

/** Runs the prompt with an empty cache; the last token's logits (`half`: float16 key values in, float16 logits out). */
async function lastLogits(session: InferenceSession, half: boolean): Promise<Float32Array> {
  const { layers, kvHeads, headDim, vocab } = TINY_LLM;
  const feeds: Record<string, Tensor> = {
    input_ids: new Tensor('int64', BigInt64Array.from(PROMPT, BigInt), [1, PROMPT.length]),
    attention_mask: new Tensor('int64', new BigInt64Array(PROMPT.length).fill(1n), [1, PROMPT.length]),
    position_ids: new Tensor(
      'int64',
      BigInt64Array.from(PROMPT, (_, i) => BigInt(i)),
      [1, PROMPT.length],
    ),
  };
  for (let i = 0; i < layers; i++)
    for (const kind of ['key', 'value'])
      feeds[`past_key_values.${i}.${kind}`] = half
        ? new Tensor('float16', new Uint16Array(0), [1, kvHeads, 0, headDim])
        : new Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
  const output = (await session.run(feeds))['logits']!;
  expect(output.type).toBe(half ? 'float16' : 'float32');
  // float16 data comes as a Float16Array where the engine has one, else as its bits in a Uint16Array.
  const logits =
    output.data instanceof Uint16Array
      ? Float32Array.from(output.data, fromFloat16Bits)
      : Float32Array.from(output.data as ArrayLike<number>);
  return logits.subarray((PROMPT.length - 1) * vocab, PROMPT.length * vocab);
}
