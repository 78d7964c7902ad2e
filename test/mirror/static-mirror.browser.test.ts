import { AutoTokenizer, env } from '@huggingface/transformers';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { fileHash, hub, managersClosedAfterEach, plantPartial, sha256 } from '../support/browser.ts';
import { createSession } from '../../src/runtime/index.ts';

// The fake Hub's fixtures mirrored by `hangar mirror`'s code and served by Debian's nginx with
// cli/mirror/nginx/mirror.conf (test/hub/global-setup.ts): a static folder, no code, as the endpoint.
const mirrorUrl = inject('mirrorUrl');
const mirrorError = inject('mirrorError');
const manager = managersClosedAfterEach();
const TINY = 'hangar-test/tiny-multi';
const LLM = 'hangar-test/tiny-llm';

interface HubRepo {
  branches: Record<string, string>;
  tags: Record<string, string>;
  prs: Record<string, string>;
  commits: Array<{ sha: string; files: Array<{ path: string; size: number; sha256: string }> }>;
}

const hubRepo = async (repo: string): Promise<HubRepo> => (await (await fetch(`${hub.url}/__hub/repos/${repo}`)).json()) as HubRepo;
const mirrored = (options: Parameters<typeof manager>[0] = {}) => manager({ ...options, endpoint: mirrorUrl });

beforeAll(() => {
  if (mirrorError !== '') throw new Error(`no static mirror for this run: ${mirrorError}`);
});

describe('a static mirror (hangar mirror + nginx) as the endpoint', () => {
  it('downloads a branch, a tag, a PR ref and a short sha, every file verified, without asking the Hub anything', async () => {
    const expected = await hubRepo(TINY);
    await hub.reset();
    const mm = mirrored();
    const main = await mm.download(TINY).done;
    const tag = await mm.download(TINY, { revision: 'v1.0' }).done;
    const pr = await mm.download(TINY, { revision: 'refs/pr/1', files: ['onnx/model_fp16.onnx'] }).done;
    const short = await mm.download(TINY, { revision: tag.commit.slice(0, 8), files: ['config.json'] }).done;
    expect([main.commit, tag.commit, pr.commit, short.commit]).toEqual([
      expected.branches.main,
      expected.tags['v1.0'],
      expected.prs['1'],
      expected.tags['v1.0'],
    ]);
    for (const model of [main, tag, pr]) {
      for (const file of model.files) {
        const stored = await mm.cache.file(TINY, file.path, { revision: model.commit });
        expect([file.path, await fileHash(stored, file.hash.algorithm)]).toEqual([file.path, file.hash.value]);
      }
    }
    expect(await mm.cache.verify(TINY)).toMatchObject({ checked: 8, ok: 8, bad: [] });
    expect((await hub.stats()).requests).toEqual([]);
  });

  it('plans from its listing and opens an ONNX Runtime session of the planned graph with its external data', async () => {
    const mm = mirrored();
    await hub.reset();
    const plan = await mm.plan(LLM);
    const session = plan.sessions[0]!;
    expect(session.externalData).toEqual([`${session.file}_data`]);
    const model = await mm.download(LLM, { dtype: 'auto' }).done;
    expect(model.files.map((file) => file.path).sort()).toEqual([...plan.files].sort());
    const opened = await createSession(mm, LLM, session.file);
    expect(opened.session.inputNames).toContain('input_ids');
    expect(opened.session.outputNames).toContain('logits');
    await opened.session.release();
    expect((await hub.stats()).requests).toEqual([]);
  });

  it('resumes a partial download: nginx answers the Range request 206, only the rest comes over the network', async () => {
    const { commits, branches } = await hubRepo(TINY);
    const file = commits.find((commit) => commit.sha === branches.main)!.files.find((entry) => entry.path === 'onnx/model.onnx')!;
    const half = Math.floor(file.size / 2);
    const url = `${mirrorUrl}/${TINY}/resolve/${branches.main}/onnx/model.onnx`;
    const head = await fetch(url, { headers: { Range: `bytes=0-${half - 1}` } });
    // Cross-origin, so each header read here is one mirror.conf exposes (or one CORS always lets through).
    expect([head.status, head.headers.get('Content-Range'), head.headers.get('Cache-Control')]).toEqual([
      206,
      `bytes 0-${half - 1}/${file.size}`,
      'public, max-age=31536000, immutable',
    ]);
    const mm = mirrored();
    await plantPartial(mm.config.storeName, `sha256-${file.sha256}`, new Uint8Array(await head.arrayBuffer()));
    const model = await mm.download(TINY, { files: ['onnx/model.onnx'] }).done;
    expect(mm.metrics().downloads.bytesFetched).toBe(file.size - half);
    expect(model.files[0]!.hash.value).toBe(file.sha256);
    expect(await sha256(await mm.cache.file(TINY, 'onnx/model.onnx'))).toBe(file.sha256);
  });

  it('serves refs as transformers.js asks ({model}/resolve/main/…) and says what it lacks in the Hub’s terms', async () => {
    const main = await fetch(`${mirrorUrl}/${TINY}/resolve/main/config.json`);
    const tag = await fetch(`${mirrorUrl}/${TINY}/resolve/v1.0/config.json`);
    expect(JSON.parse(await main.text())).toMatchObject({ fixture_revision: 'main' });
    expect(JSON.parse(await tag.text())).toMatchObject({ fixture_revision: 'v1.0' });
    const missing = await fetch(`${mirrorUrl}/${TINY}/resolve/main/nope.json`);
    expect([missing.status, missing.headers.get('X-Error-Code')]).toEqual([404, 'EntryNotFound']);
    const mm = mirrored();
    await expect(mm.download('hangar-test/silero-vad').done).rejects.toMatchObject({ code: 'REVISION_NOT_FOUND' });
    await expect(mm.download(TINY, { files: ['nope.json'] }).done).rejects.toMatchObject({ code: 'ENTRY_NOT_FOUND' });
  });

  it('transformers.js alone loads from it with env.remoteHost: {model}/resolve/main/… through the ref symlinks', async () => {
    const saved = { ...env };
    Object.assign(env, { remoteHost: `${mirrorUrl}/`, allowLocalModels: false, useBrowserCache: false, useCustomCache: false });
    try {
      await hub.reset();
      const tokenizer = await AutoTokenizer.from_pretrained(LLM);
      expect(tokenizer.encode('Hi!', { add_special_tokens: false })).toEqual([72, 105, 33]);
      expect((await hub.stats()).requests).toEqual([]);
    } finally {
      Object.assign(env, saved);
    }
  });
});
