import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeHub, type FakeHub } from '../../test/hub/index.ts';
import { HubError } from '../errors/index.ts';
import { listRepoFiles } from './list-repo-files.ts';
import { resolveRevision } from './resolve-revision.ts';

let hub: FakeHub;
beforeAll(async () => {
  hub = await startFakeHub({ treePageSize: 2 });
});
afterAll(() => hub.close());

const REPO = 'hangar-test/tiny-multi';

describe('resolveRevision', () => {
  it('resolves branches, tags and PR refs to distinct commits; a commit sha is taken as is', async () => {
    const context = { endpoint: hub.url };
    const main = await resolveRevision(context, REPO, 'main');
    const tag = await resolveRevision(context, REPO, 'v1.0');
    const pr = await resolveRevision(context, REPO, 'refs/pr/1');
    expect(new Set([main, tag, pr]).size).toBe(3);
    for (const sha of [main, tag, pr]) expect(sha).toMatch(/^[0-9a-f]{40}$/);
    hub.reset();
    expect(await resolveRevision(context, REPO, main)).toBe(main);
    expect(hub.stats().requests).toHaveLength(0);
  });

  it('maps Hub errors to typed errors', async () => {
    await expect(resolveRevision({ endpoint: hub.url }, REPO, 'nope')).rejects.toMatchObject({ code: 'REVISION_NOT_FOUND' });
    await expect(resolveRevision({ endpoint: hub.url }, 'hangar-test/missing')).rejects.toMatchObject({ code: 'AUTH_REQUIRED' });
    await expect(resolveRevision({ endpoint: hub.url, accessToken: 'hf_x' }, 'hangar-test/missing')).rejects.toMatchObject({
      code: 'REPO_NOT_FOUND',
    });
  });

  it('reports an unreachable endpoint as a retryable network error', async () => {
    const error = await resolveRevision({ endpoint: 'http://127.0.0.1:9' }, REPO).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).code).toBe('NETWORK');
    expect((error as HubError).retryable).toBe(true);
  });
});

describe('listRepoFiles', () => {
  it('lists every file across tree pages with sha256 for LFS files and git sha1 for the rest', async () => {
    const commit = await resolveRevision({ endpoint: hub.url }, REPO, 'main');
    const files = await listRepoFiles({ endpoint: hub.url }, REPO, commit);
    expect(files.map((file) => file.path).sort()).toEqual([
      'README.md',
      'config.json',
      'onnx/model.onnx',
      'onnx/model_quantized.onnx',
      'tokenizer.json',
    ]);
    const model = files.find((file) => file.path === 'onnx/model.onnx')!;
    expect(model).toMatchObject({ lfs: true, size: 300 * 1024, hash: { algorithm: 'sha256' } });
    const config = files.find((file) => file.path === 'config.json')!;
    expect(config.lfs).toBe(false);
    expect(config.hash.algorithm).toBe('git-sha1');
    const info = hub.addRepo({ id: 'hangar-test/check', commits: [{ files: { 'config.json': '{}' } }] });
    expect(info.commits[0]!.files[0]!.gitSha1).toMatch(/^[0-9a-f]{40}$/);
    expect(hub.stats().requests.filter((request) => request.url.includes('/tree/')).length).toBeGreaterThan(1);
  });

  it('sends the token only to the endpoint', async () => {
    hub.reset();
    const commit = await resolveRevision({ endpoint: hub.url, accessToken: 'hf_hangar_test_token' }, 'hangar-test/private-model');
    await listRepoFiles({ endpoint: hub.url, accessToken: 'hf_hangar_test_token' }, 'hangar-test/private-model', commit);
    expect(hub.stats().requests.every((request) => request.authorization === 'Bearer hf_hangar_test_token')).toBe(true);
  });

  it('rejects a listing with a path that escapes the repo', async () => {
    hub.addRepo({ id: 'hangar-test/evil', unsafePaths: true, commits: [{ files: { '../../etc/passwd': 'x' } }] });
    const commit = await resolveRevision({ endpoint: hub.url }, 'hangar-test/evil');
    await expect(listRepoFiles({ endpoint: hub.url }, 'hangar-test/evil', commit)).rejects.toMatchObject({ code: 'UNSAFE_PATH' });
  });
});
