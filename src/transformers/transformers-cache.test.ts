import { describe, expect, it } from 'vitest';
import type { DownloadJob } from '../download/index.ts';
import { HubError, StoreError } from '../errors/index.ts';
import { createTransformersCache, parseTransformersKey, type TransformersCacheDeps } from './transformers-cache.ts';

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

describe('createTransformersCache pins one commit per repo@revision', () => {
  const A = 'a'.repeat(40);
  const B = 'b'.repeat(40);
  const REPO = 'org/m';
  const key = (path: string) => `https://hub.test/${REPO}/resolve/main/${path}`;

  /** A store and a Hub in memory: `hub` is the commit main points at there, `stored` what is stored at each commit. */
  function fakes(initial: { ref?: string; stored?: Record<string, string[]>; listed?: string[] } = {}) {
    const state = {
      hub: B,
      ref: initial.ref,
      stored: new Map(Object.entries(initial.stored ?? {}).map(([commit, paths]) => [commit, new Set(paths)])),
      resolves: 0,
      downloads: [] as Array<{ revision: string | undefined; files: string[] | undefined }>,
      refs: [] as Array<[string, string]>,
    };
    const notCached = () => new StoreError('NOT_CACHED', 'not cached');
    const deps: TransformersCacheDeps = {
      endpoint: 'https://hub.test',
      localCommit: async (_repo, revision) => (revision === 'main' ? state.ref : revision),
      resolveCommit: async () => {
        state.resolves++;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return state.hub;
      },
      file: async (_repo, path, { revision }) => {
        if (!state.stored.get(revision)?.has(path)) throw notCached();
        return new File([`${revision}:${path}`], path);
      },
      load: async (repo, { revision }) => {
        const paths = state.stored.get(revision);
        if (paths === undefined) throw notCached();
        return {
          repo,
          revision,
          commit: revision,
          files: [...paths].map((path) => ({ path, size: 1, hash: { algorithm: 'sha256', value: '' } })),
        };
      },
      download: (_repo, { revision, files }) => {
        state.downloads.push({ revision, files });
        const run = async () => {
          const commit = revision === 'main' ? state.hub : revision!;
          const gone = files?.find((path) => initial.listed !== undefined && !initial.listed.includes(path));
          if (gone !== undefined) throw new HubError('ENTRY_NOT_FOUND', 'no such file', { details: { path: gone } });
          const at = state.stored.get(commit) ?? new Set();
          for (const path of files ?? []) at.add(path);
          state.stored.set(commit, at);
          if (revision === 'main') state.ref = commit;
          return { commit };
        };
        return { on: () => () => {}, done: run() } as unknown as DownloadJob;
      },
      setRef: async (_repo, revision, commit) => {
        state.refs.push([revision, commit]);
        if (revision === 'main') state.ref = commit;
      },
    };
    return { state, cache: createTransformersCache(deps) };
  }
  const text = async (response: Response | undefined) => (response === undefined ? undefined : await response.text());

  it('two concurrent misses of one repo@revision resolve the commit once and both download at it; the ref then points there', async () => {
    const { state, cache } = fakes();
    const [config, tokenizer] = await Promise.all([cache.match(key('config.json')), cache.match(key('tokenizer.json'))]);
    expect([await text(config), await text(tokenizer)]).toEqual([`${B}:config.json`, `${B}:tokenizer.json`]);
    expect(state.resolves).toBe(1);
    expect(state.downloads.map((download) => download.revision)).toEqual([B, B]);
    expect(state.ref).toBe(B);
  });

  it('a revision stored at an older commit stays on it: stored files from it, missing ones fetched at it, no Hub ask, no ref moved', async () => {
    const { state, cache } = fakes({ ref: A, stored: { [A]: ['config.json'] } });
    expect(await text(await cache.match(key('config.json')))).toBe(`${A}:config.json`);
    expect(await text(await cache.match(key('tokenizer.json')))).toBe(`${A}:tokenizer.json`);
    expect(state.resolves).toBe(0);
    expect(state.downloads).toEqual([{ revision: A, files: ['tokenizer.json'] }]);
    expect(state.refs).toEqual([]);
    expect(state.ref).toBe(A);
  });

  it('update() moves every stored file to the new commit in one job (leaving out a file it lacks), then reads there', async () => {
    const { state, cache } = fakes({
      ref: A,
      stored: { [A]: ['config.json', 'old.json', 'tokenizer.json'] },
      listed: ['config.json', 'tokenizer.json'],
    });
    expect(await text(await cache.match(key('config.json')))).toBe(`${A}:config.json`);
    expect(await cache.update(REPO)).toBe(B);
    expect(state.downloads.at(-1)).toEqual({ revision: 'main', files: ['config.json', 'tokenizer.json'] });
    expect(state.ref).toBe(B);
    expect(await text(await cache.match(key('tokenizer.json')))).toBe(`${B}:tokenizer.json`);
  });
});
