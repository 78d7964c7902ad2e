import { Tensor } from 'onnxruntime-web';
import { describe, expect, it } from 'vitest';
import { hub, managersClosedAfterEach } from '../../test/support/browser.ts';
import { cosine } from '../../test/support/cosine.ts';
import { SPECIAL, TINY_LLM } from '../../test/fixtures/llm/llm-config.ts';
import { llmWeights } from '../../test/fixtures/llm/llm-model.ts';
import { referenceForward } from '../../test/fixtures/llm/llm-reference.ts';

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
          feeds[`past_key_values.${i}.${kind}`] = new Tensor('float32', new Float32Array(0), [1, kvHeads, 0, headDim]);
      const logits = (await session.run(feeds))['logits']!.data as Float32Array;
      const expected = referenceForward(llmWeights(11), prompt, []).at(-1)!;
      const last = logits.subarray((prompt.length - 1) * vocab, prompt.length * vocab);
      // fp32 equals the reference; 4-bit weights (MatMulNBits) stay close to it.
      expect(cosine(last, expected)).toBeGreaterThan(minCosine);
      await session.release();
    },
  );
});
