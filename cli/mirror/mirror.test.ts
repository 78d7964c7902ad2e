import { createHash } from 'node:crypto';
import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listRepoFiles } from '../../src/hub/index.ts';
import { DEFAULT_TOKEN, startFakeHub, type FakeHub, type RepoDef } from '../../test/hub/index.ts';
import { mirror, type MirrorTarget } from './mirror.ts';
import { MirrorLayout } from './mirror-layout.ts';
import type { MirrorOptions } from './mirror-repo.ts';
import { readTreeListing } from './tree-listing.ts';

let hub: FakeHub;
const dirs: string[] = [];
beforeAll(async () => {
  hub = await startFakeHub();
});
afterAll(() => hub.close());
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function outDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'hangar-mirror-test-'));
  dirs.push(dir);
  return dir;
}

const options = (out: string, extra: Partial<MirrorOptions> = {}): MirrorOptions => ({
  out,
  endpoint: hub.url,
  concurrency: 4,
  retries: 3,
  retryDelayMs: 10,
  retryAfterMaxMs: 1000,
  stallMs: 2000,
  timeoutMs: 30_000,
  ...extra,
});

const target = (repo: string, revision = 'main'): MirrorTarget => ({ repo, revision });

/** Mirrors and fails the test on any failed target. */
async function mirrored(targets: MirrorTarget[], opts: MirrorOptions) {
  const result = await mirror(targets, opts);
  expect(result.failures.map(({ target: t, error }) => `${t.repo}@${t.revision}: ${error.message}`)).toEqual([]);
  return result.reports;
}

const KB = 1024;
let seed = 500;
const blob = (size: number) => ({ synthetic: { size, seed: seed++ } });
let counter = 0;
const uniqueRepo = (name: string): string => `hangar-test/${name}-${(counter++).toString(36)}`;

/** Requests that carried file bytes, by path (the Hub's 302s and 307s not counted). */
function fileRequests(repo: string): string[] {
  return hub
    .stats(repo)
    .requests.filter((request) => request.path !== undefined && (request.status === 200 || request.status === 206))
    .map((request) => request.path!)
    .sort();
}

describe('hangar mirror: the Hub URL layout as plain files', () => {
  it('writes model info, the listing and every file of a branch, a tag and a PR ref, each byte-exact', async () => {
    const out = await outDir();
    const repo = 'hangar-test/tiny-multi';
    const reports = await mirrored([target(repo), target(repo, 'v1.0'), target(repo, 'refs/pr/1')], options(out));
    const info = (await (await fetch(`${hub.url}/__hub/repos/${repo}`)).json()) as {
      branches: Record<string, string>;
      tags: Record<string, string>;
      prs: Record<string, string>;
      commits: Array<{ sha: string; files: Array<{ path: string; size: number; sha256: string }> }>;
    };
    expect(reports.map((r) => r.commit)).toEqual([info.branches.main, info.tags['v1.0'], info.prs['1']]);
    const layout = new MirrorLayout(out);
    for (const commit of info.commits) {
      for (const file of commit.files) {
        const bytes = await readFile(layout.file(repo, commit.sha, file.path));
        expect([file.path, bytes.length]).toEqual([file.path, file.size]);
        expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
      }
      // The listing as the library reads it from the Hub, back from the mirror's file.
      const fromHub = await listRepoFiles({ endpoint: hub.url }, repo, commit.sha);
      expect(await readTreeListing(layout.tree(repo, commit.sha))).toEqual(fromHub);
      expect(JSON.parse(await readFile(layout.info(repo, commit.sha), 'utf8'))).toMatchObject({ id: repo, sha: commit.sha });
    }
    // Refs: model info files, and symlinks for resolve/ and tree/.
    expect(JSON.parse(await readFile(layout.info(repo, 'refs/pr/1'), 'utf8')).sha).toBe(info.prs['1']);
    expect(await readlink(layout.resolve(repo, 'main'))).toBe(info.branches.main);
    expect(await readlink(layout.resolve(repo, 'refs/pr/1'))).toBe(`../../${info.prs['1']}`);
    expect(await readFile(join(layout.resolve(repo, 'v1.0'), 'config.json'), 'utf8')).toContain('"fixture_revision": "v1.0"');
    expect(await readlink(layout.tree(repo, 'main'))).toBe(info.branches.main);
    // Short shas: every unambiguous prefix of 7 or more links to its commit.
    const sha = info.branches.main!;
    expect(await readlink(layout.info(repo, sha.slice(0, 7)))).toBe(sha);
    expect(await readlink(layout.info(repo, sha.slice(0, 39)))).toBe(sha);
    // Nothing half-written is left: no partials, no temporary files.
    expect(await readdir(join(out, '.hangar', 'partials'))).toEqual([]);
    expect(await readdir(join(out, '.hangar', 'tmp'))).toEqual([]);
  });

  it('a file already held (another commit, path or repo) is hard-linked, not fetched', async () => {
    const out = await outDir();
    const repo = 'hangar-test/tiny-multi';
    hub.reset();
    const [main, tag] = await mirrored([target(repo), target(repo, 'v1.0')], options(out));
    expect([main!.downloaded, main!.linked]).toEqual([5, 0]);
    // v1.0 shares README.md, tokenizer.json and onnx/model_quantized.onnx with main.
    expect([tag!.downloaded, tag!.linked]).toEqual([2, 3]);
    expect(fileRequests(repo)).toEqual(
      [
        'README.md',
        'config.json',
        'config.json',
        'onnx/model.onnx',
        'onnx/model.onnx',
        'onnx/model_quantized.onnx',
        'tokenizer.json',
      ].sort(),
    );
    const layout = new MirrorLayout(out);
    const a = await stat(layout.file(repo, main!.commit, 'tokenizer.json'));
    const b = await stat(layout.file(repo, tag!.commit, 'tokenizer.json'));
    expect(b.ino).toBe(a.ino);
    // Two paths with the same bytes in one commit: fetched once.
    const twins = uniqueRepo('twins');
    hub.addRepo({
      id: twins,
      commits: [
        { files: { 'a/w.onnx': { synthetic: { size: 64 * KB, seed: 77 } }, 'b/w.onnx': { synthetic: { size: 64 * KB, seed: 77 } } } },
      ],
    });
    const [report] = await mirrored([target(twins)], options(out));
    expect([report!.downloaded, report!.linked]).toEqual([1, 1]);
    expect(fileRequests(twins)).toHaveLength(1);
  });
});

describe('hangar mirror: incremental re-runs', () => {
  const commits: RepoDef['commits'] = [
    {
      files: {
        'config.json': '{"v":1}',
        'onnx/model.onnx': blob(200 * KB),
        'onnx/model_quantized.onnx': blob(50 * KB),
        'README.md': '# one',
      },
    },
    { files: { 'config.json': '{"v":2}', 'onnx/model.onnx': blob(200 * KB) } },
  ];

  it('with no change: one request per revision, no listing, no file', async () => {
    const out = await outDir();
    const repo = uniqueRepo('same');
    hub.addRepo({ id: repo, commits: commits.slice(0, 1), tags: { v1: 0 } });
    await mirrored([target(repo), target(repo, 'v1')], options(out));
    hub.reset();
    const reports = await mirrored([target(repo), target(repo, 'v1')], options(out));
    expect(reports.map((r) => [r.downloaded, r.linked, r.kept, r.listing])).toEqual([
      [0, 0, 4, 'reused'],
      [0, 0, 4, 'reused'],
    ]);
    expect(hub.stats().requests.map((request) => new URL(request.url).pathname)).toEqual([
      `/api/models/${repo}/revision/main`,
      `/api/models/${repo}/revision/v1`,
    ]);
    // A full commit the mirror has: not even that.
    hub.reset();
    await mirrored([target(repo, reports[0]!.commit)], options(out));
    expect(hub.stats().requests).toEqual([]);
  });

  it('after a new commit: the new listing and only the changed files', async () => {
    const out = await outDir();
    const repo = uniqueRepo('moves');
    hub.addRepo({ id: repo, commits: commits.slice(0, 1) });
    const [before] = await mirrored([target(repo)], options(out));
    // The same history plus a commit: the first commit keeps its sha.
    const info = hub.addRepo({ id: repo, commits });
    expect(info.commits[0]!.sha).toBe(before!.commit);
    hub.reset();
    const [after] = await mirrored([target(repo)], options(out));
    expect(after!.commit).toBe(info.commits[1]!.sha);
    expect([after!.listing, after!.downloaded, after!.linked, after!.kept]).toEqual(['fetched', 2, 2, 0]);
    expect(fileRequests(repo)).toEqual(['config.json', 'onnx/model.onnx']);
    const kinds = hub.stats().requests.map((request) => new URL(request.url).pathname.split('/')[5] ?? '');
    expect(kinds.filter((kind) => kind === 'revision' || kind === 'tree')).toEqual(['revision', 'tree']);
    // main moved; the old commit's files and info stay (an immutable URL never changes).
    const layout = new MirrorLayout(out);
    expect(await readlink(layout.resolve(repo, 'main'))).toBe(after!.commit);
    expect(await readFile(layout.file(repo, before!.commit, 'config.json'), 'utf8')).toBe('{"v":1}');
    expect(JSON.parse(await readFile(layout.info(repo, 'main'), 'utf8')).sha).toBe(after!.commit);
  });

  it('repairs a file removed from a commit it has (linked from another commit or fetched again)', async () => {
    const out = await outDir();
    const repo = uniqueRepo('repair');
    hub.addRepo({ id: repo, commits: commits.slice(0, 1) });
    const [first] = await mirrored([target(repo)], options(out));
    await rm(new MirrorLayout(out).file(repo, first!.commit, 'onnx/model.onnx'));
    hub.reset();
    const [again] = await mirrored([target(repo)], options(out));
    expect([again!.listing, again!.downloaded, again!.kept]).toEqual(['reused', 1, 3]);
  });
});

describe('hangar mirror: downloads that go wrong', () => {
  async function oneFile(name: string, size = 256 * KB): Promise<{ repo: string; sha256: string; commit: string }> {
    const repo = uniqueRepo(name);
    const info = hub.addRepo({ id: repo, commits: [{ files: { 'w.onnx': blob(size) } }] });
    return { repo, sha256: info.commits[0]!.files[0]!.sha256, commit: info.commits[0]!.sha };
  }
  const served = (repo: string): number => hub.stats(repo).files[`${repo}/w.onnx`]?.bytes ?? 0;

  it('resumes a partial left by an earlier run with a Range request', async () => {
    const out = await outDir();
    const size = 256 * KB;
    const { repo, sha256, commit } = await oneFile('resume', size);
    const whole = Buffer.from(await (await fetch(`${hub.url}/${repo}/resolve/${commit}/w.onnx`)).arrayBuffer());
    const layout = new MirrorLayout(out);
    await mkdir(join(out, '.hangar', 'partials'), { recursive: true });
    await writeFile(layout.partial({ algorithm: 'sha256', value: sha256 }), whole.subarray(0, 100 * KB));
    hub.reset();
    const [report] = await mirrored([target(repo)], options(out));
    expect(report!.receivedBytes).toBe(size - 100 * KB);
    expect(hub.stats(repo).files[`${repo}/w.onnx`]).toMatchObject({ rangeRequests: 1, bytes: size - 100 * KB });
    expect(
      createHash('sha256')
        .update(await readFile(layout.file(repo, commit, 'w.onnx')))
        .digest('hex'),
    ).toBe(sha256);
  });

  it('retries a 503, a dropped connection and a stall, continuing each from the bytes it has', async () => {
    const out = await outDir();
    const size = 256 * KB;
    const { repo } = await oneFile('flaky', size);
    hub.addFault({ repo, path: 'w.onnx', fault: { type: 'status', status: 503 } });
    hub.addFault({ repo, path: 'w.onnx', fault: { type: 'drop', afterBytes: 64 * KB } });
    hub.addFault({ repo, path: 'w.onnx', fault: { type: 'stall', afterBytes: 64 * KB } });
    const lines: string[] = [];
    const [report] = await mirrored([target(repo)], options(out, { stallMs: 300, log: (line) => lines.push(line) }));
    expect(report!.downloaded).toBe(1);
    expect(lines.filter((line) => line.includes('retry')).map((line) => /\((\w+):/.exec(line)?.[1])).toEqual([
      'HUB_UNAVAILABLE',
      'NETWORK',
      'STALLED',
    ]);
    expect(served(repo)).toBeLessThanOrEqual(size + 64 * KB); // the dropped 64 KiB were kept, the stalled ones too (one chunk may be lost)
  });

  it('bytes that fail the hash are deleted and fetched again; with no retries left, no file appears at all', async () => {
    const out = await outDir();
    const { repo, commit } = await oneFile('corrupt');
    hub.addFault({ repo, path: 'w.onnx', fault: { type: 'corrupt', atByte: 1000 } });
    const [report] = await mirrored([target(repo)], options(out));
    expect(report!.downloaded).toBe(1);

    const other = await outDir();
    hub.addFault({ repo, path: 'w.onnx', fault: { type: 'corrupt', atByte: 1000 } });
    const result = await mirror([target(repo)], options(other, { retries: 0 }));
    expect(result.failures.map((f) => f.error.code)).toEqual(['INTEGRITY_MISMATCH']);
    const layout = new MirrorLayout(other);
    await expect(lstat(layout.file(repo, commit, 'w.onnx'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(lstat(layout.tree(repo, commit))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(lstat(layout.resolve(repo, 'main'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await readdir(join(other, '.hangar', 'partials'))).toEqual([]);
  });

  it('a file that fails for good leaves its partial for the next run and no ref; the other repos are mirrored', async () => {
    const out = await outDir();
    const { repo, commit } = await oneFile('down');
    hub.addFault({ repo, path: 'w.onnx', fault: { type: 'drop', afterBytes: 32 * KB } });
    hub.addFault({ repo, path: 'w.onnx', times: 0, fault: { type: 'status', status: 500 } });
    const result = await mirror(
      [target(repo), target('hangar-test/missing'), target('hangar-test/tiny-mlp')],
      options(out, { retries: 1 }),
    );
    expect(result.failures.map((f) => `${f.target.repo} ${f.error.code}`)).toEqual([
      `${repo} HUB_UNAVAILABLE`,
      'hangar-test/missing AUTH_REQUIRED',
    ]);
    expect(result.reports.map((r) => r.repo)).toEqual(['hangar-test/tiny-mlp']);
    const layout = new MirrorLayout(out);
    await expect(lstat(layout.file(repo, commit, 'w.onnx'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(lstat(layout.info(repo, 'main'))).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await stat(join(out, '.hangar', 'partials', (await readdir(join(out, '.hangar', 'partials')))[0]!))).size).toBe(32 * KB);
  });

  it('sends the token to the endpoint only, never to the CDN an LFS file redirects to', async () => {
    const out = await outDir();
    hub.reset();
    const [report] = await mirrored([target('hangar-test/gated-model')], options(out, { accessToken: DEFAULT_TOKEN }));
    expect(report!.downloaded).toBe(2);
    const stats = hub.stats();
    expect(stats.requests.some((request) => request.origin === 'cdn')).toBe(true);
    expect(stats.cdnAuthorizationSeen).toBe(0);
    expect(stats.requests.filter((request) => request.origin === 'hub').every((r) => r.authorization === `Bearer ${DEFAULT_TOKEN}`)).toBe(
      true,
    );
    const denied = await mirror([target('hangar-test/gated-model')], options(await outDir()));
    expect(denied.failures.map((f) => f.error.code)).toEqual(['GATED_REPO']);
  });
});
