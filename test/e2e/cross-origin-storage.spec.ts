import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, expect, test, type BrowserContext, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../browsers/chromium.ts';
import { CROSS_ORIGIN_ANSWER_MS, type CrossOriginStorageManager } from '../../src/download/cross-origin-storage.ts';
import { hubControl } from '../support/hub-control.ts';

// Cross-Origin Storage end to end: no browser ships the API, so a test extension
// (test/extensions/cross-origin-storage, Manifest V3) implements the WICG explainer's interface and
// keeps the files in its own storage, one for every site. Two sites: the harness on
// 127.0.0.1:5174 (site A) and the same harness through a proxy at localhost:5176 (site B: another
// port and another site, so nothing of A's storage is B's).

declare global {
  interface Window {
    /** The test extension's controls (main-world.js): the user's answer, the calls made, the stored files. */
    crossOriginStorageTest: {
      answer: 'grant' | 'deny' | 'never';
      createAnswer: 'grant' | 'deny' | 'never';
      calls: Array<{ hashes: string[]; create: boolean; answer: string; outcome: string }>;
      list(): Promise<Array<{ key: string; size: number }>>;
      clear(): Promise<void>;
      tamper(hash: string, blob: Blob): Promise<void>;
      ready(): Promise<boolean>;
    };
  }
}

/** The extension's `navigator.crossOriginStorage` (not in TypeScript's DOM types). */
type WithCrossOriginStorage = Navigator & { crossOriginStorage: CrossOriginStorageManager };

const hub = hubControl(process.env.HANGAR_HUB_URL!);
const EXTENSION = resolve('test/extensions/cross-origin-storage');
const SITE_A = 'http://127.0.0.1:5174';
const PORT_B = 5176;
const SITE_B = `http://localhost:${PORT_B}`;
const MiB = 2 ** 20;

test.skip(({ browserName }) => browserName !== 'chromium', 'the test extension is a Chromium extension');

let context: BrowserContext;
let profile: string;
let proxy: Server;

test.beforeAll(async () => {
  proxy = await startProxy(PORT_B, 5174);
  profile = mkdtempSync(join(tmpdir(), 'hangar-cos-'));
  // New headless Chromium (what Playwright's `headless: true` starts with Debian's binary) loads unpacked extensions.
  context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS, `--disable-extensions-except=${EXTENSION}`, `--load-extension=${EXTENSION}`],
  });
});

test.afterAll(async () => {
  await context?.close();
  await new Promise((done) => proxy?.close(done));
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** A reverse proxy from 127.0.0.1:`port` to the harness's vite server, websockets (vite's HMR client) included. */
function startProxy(port: number, target: number): Promise<Server> {
  const server = createServer((req, res) => {
    const forward = httpRequest({ host: '127.0.0.1', port: target, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  server.on('upgrade', (req, socket, head) => {
    const upstream = connect(target, '127.0.0.1', () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
    });
    upstream.on('error', () => socket.destroy());
    socket.on('error', () => upstream.destroy());
  });
  return new Promise((ready) => server.listen(port, '127.0.0.1', () => ready(server)));
}

/** The harness on `site`, with the extension's store connected. */
async function open(site: string, browser: BrowserContext = context): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(`${site}/test/e2e/harness.html`);
  await expect(page.locator('#ready')).toBeVisible();
  if (browser === context) await page.evaluate(() => window.crossOriginStorageTest.ready());
  return page;
}

interface Outcome {
  events: Array<{ path: string; outcome: string; error?: { code: string } }>;
  bytesFetched: number;
  ms: number;
  bad: number;
  /** SHA-256 of each stored file read back from the store (LFS files), by path. */
  stored: Record<string, string>;
}

/** Downloads `repo` in `page` into store `storeName`; then verifies the store and reads every file back. */
function download(page: Page, repo: string, storeName: string, crossOrigin: 'auto' | 'off' = 'auto'): Promise<Outcome> {
  return page.evaluate(
    async ({ endpoint, repo, storeName, crossOrigin }) => {
      const mm = window.hangar.createModelManager({ endpoint, storeName, cache: { crossOrigin } });
      const job = mm.download(repo);
      const events: Outcome['events'] = [];
      job.on('cross-origin', ({ path, outcome, error }) =>
        events.push(error ? { path, outcome, error: { code: error.code } } : { path, outcome }),
      );
      const started = performance.now();
      const model = await job.done;
      const ms = performance.now() - started;
      const report = await mm.cache.verify(repo);
      const stored: Record<string, string> = {};
      for (const file of (await mm.cache.load(repo)).files) {
        if (file.hash.algorithm !== 'sha256') continue;
        const bytes = await (await mm.cache.file(repo, file.path)).arrayBuffer();
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
        stored[file.path] = [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
      }
      const bytesFetched = mm.metrics().downloads.bytesFetched;
      mm.close();
      if (model.files.length === 0) throw new Error('no files');
      return { events, bytesFetched, ms, bad: report.bad.length, stored };
    },
    { endpoint: hub.url, repo, storeName, crossOrigin },
  );
}

/** A repo of two LFS files and a small git file; its LFS files' SHA-256 by path. */
async function sharedRepo(
  prefix: string,
  seed: number,
): Promise<{ repo: string; lfs: Record<string, string>; sizes: Record<string, number> }> {
  const repo = `hangar-test/${prefix}-${Date.now().toString(36)}`;
  const sizes = { 'onnx/model.onnx': 3 * MiB, 'onnx/model.onnx_data': 2 * MiB + 17 };
  const info = await hub.addRepo({
    id: repo,
    commits: [
      {
        files: {
          'config.json': '{"model_type":"test"}',
          'onnx/model.onnx': { synthetic: { size: sizes['onnx/model.onnx'], seed } },
          'onnx/model.onnx_data': { synthetic: { size: sizes['onnx/model.onnx_data'], seed: seed + 1 } },
        },
      },
    ],
  });
  const files = info.commits.at(-1)!.files;
  const lfs = Object.fromEntries(files.filter((file) => file.lfs).map((file) => [file.path, file.sha256!]));
  expect(Object.keys(lfs).sort()).toEqual(Object.keys(sizes).sort());
  return { repo, lfs, sizes };
}

/** Bytes of `repo/path` the fake Hub (its CDN) has served so far. */
async function served(repo: string, path: string): Promise<number> {
  return (await hub.stats()).files[`${repo}/${path}`]?.bytes ?? 0;
}

/** Waits until the extension holds every hash of `hashes` (the offers run in the background). */
async function sharedHolds(page: Page, hashes: string[]): Promise<void> {
  await expect
    .poll(async () => {
      const keys = (await page.evaluate(() => window.crossOriginStorageTest.list())).map((entry) => entry.key);
      return hashes.every((hash) => keys.includes(`SHA-256:${hash}`));
    })
    .toBe(true);
}

/** Site A downloads `repo` from the Hub and offers its LFS files to the extension. */
async function downloadOnSiteA(repo: string, lfs: Record<string, string>): Promise<Page> {
  const siteA = await open(SITE_A);
  const first = await download(siteA, repo, `cos-a-${Date.now().toString(36)}`);
  expect(first.bad).toBe(0);
  expect(first.events.map((event) => event.outcome)).toEqual(['not-found', 'not-found']);
  await sharedHolds(siteA, Object.values(lfs));
  return siteA;
}

test('a second site gets the model from Cross-Origin Storage with zero bytes from the Hub', async () => {
  const { repo, lfs, sizes } = await sharedRepo('cos-share', 7100);
  const siteA = await downloadOnSiteA(repo, lfs);
  for (const [path, size] of Object.entries(sizes)) expect(await served(repo, path)).toBe(size);
  const requestsBefore = (await hub.stats()).requests.filter((record) => record.repo === repo && record.path! in sizes).length;

  const siteB = await open(SITE_B);
  expect(new URL(siteB.url()).origin).not.toBe(new URL(siteA.url()).origin);
  const second = await download(siteB, repo, 'cos-b-share');
  expect(second.events.sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual([
    { path: 'onnx/model.onnx', outcome: 'copied' },
    { path: 'onnx/model.onnx_data', outcome: 'copied' },
  ]);
  // Not one more byte, nor one more request, for the LFS files; only config.json came over the network.
  for (const [path, size] of Object.entries(sizes)) expect(await served(repo, path)).toBe(size);
  expect((await hub.stats()).requests.filter((record) => record.repo === repo && record.path! in sizes)).toHaveLength(requestsBefore);
  expect(second.bytesFetched).toBe('{"model_type":"test"}'.length);
  expect(second.bad).toBe(0);
  expect(second.stored).toEqual(lfs);
  // Site B asked once per LFS file and offered nothing back (its copies came from there).
  const calls = await siteB.evaluate(() => window.crossOriginStorageTest.calls);
  expect(calls.map((call) => `${call.create ? 'create' : 'read'}:${call.outcome}`).sort()).toEqual(['read:granted', 'read:granted']);
});

test('a tampered shared file is rejected: the file comes from the Hub, the store is right, the good copy is shared again', async () => {
  const { repo, lfs, sizes } = await sharedRepo('cos-tamper', 7200);
  await downloadOnSiteA(repo, lfs);
  const siteB = await open(SITE_B);
  const target = 'onnx/model.onnx';
  const size = sizes[target]!;
  // Same size, other bytes: only hashing can tell.
  await siteB.evaluate(({ hash, size }) => window.crossOriginStorageTest.tamper(hash, new Blob([new Uint8Array(size).fill(0x5a)])), {
    hash: lfs[target]!,
    size,
  });
  const second = await download(siteB, repo, 'cos-b-tamper');
  const byPath = Object.fromEntries(second.events.map((event) => [event.path, event]));
  expect(byPath[target]).toEqual({ path: target, outcome: 'rejected', error: { code: 'INTEGRITY_MISMATCH' } });
  expect(byPath['onnx/model.onnx_data']).toEqual({ path: 'onnx/model.onnx_data', outcome: 'copied' });
  expect(await served(repo, target)).toBe(2 * size); // fetched again, by site B
  expect(await served(repo, 'onnx/model.onnx_data')).toBe(sizes['onnx/model.onnx_data']);
  expect(second.bad).toBe(0);
  expect(second.stored).toEqual(lfs);
  // Site B offered its verified copy: the extension holds the right bytes again.
  await expect
    .poll(() =>
      siteB.evaluate(async (hash) => {
        const [handle] = await (navigator as WithCrossOriginStorage).crossOriginStorage.requestFileHandles([
          { algorithm: 'SHA-256', value: hash },
        ]);
        const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await (await handle!.getFile()).arrayBuffer()));
        return [...digest].map((byte) => byte.toString(16).padStart(2, '0')).join('');
      }, lfs[target]!),
    )
    .toBe(lfs[target]);
});

for (const answer of ['deny', 'never'] as const) {
  test(`a ${answer === 'deny' ? 'denied' : 'never answered'} prompt: the download completes from the Hub within bounds`, async () => {
    const { repo, lfs, sizes } = await sharedRepo(`cos-${answer}`, answer === 'deny' ? 7300 : 7400);
    await downloadOnSiteA(repo, lfs);
    const siteB = await open(SITE_B);
    await siteB.evaluate((answer) => (window.crossOriginStorageTest.answer = answer), answer);
    const second = await download(siteB, repo, `cos-b-${answer}`);
    // Once one look-up is refused or unanswered the job asks no more: the other file asks only if it started first.
    const outcomes = second.events.map((event) => event.outcome);
    expect(outcomes.length).toBeGreaterThanOrEqual(1);
    expect(new Set(outcomes)).toEqual(new Set([answer === 'deny' ? 'denied' : 'no-answer']));
    const reads = (await siteB.evaluate(() => window.crossOriginStorageTest.calls)).filter((call) => !call.create);
    expect(reads).toHaveLength(outcomes.length);
    for (const [path, size] of Object.entries(sizes)) expect(await served(repo, path)).toBe(2 * size);
    expect(second.bad).toBe(0);
    expect(second.stored).toEqual(lfs);
    // Two files at once (download.concurrent 2), waiting at most the bound once: far from blocked.
    if (answer === 'never') expect(second.ms).toBeLessThan(CROSS_ORIGIN_ANSWER_MS + 15_000);
  });
}

test("cache.crossOrigin: 'off' never calls the API, and without it nothing changes", async ({ page }) => {
  const { repo, lfs, sizes } = await sharedRepo('cos-off', 7500);
  await downloadOnSiteA(repo, lfs);
  const siteB = await open(SITE_B);
  const off = await download(siteB, repo, 'cos-b-off', 'off');
  expect(off.events).toEqual([]);
  expect(off.stored).toEqual(lfs);
  // An offer asks for its handle (a call the extension records at once) as each fetched file is stored, before the job ends:
  // download() waited for the job, so one would be listed already.
  expect(await siteB.evaluate(() => window.crossOriginStorageTest.calls)).toEqual([]);
  for (const [path, size] of Object.entries(sizes)) expect(await served(repo, path)).toBe(2 * size);

  // The project's own browser, without the extension: no API, the same download as ever.
  await page.goto(`${SITE_A}/test/e2e/harness.html`);
  await expect(page.locator('#ready')).toBeVisible();
  expect(await page.evaluate(() => 'crossOriginStorage' in navigator)).toBe(false);
  const plain = await download(page, repo, `cos-plain-${Date.now().toString(36)}`);
  expect(plain.events).toEqual([]);
  expect(plain.bad).toBe(0);
  expect(plain.stored).toEqual(lfs);
  for (const [path, size] of Object.entries(sizes)) expect(await served(repo, path)).toBe(3 * size);
});
