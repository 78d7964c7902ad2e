import { openDB } from 'idb';
import { describe, expect, it } from 'vitest';
import { ConfigError, type HardwareProfile } from '../index.ts';
import { recommend } from '../probe/index.ts';
import type { HardwareFacts } from '../probe/index.ts';
import { hub, managersClosedAfterEach, uniqueName } from '../../test/support/browser.ts';

const manager = managersClosedAfterEach();
const KB = 1024;

/** A whisper-like repo in the transformers.js layout with several variants per graph. */
async function whisperLike(config: object = { model_type: 'whisper' }): Promise<string> {
  const id = `hangar-test/${uniqueName('whisper-like')}`;
  let seed = 7000;
  const weight = (kib: number) => ({ synthetic: { size: kib * KB, seed: seed++ } });
  await hub.addRepo({
    id,
    commits: [
      {
        files: {
          'config.json': JSON.stringify(config),
          'tokenizer.json': '{"model":{}}',
          'model.safetensors': weight(64),
          'onnx/encoder_model.onnx': weight(40),
          'onnx/encoder_model_fp16.onnx': weight(20),
          'onnx/encoder_model_quantized.onnx': weight(10),
          'onnx/decoder_model_merged.onnx': weight(60),
          'onnx/decoder_model_merged.onnx_data': weight(30),
          'onnx/decoder_model_merged_fp16.onnx': weight(30),
          'onnx/decoder_model_merged_quantized.onnx': weight(15),
          'onnx/decoder_model_merged_q4.onnx': weight(8),
          'onnx/decoder_model_merged_q4f16.onnx': weight(7),
        },
      },
    ],
  });
  return id;
}

/** A causal LM repo (`…ForCausalLM` in config.json) with `onnx/model<suffix>.onnx` of the given KiB. */
async function causalLm(name: string, variants: Record<string, number>): Promise<string> {
  const id = `hangar-test/${uniqueName(name)}`;
  let seed = 8000;
  const files: Record<string, unknown> = { 'config.json': JSON.stringify({ architectures: ['LlamaForCausalLM'], model_type: 'llama' }) };
  for (const [suffix, kib] of Object.entries(variants)) files[`onnx/model${suffix}.onnx`] = { synthetic: { size: kib * KB, seed: seed++ } };
  await hub.addRepo({ id, commits: [{ files }] });
  return id;
}

const base: HardwareFacts = {
  webgpu: null,
  wasm: { simd: true, relaxedSimd: true, threads: true },
  crossOriginIsolated: true,
  hardwareConcurrency: 8,
  deviceMemory: 8,
  storage: { quota: 10e9, usage: 0 },
};
const gpu = {
  vendor: 'apple',
  architecture: 'metal-3',
  description: '',
  software: false,
  maxBufferSize: 2 ** 32,
  maxStorageBufferBindingSize: 2 ** 31,
};
const profile = (facts: Partial<HardwareFacts>): Pick<HardwareProfile, 'recommendation'> => ({
  recommendation: recommend({ ...base, ...facts }, { targetPlatform: 'auto', enableQuantization: true }),
});

describe('plan()', () => {
  it('this browser (SwiftShader only): wasm with 8-bit graphs', async () => {
    const repo = await whisperLike();
    const mm = manager();
    expect((await mm.probe()).recommendation.backend).toBe('wasm');
    const plan = await mm.plan(repo);
    expect(plan.backend).toBe('wasm');
    expect(plan.files.sort()).toEqual([
      'config.json',
      'onnx/decoder_model_merged_quantized.onnx',
      'onnx/encoder_model_quantized.onnx',
      'tokenizer.json',
    ]);
    expect(plan.bytes).toBe(25 * KB + JSON.stringify({ model_type: 'whisper' }).length + '{"model":{}}'.length);
    expect(plan.skipped).toContain('model.safetensors');
  });

  it.each<[string, Partial<HardwareFacts>, string[]]>([
    ['no WebGPU', {}, ['q8', 'q8']],
    ['WebGPU without shader-f16', { webgpu: { ...gpu, shaderF16: false } }, ['fp32', 'fp32']],
    ['WebGPU with shader-f16', { webgpu: { ...gpu, shaderF16: true } }, ['fp16', 'fp16']],
    ['a 2 GB device', { deviceMemory: 2 }, ['q4', 'q8']],
  ])('simulated profile %s -> decoder/encoder dtypes %j', async (_name, facts, dtypes) => {
    const repo = await whisperLike();
    const plan = await manager().plan(repo, { profile: profile(facts) });
    expect(plan.sessions.map((session) => session.dtype)).toEqual(dtypes);
    if (dtypes[0] === 'fp32') expect(plan.files).toContain('onnx/decoder_model_merged.onnx_data');
  });

  it('a device with little free storage gets the lightest variants, and is told why', async () => {
    const repo = await whisperLike();
    const small = { ...profile({}), storage: { quota: 20 * KB, usage: 0 } };
    const plan = await manager().plan(repo, { profile: small });
    expect(plan.sessions.map((session) => [session.name, session.dtype])).toEqual([
      ['onnx/decoder_model_merged', 'q4'],
      ['onnx/encoder_model', 'q8'],
    ]);
    expect(plan.reasons.join(' ')).toMatch(/storage free/);
    const roomy = await manager().plan(repo, { profile: { ...profile({}), storage: { quota: 10e9, usage: 0 } } });
    expect(roomy.sessions.map((session) => session.dtype)).toEqual(['q8', 'q8']);
  });

  it('a named dtype plans that variant with its size', async () => {
    const repo = await whisperLike();
    const plan = await manager().plan(repo, { dtype: 'fp16' });
    expect(plan.sessions.map((session) => [session.name, session.dtype])).toEqual([
      ['onnx/decoder_model_merged', 'fp16'],
      ['onnx/encoder_model', 'fp16'],
    ]);
    expect(plan.bytes).toBe(20 * KB + 30 * KB + JSON.stringify({ model_type: 'whisper' }).length + '{"model":{}}'.length);
  });

  it("follows config.json's transformers.js_config dtype", async () => {
    const repo = await whisperLike({
      model_type: 'whisper',
      'transformers.js_config': { dtype: { encoder_model: 'fp32', decoder_model_merged: 'q4' } },
    });
    const plan = await manager().plan(repo);
    expect(plan.sessions.map((session) => [session.name, session.dtype])).toEqual([
      ['onnx/decoder_model_merged', 'q4'],
      ['onnx/encoder_model', 'fp32'],
    ]);
  });
});

describe('download(repo, { dtype })', () => {
  it("'auto' fetches only the planned files", async () => {
    const repo = await whisperLike();
    const mm = manager();
    await hub.reset();
    const model = await mm.download(repo, { dtype: 'auto' }).done;
    expect(model.files.map((file) => file.path).sort()).toEqual(
      ['config.json', 'onnx/decoder_model_merged_quantized.onnx', 'onnx/encoder_model_quantized.onnx', 'tokenizer.json'].sort(),
    );
    const fetched = Object.keys((await hub.stats()).files).map((key) => key.slice(repo.length + 1));
    expect(fetched.filter((path) => path !== 'config.json').sort()).toEqual(
      ['onnx/decoder_model_merged_quantized.onnx', 'onnx/encoder_model_quantized.onnx', 'tokenizer.json'].sort(),
    );
  });

  it('a named dtype fetches that variant, falling back per graph', async () => {
    const repo = await whisperLike();
    const model = await manager().download(repo, { dtype: 'q4' }).done;
    const graphs = model.files.map((file) => file.path).filter((path) => path.endsWith('.onnx'));
    expect(graphs.sort()).toEqual(['onnx/decoder_model_merged_q4.onnx', 'onnx/encoder_model.onnx']);
  });

  it('dtype and files together are refused', () => {
    expect(() => manager().download('hangar-test/tiny-multi', { dtype: 'auto', files: ['config.json'] })).toThrow(ConfigError);
  });
});

describe('plan() of several variants at once', () => {
  it('reads the revision, the listing and config.json once, and each plan still picks its own variant', async () => {
    const repo = await whisperLike({ model_type: 'whisper' });
    const mm = manager();
    await mm.probe();
    await hub.reset();
    const plans = await Promise.all((['auto', 'q8', 'fp16', 'fp32'] as const).map((dtype) => mm.plan(repo, { dtype })));
    expect(plans.map((plan) => plan.files.find((path) => path.startsWith('onnx/encoder')))).toEqual([
      expect.stringMatching(/^onnx\/encoder_model/),
      'onnx/encoder_model_quantized.onnx',
      'onnx/encoder_model_fp16.onnx',
      'onnx/encoder_model.onnx',
    ]);
    const requests = (await hub.stats()).requests.map((request) => new URL(request.url).pathname);
    expect(requests.filter((path) => path.includes('/revision/'))).toHaveLength(1);
    expect(requests.filter((path) => path.includes('/tree/'))).toHaveLength(1);
    // config.json: its resolve URL once (the 307 to the resolve cache is the same read).
    expect(requests.filter((path) => path.endsWith('/config.json') && !path.startsWith('/api/'))).toHaveLength(1);

    // One caller's abort rejects only its own wait.
    const controller = new AbortController();
    const aborted = mm.plan(repo, { dtype: 'q8', signal: controller.signal });
    const other = mm.plan(repo, { dtype: 'q8' });
    controller.abort();
    await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
    expect((await other).files).toContain('onnx/encoder_model_quantized.onnx');
  });
});

describe('one metadata round per commit', () => {
  /** The metadata requests made about `repo` so far: revision, tree listing, config.json (its resolve URL). */
  async function reads(repo: string): Promise<{ revision: number; tree: number; config: number }> {
    const paths = (await hub.stats(repo)).requests.map((request) => new URL(request.url).pathname);
    return {
      revision: paths.filter((path) => path.includes('/revision/')).length,
      tree: paths.filter((path) => path.includes('/tree/')).length,
      config: paths.filter((path) => path.endsWith('/config.json') && path.includes('/resolve/')).length,
    };
  }

  it('plans again and a download right after read the listing and config.json no more: only the revision each time', async () => {
    const repo = await whisperLike();
    const mm = manager();
    await mm.probe();
    await Promise.all((['auto', 'q8', 'fp16', 'fp32'] as const).map((dtype) => mm.plan(repo, { dtype })));
    expect(await reads(repo)).toEqual({ revision: 1, tree: 1, config: 1 });
    const again = await mm.plan(repo, { dtype: 'q8' });
    expect(await reads(repo)).toEqual({ revision: 2, tree: 1, config: 1 });
    const model = await mm.download(repo, { dtype: 'q8' }).done;
    expect(model.commit).toBe(again.commit);
    expect(model.files.map((file) => file.path).sort()).toEqual([...again.files].sort());
    // The download fetched config.json as one of its files: that is its one more resolve of it.
    expect(await reads(repo)).toEqual({ revision: 3, tree: 1, config: 2 });
  });

  it('a reload (a new manager on the same store) plans from what the store kept: the revision only', async () => {
    const repo = await whisperLike();
    const first = manager();
    await first.cache.list(); // the store is open: what is read is kept there
    const before = await first.plan(repo, { dtype: 'q8' });
    first.close();
    const second = manager({ storeName: first.config.storeName });
    await second.cache.list();
    const after = await second.plan(repo, { dtype: 'q8' });
    expect(after.files).toEqual(before.files);
    expect(await reads(repo)).toEqual({ revision: 2, tree: 1, config: 1 });
  });

  it('a kept listing that lacks a file (stale or damaged) is read again when the file is asked for, and replaced', async () => {
    const repo = await whisperLike();
    const first = manager();
    await first.cache.list();
    const { commit } = await first.plan(repo);
    first.close();
    // What a damaged listing that still parsed would leave: the kept record without one of the files.
    const meta = await openDB(`${first.config.storeName}-meta`);
    const record = (await meta.get('commits', [repo, commit])) as { files: Array<{ path: string }> };
    await meta.put('commits', { ...record, files: record.files.filter((file) => file.path !== 'tokenizer.json') });
    meta.close();
    const second = manager({ storeName: first.config.storeName });
    await second.cache.list();
    const model = await second.download(repo, { files: ['tokenizer.json'] }).done;
    expect(model.files.map((file) => file.path)).toEqual(['tokenizer.json']);
    expect((await reads(repo)).tree).toBe(2);
    const third = manager({ storeName: first.config.storeName });
    await third.cache.list();
    await third.download(repo, { files: ['tokenizer.json'] }).done;
    expect((await reads(repo)).tree).toBe(2); // the listing read again was kept
  });
});

describe('plan() of an LLM repo (hangar-test/tiny-llm: fp32, fp16, q8, q4, q4f16, each with external data)', () => {
  const LLM = 'hangar-test/tiny-llm';
  it.each<[string, Partial<HardwareFacts>, string]>([
    ['no WebGPU, 8 GB', {}, 'onnx/model_quantized.onnx'],
    ['a 2 GB device', { deviceMemory: 2 }, 'onnx/model_q4.onnx'],
    [
      'WebGPU with shader-f16, 8 GB (a text-generation model: 4-bit first)',
      { webgpu: { ...gpu, shaderF16: true } },
      'onnx/model_q4f16.onnx',
    ],
    ['WebGPU without shader-f16', { webgpu: { ...gpu, shaderF16: false } }, 'onnx/model_q4.onnx'],
  ])('%s -> %s with its external data, no other weights', async (_name, facts, file) => {
    const plan = await manager().plan(LLM, { profile: profile(facts) });
    expect(plan.sessions.map((session) => [session.file, session.externalData])).toEqual([[file, [`${file}_data`]]]);
    expect(plan.files.filter((path) => path.startsWith('onnx/')).sort()).toEqual([file, `${file}_data`]);
    expect(plan.reasons.some((reason) => reason.includes('4-bit weights first'))).toBe(facts.webgpu !== undefined);
  });

  it('storage short where 4-bit outweighs 8-bit (as onnx-community/Qwen2.5-0.5B-Instruct, q4 786 MB, q8 512 MB): the lighter by size', async () => {
    // Sizes in KiB standing for the repo's MB.
    const id = await causalLm('qwen-like', { '': 199, _fp16: 100, _quantized: 51, _q4: 79, _q4f16: 48 });
    const small = profile({ deviceMemory: 2 });
    expect((await manager().plan(id, { profile: small })).sessions[0]!.file).toBe('onnx/model_q4.onnx');
    const short = await manager().plan(id, { profile: { ...small, storage: { quota: 60 * KB, usage: 0 } } });
    expect(short.sessions[0]!.file).toBe('onnx/model_quantized.onnx');
    expect(short.reasons.join(' ')).toMatch(/the lightest variants instead/);
    // Nothing the device runs is lighter than q8: the plan stays, and says so.
    const shorter = await manager().plan(id, { profile: { ...profile({}), storage: { quota: 40 * KB, usage: 0 } } });
    expect(shorter.sessions[0]!.file).toBe('onnx/model_quantized.onnx');
    expect(shorter.reasons.join(' ')).toMatch(/no variant is lighter/);
  });

  it('a repo without 8-bit weights (as HuggingFaceTB/SmolLM2-135M-Instruct): q4 on WASM, not fp32 at four times the size', async () => {
    const id = await causalLm('smollm-like', { '': 64, _fp16: 32, _q4: 20, _q4f16: 13 });
    expect((await manager().plan(id, { profile: profile({}) })).sessions[0]!.file).toBe('onnx/model_q4.onnx');
    expect((await manager().plan(id, { profile: profile({ webgpu: { ...gpu, shaderF16: true } }) })).sessions[0]!.file).toBe(
      'onnx/model_q4f16.onnx',
    );
  });

  it('storage too short for the 8-bit weights: the 4-bit ones, and why', async () => {
    const roomy = await manager().plan(LLM, { profile: profile({}) });
    const short = await manager().plan(LLM, { profile: { ...profile({}), storage: { quota: roomy.bytes - 1, usage: 0 } } });
    expect(short.sessions[0]!.file).toBe('onnx/model_q4.onnx');
    expect(short.bytes).toBeLessThan(roomy.bytes);
    expect(short.reasons.join(' ')).toMatch(/storage free/);
  });
});
