import { AutoTokenizer, env, InterruptableStoppingCriteria, pipeline, TextStreamer } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import type { TransformersProgress } from './index.ts';
import { hub, managersClosedAfterEach, uniqueName } from '../../test/support/browser.ts';
import { configureTransformers, transformersCache } from './index.ts';

const manager = managersClosedAfterEach();
const key = (repo: string, file: string) => `${hub.url}/${repo}/resolve/main/${file}`;

describe('transformersCache()', () => {
  it('answers from the store, and downloads a missing file through Hangar first, with transformers.js-shaped progress', async () => {
    const mm = manager();
    const events: TransformersProgress[] = [];
    const cache = transformersCache(mm, { progress_callback: (event) => events.push(event) });
    await hub.reset();
    const response = await cache.match(key('hangar-test/tiny-multi', 'onnx/model.onnx'));
    expect(response?.headers.get('content-length')).toBe(String(300 * 1024));
    expect((await response!.arrayBuffer()).byteLength).toBe(300 * 1024);
    expect(events.map((e) => e.status)).toEqual(expect.arrayContaining(['initiate', 'download', 'done']));
    expect((await hub.stats()).files['hangar-test/tiny-multi/onnx/model.onnx']!.requests).toBe(1);
    await hub.reset();
    expect(await cache.match(key('hangar-test/tiny-multi', 'onnx/model.onnx'))).toBeDefined();
    expect((await hub.stats()).requests).toEqual([]);
  });

  it('a file the repo lacks, and keys that are not model files, are misses', async () => {
    const cache = transformersCache(manager());
    expect(await cache.match(key('hangar-test/tiny-multi', 'preprocessor_config.json'))).toBeUndefined();
    expect(await cache.match('/ort/ort-wasm-simd-threaded.jsep.wasm')).toBeUndefined();
    await cache.put(key('hangar-test/tiny-multi', 'x.json'), new Response('{}'));
    expect(await cache.match(key('hangar-test/tiny-multi', 'x.json'))).toBeUndefined();
  });

  it('configureTransformers points env.remoteHost at the host its cache answers for, a remoteHost option included', async () => {
    const mm = manager();
    const target = { backends: { onnx: {} } } as unknown as Parameters<typeof configureTransformers>[1];
    const cache = configureTransformers(mm, target, { remoteHost: 'https://mirror.example/models' });
    expect(target.remoteHost).toBe('https://mirror.example/models/');
    // A key transformers.js builds from that host is the cache's (answered from the manager's endpoint).
    const response = await cache.match('https://mirror.example/models/hangar-test/tiny-multi/resolve/main/config.json');
    expect(response?.ok).toBe(true);
    configureTransformers(mm, target);
    expect(target.remoteHost).toBe(`${hub.url}/`);
  });

  it('transformers.js loads a tokenizer through it, every file from Hangar', async () => {
    const mm = manager();
    Object.assign(env, {
      useCustomCache: true,
      customCache: transformersCache(mm),
      remoteHost: `${hub.url}/`,
      allowLocalModels: false,
      useBrowserCache: false,
    });
    await hub.reset();
    const tokenizer = await AutoTokenizer.from_pretrained('hangar-test/tiny-tokenizer');
    expect(tokenizer.encode('tok1 tok2', { add_special_tokens: false })).toEqual([6, 7]);
    const stored = (await mm.cache.list()).find((model) => model.repo === 'hangar-test/tiny-tokenizer');
    expect(stored?.revisions[0]?.files.map((file) => file.path).sort()).toEqual(
      expect.arrayContaining(['tokenizer.json', 'tokenizer_config.json']),
    );
    // Every request for the repo's files came from Hangar's engine (resolve at a commit), none from transformers.js itself.
    const resolves = (await hub.stats()).requests.filter((request) => request.url.includes('/resolve/'));
    expect(resolves.length).toBeGreaterThan(0);
    expect(resolves.every((request) => /\/resolve\/[0-9a-f]{40}\//.test(request.url))).toBe(true);
  });
});

describe('transformersCache() on a branch that moved', () => {
  it('loads every file from the commit it has stored, missing ones fetched at it, until update() moves them all to the new one', async () => {
    // Commit A: the fixture tokenizer (tok1 -> 6, tok2 -> 7), model_max_length 128. Commit B: tok1 and tok2 swapped, 256.
    const base = (await (await fetch(`${hub.url}/hangar-test/tiny-tokenizer/resolve/main/tokenizer.json`)).json()) as {
      model: { vocab: Record<string, number> };
    };
    const swapped = structuredClone(base);
    [swapped.model.vocab.tok1, swapped.model.vocab.tok2] = [base.model.vocab.tok2!, base.model.vocab.tok1!];
    const tokenizerConfig = (max: number) =>
      JSON.stringify({ tokenizer_class: 'PreTrainedTokenizerFast', unk_token: '[UNK]', pad_token: '[PAD]', model_max_length: max });
    const id = `hangar-test/${uniqueName('moving-tokenizer')}`;
    const commitA = {
      files: {
        'config.json': '{"model_type":"bert"}',
        'tokenizer.json': JSON.stringify(base),
        'tokenizer_config.json': tokenizerConfig(128),
      },
    };
    const a = (await hub.addRepo({ id, commits: [commitA] })).branches.main!;
    const mm = manager();
    // Partly stored at A: the tokenizer's config, not its vocabulary.
    await mm.download(id, { files: ['config.json', 'tokenizer_config.json'] }).done;
    const commitB = { files: { 'tokenizer.json': JSON.stringify(swapped), 'tokenizer_config.json': tokenizerConfig(256) } };
    const b = (await hub.addRepo({ id, commits: [commitA, commitB] })).branches.main!;
    expect(b).not.toBe(a);
    const load = async () => {
      const tokenizer = await AutoTokenizer.from_pretrained(id);
      return { ids: tokenizer.encode('tok1 tok2', { add_special_tokens: false }), max: tokenizer.model_max_length };
    };
    const stored = async () => {
      const model = await mm.cache.load(id);
      return { commit: model.commit, paths: model.files.map((file) => file.path).sort() };
    };
    const all = ['config.json', 'tokenizer.json', 'tokenizer_config.json'];

    const cache = configureTransformers(mm, env);
    expect(await load()).toEqual({ ids: [6, 7], max: 128 });
    // The missing file came at A, so local main stays on A, whose snapshot now holds every file.
    expect(await stored()).toEqual({ commit: a, paths: all });
    // A new adapter starts from the stored commit too (offline-first), with no request.
    await hub.reset();
    configureTransformers(mm, env);
    expect(await load()).toEqual({ ids: [6, 7], max: 128 });
    expect((await hub.stats(id)).requests).toEqual([]);

    // update() is the deliberate step: every stored file at B in one job, then local main moves.
    env.customCache = cache;
    expect(await cache.update(id)).toBe(b);
    expect(await stored()).toEqual({ commit: b, paths: all });
    await hub.reset();
    expect(await load()).toEqual({ ids: [7, 6], max: 256 });
    configureTransformers(mm, env);
    expect(await load()).toEqual({ ids: [7, 6], max: 256 });
    expect((await hub.stats(id)).requests).toEqual([]);
  });
});

describe('configureTransformers()', () => {
  it('runs the Whisper pipeline end to end from Hangar: every file from the store, ONNX Runtime from this origin, no request when cached', async () => {
    // Earlier files of the run may have filled the resource timing buffer (250 entries by default).
    performance.clearResourceTimings();
    const mm = manager();
    const events: TransformersProgress[] = [];
    const cache = configureTransformers(mm, env, { progress_callback: (event) => events.push(event) });
    const keys: string[] = [];
    const match = cache.match.bind(cache);
    cache.match = (key) => (keys.push(key), match(key));
    await hub.reset();
    const load = () => pipeline('automatic-speech-recognition', 'hangar-test/whisper-tiny', { dtype: 'q8', device: 'wasm' });
    const asr = await load();
    const audio = Float32Array.from({ length: 16000 * 8 }, (_, i) => 0.3 * Math.sin(i * 0.05));
    const out = (await asr(audio, { return_timestamps: true, language: 'en' })) as { text: string; chunks: Array<{ timestamp: number[] }> };
    expect(out.text.trim().split(' ').length).toBeGreaterThan(3);
    expect(out.chunks[0]!.timestamp[0]).toBeGreaterThanOrEqual(0);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.every((key) => key.includes('hangar-test/whisper-tiny/'))).toBe(true);

    const stored = (await mm.cache.list()).find((model) => model.repo === 'hangar-test/whisper-tiny')!;
    expect(stored.revisions[0]!.files.map((file) => file.path).sort()).toEqual([
      'config.json',
      'generation_config.json',
      'onnx/decoder_model_merged_quantized.onnx',
      'onnx/encoder_model_quantized.onnx',
      'preprocessor_config.json',
      'tokenizer.json',
      'tokenizer_config.json',
    ]);
    const requests = (await hub.stats()).requests;
    const resolves = requests.filter((request) => request.url.includes('/resolve/'));
    expect(resolves.every((request) => /\/resolve\/[0-9a-f]{40}\//.test(request.url))).toBe(true);
    // main was resolved to a commit once; every later file was fetched at that commit.
    expect(requests.filter((request) => request.url.includes('/api/models/hangar-test/whisper-tiny/revision/'))).toHaveLength(1);
    expect(events.filter((event) => event.status === 'done').map((event) => event.file)).toContain('onnx/encoder_model_quantized.onnx');
    expect(
      performance
        .getEntriesByType('resource')
        .map((entry) => entry.name)
        .filter((url) => url.includes('ort-wasm')),
    ).toEqual(expect.arrayContaining([expect.stringMatching(new RegExp(`^${location.origin}/ort-transformers/`))]));
    await asr.dispose();

    await hub.reset();
    const again = await load();
    expect((await again(audio, { language: 'en' })) as { text: string }).toHaveProperty('text');
    expect((await hub.stats()).requests).toEqual([]);
    await again.dispose();
  });
});

describe('text generation through Hangar (hangar-test/tiny-llm)', () => {
  it('streams tokens from a q4 model with external data, stops within a token when interrupted, and loads again with no request', async () => {
    const mm = manager();
    configureTransformers(mm, env);
    await hub.reset();
    const load = () => pipeline('text-generation', 'hangar-test/tiny-llm', { dtype: 'q4', device: 'wasm' });
    const generator = await load();
    const stored = (await mm.cache.list()).find((model) => model.repo === 'hangar-test/tiny-llm')!;
    expect(stored.revisions[0]!.files.map((file) => file.path).filter((path) => path.startsWith('onnx/'))).toEqual([
      'onnx/model_q4.onnx',
      'onnx/model_q4.onnx_data',
    ]);
    const prompt = generator.tokenizer.apply_chat_template<false>([{ role: 'user', content: 'Tidy this up' }], {
      tokenize: false,
      add_generation_prompt: true,
    });

    // Streaming: each token arrives through the streamer as it is generated (text is flushed at word ends).
    const pieces: string[] = [];
    let streamed = 0;
    const streamer = new TextStreamer(generator.tokenizer, {
      skip_prompt: true,
      callback_function: (text: string) => pieces.push(text),
      token_callback_function: () => streamed++,
    });
    const full = (await generator(prompt, { max_new_tokens: 12, do_sample: false, streamer, return_full_text: false })) as Array<{
      generated_text: string;
    }>;
    // Uninterrupted it runs past the point where the interrupted run below must stop.
    expect(streamed).toBeGreaterThanOrEqual(6);
    expect(pieces.join('')).toBe(full[0]!.generated_text);

    // Interrupted after the third token: generation ends there, not at max_new_tokens.
    const stop = new InterruptableStoppingCriteria();
    let tokens = 0;
    const counting = new TextStreamer(generator.tokenizer, {
      skip_prompt: true,
      callback_function: () => {},
      token_callback_function: () => {
        if (++tokens === 3) stop.interrupt();
      },
    });
    await generator(prompt, { max_new_tokens: 40, do_sample: false, streamer: counting, stopping_criteria: stop });
    expect(tokens).toBeLessThanOrEqual(4);
    await generator.dispose();

    await hub.reset();
    const again = await load();
    await again(prompt, { max_new_tokens: 2, do_sample: false });
    expect((await hub.stats()).requests).toEqual([]);
    await again.dispose();
  });
});
