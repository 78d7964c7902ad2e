import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HubError } from '../../../src/errors/index.ts';
import { listRepoFiles, resolveRevision } from '../../../src/hub/index.ts';
import { startFakeHub, type FakeHub } from '../../../test/hub/index.ts';
import { startStaticMirror, type StaticMirror } from '../../../test/mirror/mirror-fixtures.ts';

// mirror.conf served by Debian's nginx, as shipped (test/mirror/nginx.ts sets only `listen` and `root`).
let hub: FakeHub;
let served: StaticMirror;
beforeAll(async () => {
  hub = await startFakeHub();
  served = await startStaticMirror(hub.url);
});
afterAll(async () => {
  await served?.close();
  await hub?.close();
});

const TINY = 'hangar-test/tiny-multi';
const ORIGIN = { Origin: 'https://app.example' };

describe('a static mirror served by nginx with mirror.conf', () => {
  it("answers the library's Hub client as the Hub does: refs, short shas, listings", async () => {
    const mirror = { endpoint: served.url };
    for (const revision of ['main', 'v1.0', 'refs/pr/1']) {
      const commit = await resolveRevision({ endpoint: hub.url }, TINY, revision);
      expect(await resolveRevision(mirror, TINY, revision)).toBe(commit);
      expect(await resolveRevision(mirror, TINY, commit.slice(0, 7))).toBe(commit);
      expect(await listRepoFiles(mirror, TINY, commit)).toEqual(await listRepoFiles({ endpoint: hub.url }, TINY, commit));
    }
    const missing = await resolveRevision(mirror, TINY, 'not-mirrored').catch((error: unknown) => error as HubError);
    expect(missing).toMatchObject({ code: 'REVISION_NOT_FOUND' });
    await expect(resolveRevision(mirror, 'hangar-test/elsewhere')).rejects.toMatchObject({ code: 'REVISION_NOT_FOUND' });
  });

  it('serves files with Range (206, 416), types by extension, JSON for the API, and caching by URL', async () => {
    const commit = await resolveRevision({ endpoint: served.url }, TINY);
    const url = `${served.url}/${TINY}/resolve/${commit}/onnx/model.onnx`;
    const whole = await fetch(url, { headers: ORIGIN });
    expect([whole.status, whole.headers.get('Content-Length'), whole.headers.get('Content-Type')]).toEqual([
      200,
      String(300 * 1024),
      'application/octet-stream',
    ]);
    expect(whole.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(whole.headers.get('X-Repo-Commit')).toBe(commit);
    const bytes = new Uint8Array(await whole.arrayBuffer());
    const part = await fetch(url, { headers: { ...ORIGIN, Range: 'bytes=1000-' } });
    expect([part.status, part.headers.get('Content-Range')]).toEqual([206, `bytes 1000-${300 * 1024 - 1}/${300 * 1024}`]);
    expect(new Uint8Array(await part.arrayBuffer())).toEqual(bytes.subarray(1000));
    const beyond = await fetch(url, { headers: { Range: `bytes=${300 * 1024}-` } });
    expect(beyond.status).toBe(416);
    // A ref through its symlink, as transformers.js asks (`{model}/resolve/main/{file}`): served, cached briefly.
    const config = await fetch(`${served.url}/${TINY}/resolve/main/config.json`);
    expect([config.status, config.headers.get('Content-Type'), config.headers.get('Cache-Control')]).toEqual([
      200,
      'application/json',
      'public, max-age=60, must-revalidate',
    ]);
    expect(await config.text()).toContain('"num_hidden_layers": 3');
    const info = await fetch(`${served.url}/api/models/${TINY}/revision/v1.0?expand=sha`);
    expect(info.headers.get('Content-Type')).toBe('application/json; charset=utf-8');
    const listing = await fetch(`${served.url}/api/models/${TINY}/tree/${commit}?recursive=true&expand=false`);
    expect(listing.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(listing.headers.get('Content-Encoding')).toBe('gzip'); // API answers only: a file's bytes never are
    expect(whole.headers.get('Content-Encoding')).toBeNull();
  });

  it('CORS: any origin, preflights for Authorization and Range, the headers Hangar reads exposed', async () => {
    const preflight = await fetch(`${served.url}/${TINY}/resolve/main/onnx/model.onnx`, {
      method: 'OPTIONS',
      headers: { ...ORIGIN, 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization,range' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('Access-Control-Allow-Origin')).toBe('*');
    expect(preflight.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toMatch(/authorization.*range/);
    const file = await fetch(`${served.url}/${TINY}/resolve/main/config.json`, { headers: ORIGIN });
    const exposed = file.headers.get('Access-Control-Expose-Headers')!.split(/,\s*/);
    expect(exposed).toEqual(expect.arrayContaining(['Content-Length', 'Content-Range', 'Accept-Ranges', 'ETag', 'X-Repo-Commit']));
    // A miss is readable cross-origin too, with the Hub's error code.
    const miss = await fetch(`${served.url}/${TINY}/resolve/main/nope.json`, { headers: ORIGIN });
    expect([miss.status, miss.headers.get('Access-Control-Allow-Origin'), miss.headers.get('X-Error-Code')]).toEqual([
      404,
      '*',
      'EntryNotFound',
    ]);
    expect(miss.headers.get('Cache-Control')).toBeNull();
  });

  it("never serves the mirror's own partials and temporary files", async () => {
    const response = await fetch(`${served.url}/.hangar/partials/`);
    expect(response.status).toBe(404);
    expect((await served.accessLog()).split('\n').filter(Boolean).length).toBeGreaterThan(5);
  });
});
