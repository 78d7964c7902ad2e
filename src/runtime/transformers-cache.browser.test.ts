import { AutoTokenizer, env } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import type { TransformersProgress } from '../index.ts';
import { hub, managersClosedAfterEach } from '../../test/support/browser.ts';

const manager = managersClosedAfterEach();
const key = (repo: string, file: string) => `${hub.url}/${repo}/resolve/main/${file}`;

describe('transformersCache()', () => {
  it('answers from the store, and downloads a missing file through Hangar first, with transformers.js-shaped progress', async () => {
    const mm = manager();
    const events: TransformersProgress[] = [];
    const cache = mm.transformersCache({ progress_callback: (event) => events.push(event) });
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
    const cache = manager().transformersCache();
    expect(await cache.match(key('hangar-test/tiny-multi', 'preprocessor_config.json'))).toBeUndefined();
    expect(await cache.match('/ort/ort-wasm-simd-threaded.jsep.wasm')).toBeUndefined();
    await cache.put(key('hangar-test/tiny-multi', 'x.json'), new Response('{}'));
    expect(await cache.match(key('hangar-test/tiny-multi', 'x.json'))).toBeUndefined();
  });

  it('transformers.js loads a tokenizer through it, every file from Hangar', async () => {
    const mm = manager();
    Object.assign(env, {
      useCustomCache: true,
      customCache: mm.transformersCache(),
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
