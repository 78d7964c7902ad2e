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

  describe('checks the listing as a whole', () => {
    const files = { 'a.json': '{"a":1}', 'b.json': '{"b":2}', 'c.json': '{"c":3}', 'd/e.json': '{"e":5}', 'f.json': '{}' };
    const listed = async (id: string, listing: object): Promise<{ commit: string; list: () => Promise<string[]> }> => {
      hub.addRepo({ id, commits: [{ files }], listing });
      const commit = await resolveRevision({ endpoint: hub.url }, id);
      return { commit, list: async () => (await listRepoFiles({ endpoint: hub.url }, id, commit)).map((file) => file.path).sort() };
    };

    it.each(['relative', 'spaceless'] as const)('follows a %s Link (valid RFC 8288) to the end', async (link) => {
      const { list } = await listed(`hangar-test/link-${link}`, { link, pageSize: 2 });
      expect(await list()).toEqual(['a.json', 'b.json', 'c.json', 'd/e.json', 'f.json']);
    });

    it('stops at a Link that points back to a page it read, after one request per page', async () => {
      const { list } = await listed('hangar-test/link-self', { link: 'self', pageSize: 2 });
      hub.reset();
      const error = await list().catch((thrown: unknown) => thrown as HubError);
      expect(error).toMatchObject({ code: 'HUB_BAD_RESPONSE', retryable: true });
      expect((error as HubError).message).toMatch(/links back to a page it already gave/);
      expect(hub.stats().requests.filter((request) => request.url.includes('/tree/'))).toHaveLength(1);
    });

    it('refuses a listing that names a path twice', async () => {
      const { list } = await listed('hangar-test/dup', { duplicate: 'b.json', pageSize: 2 });
      await expect(list()).rejects.toMatchObject({ code: 'HUB_BAD_RESPONSE', message: expect.stringMatching(/lists b\.json twice/) });
    });

    it('a flipped byte in the listing is a retryable HUB_BAD_RESPONSE, never a silently shorter listing', async () => {
      const id = 'hangar-test/flipped';
      const { list } = await listed(id, {});
      // Every byte of the first page, one at a time: each damaged answer either fails as retryable or lists exactly what is there.
      const body = JSON.stringify(await (await fetch(`${hub.url}/api/models/${id}/tree/main?recursive=true`)).json());
      for (let at = 0; at < body.length; at += 7) {
        hub.addFault({ repo: id, origin: 'hub', api: 'tree', fault: { type: 'corrupt', atByte: at } });
        const outcome = await list().catch((thrown: unknown) => thrown as HubError);
        if (Array.isArray(outcome)) expect(outcome).toEqual(['a.json', 'b.json', 'c.json', 'd/e.json', 'f.json']);
        else expect([at, outcome.code, outcome.retryable]).toEqual([at, 'HUB_BAD_RESPONSE', true]);
      }
    });
  });
});
