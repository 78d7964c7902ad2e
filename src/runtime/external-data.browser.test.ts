import { Tensor } from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { hub, managersClosedAfterEach } from '../../test/support/browser.ts';
import { cosine } from '../../test/support/cosine.ts';
import { SPECIAL, TINY_LLM } from '../../test/fixtures/llm/llm-config.ts';
import { llmWeights } from '../../test/fixtures/llm/llm-model.ts';
import { referenceForward } from '../../test/fixtures/llm/llm-reference.ts';
import { fromFloat16Bits } from '../../test/fixtures/onnx/variants.ts';

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
      const { session } = await mm.createSession(LLM, file);
      expect((await hub.stats()).requests).toEqual([]);
      const prompt = [SPECIAL.imStart, 72, 105, 33, SPECIAL.imEnd];
      const { layers, kvHeads, headDim, vocab } = TINY_LLM;
      const feeds: Record<string, Tensor> = {
        input_ids: new Tensor('int64', BigInt64Array.from(prompt, BigInt), [1, prompt.length]),
        attention_mask: new Tensor('int64', new BigInt64Array(prompt.length).fill(1n), [1, prompt.length]),
        position_ids: new Tensor(
          'int64',
          BigInt64Array.from(prompt, (_, i) => BigInt(i)),
          [1, prompt.length],
        ),
      };
      for (let i = 0; i < layers; i++)
        for (const kind of ['key', 'value'])
          feeds[`past_key_values.${i}.${kind}`] =
            dtype === 'q4f16'
              ? new Tensor('float16', new Uint16Array(0), [1, kvHeads, 0, headDim])
              : new Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
      const output = (await session.run(feeds))['logits']!;
      // float16 data comes as a Float16Array where the engine has one, else as its bits in a Uint16Array.
      const logits =
        output.data instanceof Uint16Array
          ? Float32Array.from(output.data, fromFloat16Bits)
          : Float32Array.from(output.data as ArrayLike<number>);
      expect(output.type).toBe(dtype === 'q4f16' ? 'float16' : 'float32');
      const expected = referenceForward(llmWeights(11), prompt, []).at(-1)!;
      const last = logits.subarray((prompt.length - 1) * vocab, prompt.length * vocab);
      // fp32 equals the reference; 4-bit weights (MatMulNBits) stay close to it.
      expect(cosine(last, expected)).toBeGreaterThan(minCosine);
      await session.release();
    },
  );
});
