import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { listFiles, modelInfo, pathsInfo } from '@huggingface/hub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN, gitBlobSha1, isLfsPath, lfsPointer, startFakeHub, syntheticBytes, type FakeHub, type RepoInfo } from './index';
import { REPO_ROOT } from './server';

const KB = 1024;
const TOKEN = DEFAULT_TOKEN;
const TINY = 'hangar-test/tiny-multi';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const gitSha1 = (b: Uint8Array) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');
const bearer = (token = TOKEN) => ({ Authorization: `Bearer ${token}` });

let hub: FakeHub;
let paged: FakeHub;
let tiny: RepoInfo;

async function get(path: string, init?: RequestInit): Promise<Response> {
  return fetch(`${hub.url}${path}`, init);
}
async function json<T = any>(path: string, init?: RequestInit): Promise<T> {
  const r = await get(path, init);
  expect(r.status, `${path}: ${r.status}`).toBe(200);
  return (await r.json()) as T;
}
async function bytes(r: Response): Promise<Buffer> {
  return Buffer.from(await r.arrayBuffer());
}
function commit(i: number) {
  const c = tiny.commits[i];
  if (!c) throw new Error(`no commit ${i}`);
  return c;
}
function fileOf(i: number, path: string) {
  const f = commit(i).files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} at ${i}`);
  return f;
}

beforeAll(async () => {
  hub = await startFakeHub();
  paged = await startFakeHub({ treePageSize: 2 });
  tiny = (await (await fetch(`${hub.url}/__hub/repos/${TINY}`)).json()) as RepoInfo;
});
afterAll(async () => {
  await Promise.all([hub?.close(), paged?.close()]);
});

describe('repo model', () => {
  it('builds deterministic 40-hex commit shas and refs', async () => {
    expect(tiny.commits.map((c) => c.sha)).toHaveLength(3);
    for (const c of tiny.commits) expect(c.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(tiny.branches).toEqual({ main: commit(1).sha });
    expect(tiny.tags).toEqual({ 'v1.0': commit(0).sha });
    expect(tiny.prs).toEqual({ '1': commit(2).sha });
    const again = (await (await fetch(`${paged.url}/__hub/repos/${TINY}`)).json()) as RepoInfo;
    expect(again.commits.map((c) => c.sha)).toEqual(tiny.commits.map((c) => c.sha));
  });

  it('hashes files like git and LFS', () => {
    const model = fileOf(0, 'onnx/model.onnx');
    const content = syntheticBytes(1, 0, 300 * KB);
    expect(model.lfs).toBe(true);
    expect(model.sha256).toBe(sha256(content));
    expect(model.gitSha1).toBe(gitSha1(Buffer.from(lfsPointer(sha256(content), content.length))));
    expect(fileOf(1, 'onnx/model.onnx').sha256).toBe(sha256(syntheticBytes(3, 0, 300 * KB)));
    expect(fileOf(1, 'onnx/model_quantized.onnx')).toEqual(fileOf(0, 'onnx/model_quantized.onnx'));
    expect(fileOf(0, 'config.json').lfs).toBe(false);
    expect(fileOf(0, 'config.json').gitSha1).not.toBe(fileOf(1, 'config.json').gitSha1);
    expect(commit(2).files.map((f) => f.path)).toContain('onnx/model_fp16.onnx');
  });

  it('classifies LFS paths', () => {
    for (const p of ['a.onnx', 'x/model.onnx_data', 'model.onnx_data_1', 'w.bin', 'm.safetensors', 's.wav'])
      expect(isLfsPath(p, 1)).toBe(true);
    for (const p of ['config.json', 'README.md', 'onnx/data.txt']) expect(isLfsPath(p, 100)).toBe(false);
    expect(isLfsPath('big.txt', 10 * 1024 * 1024)).toBe(true);
  });

  it('synthetic content is randomly addressable', () => {
    const whole = syntheticBytes(7, 0, 200_000);
    expect(syntheticBytes(7, 65_530, 20)).toEqual(whole.subarray(65_530, 65_550));
    expect(syntheticBytes(7, 131_072, 5000).equals(whole.subarray(131_072, 136_072))).toBe(true);
    expect(syntheticBytes(8, 0, 100)).not.toEqual(whole.subarray(0, 100));
  });

  it('deletes files with null and replaces repos', async () => {
    const info = hub.addRepo({
      id: 'unit/deletes',
      commits: [{ files: { 'a.txt': 'a', 'b.txt': 'b' } }, { files: { 'a.txt': null } }],
      tags: { first: 0 },
    });
    expect(info.commits[1]?.files.map((f) => f.path)).toEqual(['b.txt']);
    expect((await get('/unit/deletes/resolve/main/a.txt')).status).toBe(404);
    expect(await (await get('/unit/deletes/resolve/first/a.txt')).text()).toBe('a');
    expect(() => hub.addRepo({ id: 'bad id', commits: [{ files: {} }] })).toThrow(/repo id/);
    expect(() => hub.addRepo({ id: 'unit/x', commits: [{ files: {} }], branches: { main: 3 } })).toThrow(/missing commit/);
  });

  it('caches the hashes of large synthetic files on disk', async () => {
    const size = 9 * 1024 * 1024 + 5;
    const cache = join(REPO_ROOT, 'node_modules/.cache/hangar-fake-hub', `424242-${size}.json`);
    rmSync(cache, { force: true });
    const info = hub.addRepo({ id: 'unit/big', commits: [{ files: { 'weights.bin': { synthetic: { size, seed: 424242 } } } }] });
    expect(existsSync(cache)).toBe(true);
    const cached = JSON.parse(readFileSync(cache, 'utf8')) as { sha256: string };
    expect(cached.sha256).toBe(info.commits[0]?.files[0]?.sha256);
    const body = await bytes(await get('/unit/big/resolve/main/weights.bin'));
    expect(body.length).toBe(size);
    expect(sha256(body)).toBe(cached.sha256);
  });
});

describe('model info', () => {
  it('answers at the default branch, HEAD, branch, tag, commit and refs/pr/N', async () => {
    const base = `/api/models/${TINY}`;
    const main = await json(base);
    expect(main).toMatchObject({
      id: TINY,
      modelId: TINY,
      sha: commit(1).sha,
      private: false,
      gated: false,
      disabled: false,
      downloads: 0,
      likes: 0,
      tags: [],
    });
    expect(main._id).toMatch(/^[0-9a-f]{24}$/);
    expect(typeof main.lastModified).toBe('string');
    expect(main.siblings.map((s: { rfilename: string }) => s.rfilename).sort()).toEqual(
      ['README.md', 'config.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'tokenizer.json'].sort(),
    );
    expect(main.siblings[0]).toEqual({ rfilename: main.siblings[0].rfilename });
    expect((await json(`${base}/revision/HEAD`)).sha).toBe(commit(1).sha);
    expect((await json(`${base}/revision/main?expand=sha&expand=siblings&expand=gated`)).sha).toBe(commit(1).sha);
    expect((await json(`${base}/revision/v1.0`)).sha).toBe(commit(0).sha);
    expect((await json(`${base}/revision/${commit(0).sha}`)).sha).toBe(commit(0).sha);
    const pr = await json(`${base}/revision/refs%2Fpr%2F1`);
    expect(pr.sha).toBe(commit(2).sha);
    expect(pr.siblings.map((s: { rfilename: string }) => s.rfilename)).toContain('onnx/model_fp16.onnx');
    expect((await json(`${base}/revision/refs/pr/1`)).sha).toBe(commit(2).sha);
  });

  it('adds size, blobId and lfs with blobs=true', async () => {
    const info = await json(`/api/models/${TINY}/revision/v1.0?blobs=true`);
    const model = info.siblings.find((s: { rfilename: string }) => s.rfilename === 'onnx/model.onnx');
    const f = fileOf(0, 'onnx/model.onnx');
    expect(model).toEqual({
      rfilename: 'onnx/model.onnx',
      size: 300 * KB,
      blobId: f.gitSha1,
      lfs: { sha256: f.sha256, size: 300 * KB, pointerSize: Buffer.byteLength(lfsPointer(f.sha256, f.size)) },
    });
    const config = info.siblings.find((s: { rfilename: string }) => s.rfilename === 'config.json');
    expect(config).toEqual({ rfilename: 'config.json', size: fileOf(0, 'config.json').size, blobId: fileOf(0, 'config.json').gitSha1 });
  });

  it('works with @huggingface/hub modelInfo', async () => {
    const info = await modelInfo({ name: TINY, hubUrl: hub.url, fetch, additionalFields: ['sha'] });
    expect(info.sha).toBe(commit(1).sha);
    expect(info.name).toBe(TINY);
    const tagged = await modelInfo({ name: TINY, hubUrl: hub.url, fetch, revision: 'refs/pr/1', additionalFields: ['sha'] });
    expect(tagged.sha).toBe(commit(2).sha);
    const gated = await modelInfo({ name: 'hangar-test/gated-model', hubUrl: hub.url, fetch });
    expect(gated.gated).toBe('manual');
  });
});

describe('tree', () => {
  const tree = `/api/models/${TINY}/tree`;

  it('lists recursively with directories and LFS info', async () => {
    const entries = await json<Array<Record<string, any>>>(`${tree}/main?recursive=true&expand=false`);
    expect(entries.map((e) => e.path)).toEqual([
      'README.md',
      'config.json',
      'onnx',
      'onnx/model.onnx',
      'onnx/model_quantized.onnx',
      'tokenizer.json',
    ]);
    const f = fileOf(1, 'onnx/model.onnx');
    expect(entries.find((e) => e.path === 'onnx/model.onnx')).toEqual({
      type: 'file',
      oid: f.gitSha1,
      size: f.size,
      path: f.path,
      lfs: { oid: f.sha256, size: f.size, pointerSize: Buffer.byteLength(lfsPointer(f.sha256, f.size)) },
      xetHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(entries.find((e) => e.path === 'onnx/model.onnx')?.xetHash).not.toBe(f.sha256);
    expect(entries.find((e) => e.path === 'onnx')).toMatchObject({ type: 'directory', size: 0 });
    expect(entries.find((e) => e.path === 'onnx')?.oid).toMatch(/^[0-9a-f]{40}$/);
    expect(entries.find((e) => e.path === 'config.json')).toEqual({
      type: 'file',
      oid: fileOf(1, 'config.json').gitSha1,
      size: fileOf(1, 'config.json').size,
      path: 'config.json',
    });
  });

  it('lists one level without recursive, and sub-folders', async () => {
    const root = await json<Array<{ path: string; type: string }>>(`${tree}/main?recursive=false`);
    expect(root.map((e) => `${e.type}:${e.path}`)).toEqual(['file:README.md', 'file:config.json', 'directory:onnx', 'file:tokenizer.json']);
    const onnx = await json<Array<{ path: string }>>(`${tree}/refs%2Fpr%2F1/onnx`);
    expect(onnx.map((e) => e.path)).toEqual(['onnx/model.onnx', 'onnx/model_fp16.onnx', 'onnx/model_quantized.onnx']);
    const raw = await json<Array<{ path: string }>>(`${tree}/refs/pr/1/onnx?recursive=true`);
    expect(raw.map((e) => e.path)).toEqual(onnx.map((e) => e.path));
    expect((await json<unknown[]>(`${tree}/v1.0/onnx`)).length).toBe(2);
    expect((await json<unknown[]>(`${tree}/${commit(0).sha}/onnx`)).length).toBe(2);
  });

  it('adds lastCommit with expand', async () => {
    const entries = await json<Array<{ path: string; lastCommit: { id: string; title: string; date: string } }>>(
      `${tree}/refs%2Fpr%2F1?recursive=true&expand=true`,
    );
    const by = (p: string) => entries.find((e) => e.path === p)?.lastCommit;
    expect(by('README.md')?.id).toBe(commit(0).sha);
    expect(by('config.json')).toMatchObject({ id: commit(1).sha, title: 'Retrain with 3 layers' });
    expect(by('onnx/model_fp16.onnx')?.id).toBe(commit(2).sha);
    expect(by('onnx')?.id).toBe(commit(2).sha);
  });

  it('paginates with an absolute Link rel=next carrying a cursor', async () => {
    const seen: string[] = [];
    let url: string | undefined = `${paged.url}${tree}/main?recursive=true&expand=false`;
    let pages = 0;
    while (url) {
      const r: Response = await fetch(url);
      expect(r.status).toBe(200);
      const page = (await r.json()) as Array<{ path: string }>;
      expect(page.length).toBeLessThanOrEqual(2);
      seen.push(...page.map((e) => e.path));
      pages++;
      const link = r.headers.get('link');
      url = link ? /^<([^>]+)>; rel="next"$/.exec(link)?.[1] : undefined;
      if (url) {
        expect(url.startsWith(`${paged.url}/api/models/`)).toBe(true);
        expect(new URL(url).searchParams.get('cursor')).toBeTruthy();
        expect(new URL(url).searchParams.get('recursive')).toBe('true');
      }
    }
    expect(pages).toBe(3);
    expect(seen).toEqual(['README.md', 'config.json', 'onnx', 'onnx/model.onnx', 'onnx/model_quantized.onnx', 'tokenizer.json']);
    const limited = await fetch(`${hub.url}${tree}/main?recursive=true&limit=4`);
    expect(((await limited.json()) as unknown[]).length).toBe(4);
    expect(limited.headers.get('link')).toMatch(/cursor=/);
    expect((await fetch(`${hub.url}${tree}/main?recursive=true`)).headers.get('link')).toBeNull();
  });

  it('works with @huggingface/hub listFiles (unencoded revision in the path, pagination)', async () => {
    const all = [];
    for await (const e of listFiles({ repo: TINY, hubUrl: paged.url, fetch, recursive: true })) all.push(e);
    expect(all.filter((e) => e.type === 'file').map((e) => e.path)).toEqual([
      'README.md',
      'config.json',
      'onnx/model.onnx',
      'onnx/model_quantized.onnx',
      'tokenizer.json',
    ]);
    const pr = [];
    for await (const e of listFiles({ repo: TINY, hubUrl: paged.url, fetch, revision: 'refs/pr/1', path: 'onnx' })) pr.push(e);
    expect(pr.map((e) => e.path)).toEqual(['onnx/model.onnx', 'onnx/model_fp16.onnx', 'onnx/model_quantized.onnx']);
    expect(pr[0]?.lfs?.oid).toBe(fileOf(2, 'onnx/model.onnx').sha256);
    const priv = [];
    for await (const e of listFiles({ repo: 'hangar-test/private-model', hubUrl: hub.url, fetch, recursive: true, accessToken: TOKEN }))
      priv.push(e.path);
    expect(priv).toEqual(['config.json', 'onnx', 'onnx/model.onnx']);
  });

  it('answers paths-info (JSON and form bodies)', async () => {
    const infos = await pathsInfo({
      repo: TINY,
      hubUrl: hub.url,
      fetch,
      revision: 'refs/pr/1',
      paths: ['onnx/model_fp16.onnx', 'onnx', 'missing'],
    });
    expect(infos.map((i) => [i.type, i.path])).toEqual([
      ['file', 'onnx/model_fp16.onnx'],
      ['directory', 'onnx'],
    ]);
    const form = await get(`/api/models/${TINY}/paths-info/main`, {
      method: 'POST',
      body: new URLSearchParams([
        ['paths', 'config.json'],
        ['expand', 'true'],
      ]),
    });
    const entries = (await form.json()) as Array<{ path: string; lastCommit?: { id: string } }>;
    expect(entries.map((e) => [e.path, e.lastCommit?.id])).toEqual([['config.json', commit(1).sha]]);
  });

  it('404s a missing path with EntryNotFound', async () => {
    const r = await get(`${tree}/main/nope`);
    expect(r.status).toBe(404);
    expect(r.headers.get('x-error-code')).toBe('EntryNotFound');
  });
});

describe('resolve', () => {
  const resolve = `/${TINY}/resolve`;

  it('serves small files with the git sha1 as ETag', async () => {
    for (const [rev, i] of [
      ['main', 1],
      ['v1.0', 0],
      [commit(0).sha, 0],
      ['refs%2Fpr%2F1', 2],
    ] as const) {
      const r = await get(`${resolve}/${rev}/config.json`);
      expect(r.status).toBe(200);
      const body = await bytes(r);
      expect(r.headers.get('etag')).toBe(`"${gitSha1(body)}"`);
      expect(gitSha1(body)).toBe(gitBlobSha1(body));
      expect(gitSha1(body)).toBe(fileOf(i, 'config.json').gitSha1);
      expect(r.headers.get('x-repo-commit')).toBe(commit(i).sha);
      // Gzip-compressed and chunked, as the live Hub sends text: no Content-Length.
      expect(r.headers.get('content-encoding')).toBe('gzip');
      expect(r.headers.get('content-length')).toBeNull();
      expect(r.headers.get('accept-ranges')).toBe('bytes');
      expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    }
    const identity = await get(`${resolve}/main/config.json`, { headers: { 'Accept-Encoding': 'identity' } });
    expect(identity.headers.get('content-encoding')).toBeNull();
    expect(identity.headers.get('content-length')).toBe(String(fileOf(1, 'config.json').size));
    expect((await get(`${resolve}/main/config.json`)).headers.get('access-control-expose-headers')).not.toMatch(/content-encoding/i);
    expect(JSON.parse(await (await get(`${resolve}/v1.0/config.json`)).text()).num_hidden_layers).toBe(2);
    expect(JSON.parse(await (await get(`${resolve}/main/config.json`)).text()).num_hidden_layers).toBe(3);
  });

  it('sends small files through a relative 307 to the resolve cache, as the live Hub does', async () => {
    const r = await get(`${resolve}/main/config.json`, { redirect: 'manual' });
    expect(r.status).toBe(307);
    const location = r.headers.get('location') ?? '';
    expect(location).toMatch(new RegExp(`^/api/resolve-cache/models/${TINY}/${commit(1).sha}/config\\.json\\?`));
    expect(r.headers.get('x-repo-commit')).toBe(commit(1).sha);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    const cached = await get(location, { headers: { Range: 'bytes=2-' } });
    expect(cached.status).toBe(206);
    expect(cached.headers.get('content-range')).toBe(`bytes 2-${fileOf(1, 'config.json').size - 1}/${fileOf(1, 'config.json').size}`);
  });

  it('redirects LFS files to the CDN with linked etag and size', async () => {
    const f = fileOf(0, 'onnx/model.onnx');
    const r = await get(`${resolve}/v1.0/onnx/model.onnx`, { redirect: 'manual' });
    expect(r.status).toBe(302);
    const location = r.headers.get('location') ?? '';
    // A signed xet-bridge URL, as the live Hub gives: the CDN's ETag is the Xet hash, the sha256 is in X-Linked-Etag.
    const signed = new URL(location);
    expect(signed.origin + signed.pathname).toMatch(new RegExp(`^${hub.cdnUrl}/xet-bridge-us/[0-9a-f]{64}$`));
    for (const name of ['Expires', 'Policy', 'Signature', 'Key-Pair-Id', 'X-Xet-Signed-Range'])
      expect(signed.searchParams.get(name), name).toBeTruthy();
    expect(r.headers.get('x-xet-hash')).toBe(signed.pathname.split('/').pop());
    expect(r.headers.get('link')).toMatch(/rel="xet-auth".*rel="xet-reconstruction-info"/);
    expect(r.headers.get('x-linked-etag')).toBe(`"${f.sha256}"`);
    expect(r.headers.get('x-linked-size')).toBe(String(f.size));
    expect(r.headers.get('x-repo-commit')).toBe(commit(0).sha);
    expect(r.headers.get('etag')).toBeTruthy();
    expect((await r.text()).length).toBeGreaterThan(0);
    const followed = await get(`${resolve}/v1.0/onnx/model.onnx`);
    expect(followed.status).toBe(200);
    expect(followed.url.startsWith(hub.cdnUrl)).toBe(true);
    expect(followed.headers.get('etag')).toBe(`"${signed.pathname.split('/').pop()}"`);
    expect(followed.headers.get('etag')).not.toBe(`"${f.sha256}"`);
    // Unsigned, or with a signature the CDN did not issue: 403.
    expect((await fetch(`${hub.cdnUrl}${signed.pathname}`)).status).toBe(403);
    signed.searchParams.set('Signature', 'forged');
    expect((await fetch(signed)).status).toBe(403);
    const body = await bytes(followed);
    expect(body.length).toBe(f.size);
    expect(sha256(body)).toBe(f.sha256);
    expect(body.equals(syntheticBytes(1, 0, f.size))).toBe(true);
  });

  it('serves the silero-vad files from node_modules', async () => {
    const disk = readFileSync(join(REPO_ROOT, 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx'));
    const r = await get('/hangar-test/silero-vad/resolve/main/onnx/model.onnx');
    expect(sha256(await bytes(r))).toBe(sha256(disk));
    const legacy = readFileSync(join(REPO_ROOT, 'node_modules/@ricky0123/vad-web/dist/silero_vad_legacy.onnx'));
    expect(sha256(await bytes(await get('/hangar-test/silero-vad/resolve/main/onnx/model_legacy.onnx')))).toBe(sha256(legacy));
    expect(JSON.parse(await (await get('/hangar-test/silero-vad/resolve/main/config.json')).text())).toEqual({ model_type: 'silero_vad' });
  });

  it('answers Range with 206 and 416 on both origins', async () => {
    const small = await bytes(await get(`${resolve}/main/tokenizer.json`));
    const total = small.length;
    const part = await get(`${resolve}/main/tokenizer.json`, { headers: { Range: 'bytes=5-9' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 5-9/${total}`);
    expect(await bytes(part)).toEqual(small.subarray(5, 10));
    const open = await get(`${resolve}/main/tokenizer.json`, { headers: { Range: 'bytes=100-' } });
    expect(open.headers.get('content-range')).toBe(`bytes 100-${total - 1}/${total}`);
    expect(await bytes(open)).toEqual(small.subarray(100));
    const suffix = await get(`${resolve}/main/tokenizer.json`, { headers: { Range: 'bytes=-10' } });
    expect(await bytes(suffix)).toEqual(small.subarray(total - 10));
    const bad = await get(`${resolve}/main/tokenizer.json`, { headers: { Range: `bytes=${total}-` } });
    expect(bad.status).toBe(416);
    expect(bad.headers.get('content-range')).toBe(`bytes */${total}`);

    const f = fileOf(1, 'onnx/model.onnx');
    const cdn = await get(`${resolve}/main/onnx/model.onnx`, { headers: { Range: 'bytes=70000-70099' } });
    expect(cdn.status).toBe(206);
    expect(cdn.url.startsWith(hub.cdnUrl)).toBe(true);
    expect(cdn.headers.get('content-range')).toBe(`bytes 70000-70099/${f.size}`);
    expect(await bytes(cdn)).toEqual(syntheticBytes(3, 70000, 100));
    const beyond = await get(`${resolve}/main/onnx/model.onnx`, { headers: { Range: `bytes=${f.size + 5}-` } });
    expect(beyond.status).toBe(416);
    expect(beyond.headers.get('content-range')).toBe(`bytes */${f.size}`);
  });

  it('answers HEAD with headers only', async () => {
    const small = await get(`${resolve}/main/config.json`, { method: 'HEAD' });
    expect(small.status).toBe(200);
    expect(small.headers.get('content-length')).toBe(String(fileOf(1, 'config.json').size));
    expect(small.headers.get('etag')).toBe(`"${fileOf(1, 'config.json').gitSha1}"`);
    expect((await bytes(small)).length).toBe(0);
    const lfs = await get(`${resolve}/main/onnx/model.onnx`, { method: 'HEAD', redirect: 'manual' });
    expect(lfs.status).toBe(302);
    expect(lfs.headers.get('x-linked-size')).toBe(String(300 * KB));
    const cdn = await fetch(lfs.headers.get('location') ?? '', { method: 'HEAD' });
    expect(cdn.status).toBe(200);
    expect(cdn.headers.get('content-length')).toBe(String(300 * KB));
    expect(cdn.headers.get('etag')).toBe(`"${lfs.headers.get('x-xet-hash')}"`);
  });

  it('serves LFS pointers on /raw/', async () => {
    const f = fileOf(1, 'onnx/model.onnx');
    const r = await get(`/${TINY}/raw/main/onnx/model.onnx`);
    const text = await r.text();
    expect(text).toBe(lfsPointer(f.sha256, f.size));
    expect(r.headers.get('etag')).toBe(`"${f.gitSha1}"`);
  });
});

describe('errors', () => {
  async function expectError(path: string, status: number, code: string | null, init?: RequestInit): Promise<Response> {
    const r = await get(path, { redirect: 'manual', ...init });
    expect(r.status, path).toBe(status);
    expect(r.headers.get('x-error-code'), path).toBe(code);
    expect(r.headers.get('x-error-message'), path).toBeTruthy();
    // API errors are JSON; resolve errors are plain text, as on the live Hub.
    if (path.startsWith('/api/')) expect(((await r.clone().json()) as { error: string }).error).toBeTruthy();
    else {
      expect(r.headers.get('content-type'), path).toMatch(/^text\/plain/);
      expect(await r.clone().text()).toBe(r.headers.get('x-error-message'));
    }
    return r;
  }

  it('answers missing repos like the Hub', async () => {
    await expectError('/api/models/nobody/nothing', 401, null);
    await expectError('/nobody/nothing/resolve/main/config.json', 401, null);
    await expectError('/api/models/nobody/nothing', 404, 'RepoNotFound', { headers: bearer() });
    await expectError('/nobody/nothing/resolve/main/config.json', 404, 'RepoNotFound', { headers: bearer() });
    await expectError('/api/models/nobody/nothing', 401, null, { headers: { Authorization: 'Bearer not-a-hub-token' } });
  });

  it('answers missing revisions and files', async () => {
    await expectError(`/api/models/${TINY}/revision/nope`, 404, 'RevisionNotFound');
    await expectError(`/api/models/${TINY}/tree/nope`, 404, 'RevisionNotFound');
    await expectError(`/${TINY}/resolve/nope/config.json`, 404, 'RevisionNotFound');
    await expectError(`/${TINY}/resolve/refs%2Fpr%2F9/config.json`, 404, 'RevisionNotFound');
    const r = await expectError(`/${TINY}/resolve/main/missing.json`, 404, 'EntryNotFound');
    expect(r.headers.get('x-repo-commit')).toBe(commit(1).sha);
    await expectError(`/${TINY}/resolve/v1.0/onnx/model_fp16.onnx`, 404, 'EntryNotFound');
  });

  it('guards private repos', async () => {
    const repo = 'hangar-test/private-model';
    const r = await get(`/api/models/${repo}`, { redirect: 'manual' });
    expect(r.status).toBe(401);
    expect(r.headers.get('x-error-code')).toBeNull();
    await expectError(`/${repo}/resolve/main/config.json`, 401, null);
    expect((await get(`/api/models/${repo}`, { headers: bearer('hf_someone_else') })).status).toBe(403);
    expect((await get(`/${repo}/resolve/main/onnx/model.onnx`, { headers: bearer('hf_someone_else'), redirect: 'manual' })).status).toBe(
      403,
    );
    expect(await json(`/api/models/${repo}`, { headers: bearer() })).toMatchObject({ private: true });
    expect((await get(`/${repo}/resolve/main/onnx/model.onnx`, { headers: bearer(), redirect: 'manual' })).status).toBe(302);
    const body = await bytes(await get(`/${repo}/resolve/main/onnx/model.onnx`, { headers: bearer() }));
    expect(body.length).toBe(100 * KB);
  });

  it('guards gated repo files but not metadata', async () => {
    const repo = 'hangar-test/gated-model';
    expect(await json(`/api/models/${repo}`)).toMatchObject({ gated: 'manual' });
    expect((await json<unknown[]>(`/api/models/${repo}/tree/main?recursive=true`)).length).toBe(3);
    await expectError(`/${repo}/resolve/main/config.json`, 401, 'GatedRepo');
    await expectError(`/${repo}/resolve/main/onnx/model.onnx`, 403, 'GatedRepo', { headers: bearer('hf_no_access') });
    expect((await get(`/${repo}/resolve/main/config.json`, { headers: bearer() })).status).toBe(200);
  });
});

describe('revisions and ids the live Hub also accepts', () => {
  it('resolves a short sha (7+ hex digits) in the API and in resolve URLs', async () => {
    const short = commit(0).sha.slice(0, 7);
    expect((await json(`/api/models/${TINY}/revision/${short}`)).sha).toBe(commit(0).sha);
    const r = await get(`/${TINY}/resolve/${short}/config.json`);
    expect(r.status).toBe(200);
    expect(r.headers.get('x-repo-commit')).toBe(commit(0).sha);
  });

  it("answers a renamed repo's former id with a relative 307 to the current one", async () => {
    hub.addRepo({ id: 'hangar-test/renamed-now', aliases: ['old-org/renamed-before'], commits: [{ files: { 'a.json': '{}' } }] });
    const r = await get('/api/models/old-org/renamed-before/revision/main?expand=sha', { redirect: 'manual' });
    expect(r.status).toBe(307);
    expect(r.headers.get('location')).toBe('/api/models/hangar-test/renamed-now/revision/main?expand=sha');
    const file = await get('/old-org/renamed-before/resolve/main/a.json', { redirect: 'manual' });
    expect(file.headers.get('location')).toBe('/hangar-test/renamed-now/resolve/main/a.json');
    expect((await json('/api/models/old-org/renamed-before/revision/main')).id).toBe('hangar-test/renamed-now');
  });

  it('answers expand= with those fields only, plus _id and id', async () => {
    const info = await json(`/api/models/${TINY}/revision/main?expand=sha&expand=private`);
    expect(Object.keys(info).sort()).toEqual(['_id', 'id', 'private', 'sha']);
  });
});

describe('CORS', () => {
  const expose =
    'X-Repo-Commit, X-Request-Id, X-Error-Code, X-Error-Message, X-Total-Count, ETag, Link, Accept-Ranges, Content-Range, X-Linked-Size, X-Linked-ETag, X-Xet-Hash';

  it('sets CORS headers on every hub response, errors included', async () => {
    for (const path of [
      `/api/models/${TINY}`,
      `/${TINY}/resolve/main/config.json`,
      '/api/models/nobody/nothing',
      `/${TINY}/resolve/main/onnx/model.onnx`,
      '/__hub/stats',
    ]) {
      const r = await get(path, { headers: { Origin: 'http://127.0.0.1:5173' }, redirect: 'manual' });
      expect(r.headers.get('access-control-allow-origin'), path).toBe('http://127.0.0.1:5173');
      expect(r.headers.get('vary'), path).toMatch(/Origin/);
      expect(r.headers.get('access-control-expose-headers'), path).toBe(expose);
      expect(r.headers.get('cross-origin-resource-policy'), path).toBe('cross-origin');
      expect(r.headers.get('x-request-id'), path).toBeTruthy();
    }
    expect(expose).not.toMatch(/Retry-After/i);
    expect((await get(`/api/models/${TINY}`)).headers.get('access-control-allow-origin')).toBe('*');
  });

  it('answers preflights', async () => {
    const r = await get(`/${TINY}/resolve/main/config.json`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://127.0.0.1:5173',
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': 'authorization,range',
      },
    });
    expect(r.status).toBe(204);
    expect(r.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:5173');
    expect(r.headers.get('access-control-allow-methods')).toBe('GET, HEAD, POST, DELETE, OPTIONS');
    expect(r.headers.get('access-control-allow-headers')).toBe('authorization, range, content-type, accept');
    expect(r.headers.get('access-control-max-age')).toBe('86400');
    const cdn = await fetch(`${hub.cdnUrl}/xet-bridge-us/${'ab'.repeat(32)}`, {
      method: 'OPTIONS',
      headers: { Origin: 'null', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'range' },
    });
    expect(cdn.status).toBe(204);
    expect(cdn.headers.get('access-control-allow-origin')).toBe('*');
    expect(cdn.headers.get('access-control-allow-headers')).toBe('range');
  });

  it("sets the CDN's CORS headers", async () => {
    const r = await get(`/${TINY}/resolve/main/onnx/model.onnx`, { headers: { Range: 'bytes=0-0' } });
    expect(r.url.startsWith(hub.cdnUrl)).toBe(true);
    expect(r.headers.get('access-control-allow-origin')).toBe('*');
    expect(r.headers.get('access-control-expose-headers')).toBe('*');
    expect(r.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const missing = await fetch(`${hub.cdnUrl}/xet-bridge-us/${'ab'.repeat(32)}`);
    expect(missing.status).toBe(403);
    expect(missing.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('control API', () => {
  it('adds repos over HTTP with string, base64 and synthetic files', async () => {
    const def = {
      id: 'control/http-repo',
      commits: [
        {
          files: {
            'a.txt': 'hello',
            'b.bin': { base64: Buffer.from([1, 2, 3]).toString('base64') },
            'c.onnx': { synthetic: { size: 1000, seed: 5 } },
          },
        },
      ],
    };
    const r = await get('/__hub/repos', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'http://x.test' },
      body: JSON.stringify(def),
    });
    expect(r.status).toBe(200);
    expect(r.headers.get('access-control-allow-origin')).toBe('http://x.test');
    const info = (await r.json()) as RepoInfo;
    expect(info.branches.main).toBe(info.commits[0]?.sha);
    expect(info.commits[0]?.files.map((f) => [f.path, f.size, f.lfs])).toEqual([
      ['a.txt', 5, false],
      ['b.bin', 3, true],
      ['c.onnx', 1000, true],
    ]);
    expect(await (await get('/control/http-repo/resolve/main/a.txt')).text()).toBe('hello');
    expect([...(await bytes(await get('/control/http-repo/resolve/main/b.bin')))]).toEqual([1, 2, 3]);
    expect(await bytes(await get('/control/http-repo/resolve/main/c.onnx'))).toEqual(syntheticBytes(5, 0, 1000));
    const bad = await get('/__hub/repos', {
      method: 'POST',
      body: JSON.stringify({ id: 'x/y', commits: [{ files: { a: { diskPath: '/etc/passwd' } } }] }),
    });
    expect(bad.status).toBe(400);
  });

  it('adds faults, reads stats and resets over HTTP', async () => {
    hub.addRepo({ id: 'control/faulty', commits: [{ files: { 'a.txt': 'hello' } }] });
    const post = (path: string, body: unknown) =>
      get(path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const { id } = (await (await post('/__hub/faults', { repo: 'control/faulty', fault: { type: 'status', status: 503 } })).json()) as {
      id: string;
    };
    expect(id).toBeTruthy();
    expect((await get('/control/faulty/resolve/main/a.txt')).status).toBe(503);
    expect((await get('/control/faulty/resolve/main/a.txt')).status).toBe(200);
    const stats = (await (await get('/__hub/stats?repo=control/faulty')).json()) as {
      files: Record<string, { statuses: number[] }>;
      requests: unknown[];
    };
    expect(stats.files['control/faulty/a.txt']?.statuses).toEqual([503, 200]);
    expect(stats.requests).toHaveLength(4); // each: the 307 to the resolve cache, then the answer
    const forever = (await (
      await post('/__hub/faults', { repo: 'control/faulty', times: 0, fault: { type: 'status', status: 500 } })
    ).json()) as { id: string };
    expect((await get('/control/faulty/resolve/main/a.txt')).status).toBe(500);
    expect(await (await get(`/__hub/faults/${forever.id}`, { method: 'DELETE' })).json()).toEqual({ removed: true });
    expect((await get('/control/faulty/resolve/main/a.txt')).status).toBe(200);
    expect((await post('/__hub/faults', { fault: { type: 'explode' } })).status).toBe(400);
    await post('/__hub/faults', { repo: 'control/faulty', times: 0, fault: { type: 'status', status: 500 } });
    expect((await post('/__hub/reset', {})).status).toBe(200);
    expect((await get('/control/faulty/resolve/main/a.txt')).status).toBe(200);
    expect(Object.keys(hub.stats().files)).toEqual(['control/faulty/a.txt']);
    expect((await get(`/api/models/${TINY}`)).status).toBe(200);
  });
});

describe('lifecycle', () => {
  it('closes promptly with a stalled download in flight', async () => {
    const h = await startFakeHub({ fixtures: false });
    h.addRepo({ id: 'life/stall', commits: [{ files: { 'a.txt': 'x'.repeat(5000) } }] });
    h.addFault({ repo: 'life/stall', fault: { type: 'stall', afterBytes: 10 } });
    const res = await fetch(`${h.url}/life/stall/resolve/main/a.txt`);
    const pending = res.arrayBuffer().catch((e: unknown) => e);
    const t = Date.now();
    await h.close();
    expect(Date.now() - t).toBeLessThan(1000);
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe('cli', () => {
  it('starts on the given ports and stops on SIGTERM', async () => {
    const child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), join(REPO_ROOT, 'test/hub/cli.ts'), '--port', '0', '--cdn-port', '0'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /fake hub: (http:\/\/\S+)/.exec(out);
        if (m?.[1] && /fake cdn: http/.test(out)) resolve(m[1]);
      });
      child.once('exit', (code) => reject(new Error(`cli exited ${code}: ${out}`)));
    });
    expect((await fetch(`${url}/api/models/${TINY}`)).status).toBe(200);
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 30_000);
});

describe('an emulated slow link (setLink, for benchmarks)', () => {
  it('holds every answer back by the latency and sends file bodies at the rate; undefined restores loopback', async () => {
    const id = 'bench/link-test';
    hub.addRepo({ id, commits: [{ files: { 'w.bin': { synthetic: { size: 2 * 2 ** 20, seed: 77 } } } }] });
    const timed = async (path: string): Promise<{ ms: number; body: Buffer }> => {
      const started = performance.now();
      const r = await get(path);
      expect(r.status).toBe(200);
      const body = await bytes(r);
      return { ms: performance.now() - started, body };
    };
    hub.setLink({ latencyMs: 150, bytesPerSecond: 8 * 2 ** 20 });
    try {
      // An API answer: one latency. A file: a latency at the Hub, one at the CDN, then 2 MiB at 8 MiB/s.
      expect((await timed(`/api/models/${id}`)).ms).toBeGreaterThanOrEqual(145);
      const slow = await timed(`/${id}/resolve/main/w.bin`);
      expect(slow.ms).toBeGreaterThanOrEqual(2 * 145 + 230);
      expect(sha256(slow.body)).toBe(sha256(syntheticBytes(77, 0, 2 * 2 ** 20)));
    } finally {
      hub.setLink(undefined);
    }
    expect((await timed(`/${id}/resolve/main/w.bin`)).ms).toBeLessThan(250);
  });
});
