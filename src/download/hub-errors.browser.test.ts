import { describe, expect, it } from 'vitest';
import { HubError, type HangarOptions } from '../index.ts';
import { cdnUrl, hub, rejection, syntheticRepo, managersClosedAfterEach } from '../../test/support/browser.ts';

const manager = managersClosedAfterEach();

const TOKEN = 'hf_hangar_test_token';

async function failsWith(options: HangarOptions, repo: string, code: string, revision?: string): Promise<void> {
  const error = await rejection(manager(options).download(repo, revision === undefined ? {} : { revision }).done);
  expect(error).toBeInstanceOf(HubError);
  expect(error.code).toBe(code);
}

describe('Hub errors map to typed errors', () => {
  it('unknown repo: 401 anonymous -> AUTH_REQUIRED, 404 with a token -> REPO_NOT_FOUND', async () => {
    await failsWith({}, 'hangar-test/does-not-exist', 'AUTH_REQUIRED');
    await failsWith({ accessToken: TOKEN }, 'hangar-test/does-not-exist', 'REPO_NOT_FOUND');
  });

  it('unknown revision -> REVISION_NOT_FOUND, also for a commit sha', async () => {
    await failsWith({}, 'hangar-test/tiny-multi', 'REVISION_NOT_FOUND', 'no-such-branch');
    await failsWith({}, 'hangar-test/tiny-multi', 'REVISION_NOT_FOUND', '0'.repeat(40));
  });

  it('a malformed repo id is refused at once, without a request', () => {
    expect(() => manager().download('../etc')).toThrow(HubError);
  });

  it('private repo: 401 without a token, 403 with a wrong one, and a download with the right one', async () => {
    await failsWith({}, 'hangar-test/private-model', 'AUTH_REQUIRED');
    await failsWith({ accessToken: 'hf_wrong_token' }, 'hangar-test/private-model', 'AUTH_FORBIDDEN');
    await hub.reset();
    const mm = manager({ accessToken: TOKEN });
    const model = await mm.download('hangar-test/private-model').done;
    expect(model.files.length).toBeGreaterThan(1);
    const stats = await hub.stats();
    expect(stats.cdnAuthorizationSeen).toBe(0);
    const cdnRequests = stats.requests.filter((request) => request.origin === 'cdn');
    expect(cdnRequests.length).toBeGreaterThan(0);
    expect(cdnRequests.every((request) => request.authorization === undefined)).toBe(true);
    const hubRequests = stats.requests.filter((request) => request.origin === 'hub' && request.method === 'GET');
    expect(hubRequests.every((request) => request.authorization === `Bearer ${TOKEN}`)).toBe(true);
    expect(cdnUrl).not.toBe(hub.url);
  });

  it('gated repo: GATED_REPO without a token or with one lacking access', async () => {
    await failsWith({}, 'hangar-test/gated-model', 'GATED_REPO');
    await failsWith({ accessToken: 'hf_wrong_token' }, 'hangar-test/gated-model', 'GATED_REPO');
    const model = await manager({ accessToken: TOKEN }).download('hangar-test/gated-model').done;
    expect(model.files.length).toBeGreaterThan(0);
  });

  it('a listing with a path-traversal or absolute file name is rejected before any download', async () => {
    for (const bad of ['../escape.bin', 'onnx/../../escape.bin', '/abs.bin']) {
      const repo = await syntheticRepo('traversal', { 'ok.bin': 100, [bad]: 100 }, { unsafePaths: true });
      await hub.reset();
      const mm = manager();
      const error = await rejection(mm.download(repo).done);
      expect(error).toBeInstanceOf(HubError);
      expect(error.code).toBe('UNSAFE_PATH');
      const stats = await hub.stats();
      expect(stats.requests.filter((request) => request.url.includes('/resolve/'))).toEqual([]);
      await expect(mm.cache.file(repo, 'ok.bin')).rejects.toMatchObject({ code: 'NOT_CACHED' });
    }
  });
});
