import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { hubControl } from '../support/hub-control.ts';

const hub = hubControl(process.env.HANGAR_HUB_URL!);
const MiB = 2 ** 20;

async function open(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  await page.goto('/test/e2e/harness.html');
  await expect(page.locator('#ready')).toBeVisible();
  return page;
}

async function syntheticRepo(prefix: string, files: Record<string, number>, seed: number): Promise<string> {
  const id = `hangar-test/${prefix}-${Date.now().toString(36)}`;
  let n = seed;
  await hub.addRepo({
    id,
    commits: [{ files: Object.fromEntries(Object.entries(files).map(([p, size]) => [p, { synthetic: { size, seed: n++ } }])) }],
  });
  return id;
}

/** The store's promise after any crash: every recorded file has its bytes with the right hash (verify finds nothing bad), and no partial is left. */
async function storeIsConsistent(page: Page, storeName: string): Promise<{ files: number; bad: number; partials: string[] }> {
  return page.evaluate(async (storeName) => {
    const mm = window.hangar.createModelManager({ storeName, endpoint: 'http://127.0.0.1:9', cache: { autoClean: false } });
    let files = 0;
    for (const model of await mm.cache.list()) {
      for (const revision of model.revisions) {
        const loaded = await mm.cache.load(model.repo, { revision: revision.commit });
        files += loaded.files.length;
      }
    }
    const report = await mm.cache.verify();
    const root = await navigator.storage.getDirectory();
    const partials: string[] = [];
    const dir = await (await root.getDirectoryHandle(storeName)).getDirectoryHandle('partials');
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) partials.push(name);
    mm.close();
    return { files, bad: report.bad.length, partials };
  }, storeName);
}

test('two tabs downloading the same model fetch each file once', { tag: '@engines' }, async ({ context }) => {
  const repo = await syntheticRepo('two-tabs', { 'a.onnx': 4 * MiB, 'b.onnx': 3 * MiB }, 900);
  for (const path of ['a.onnx', 'b.onnx'])
    await hub.addFault({ repo, path, times: 0, fault: { type: 'throttle', bytesPerSecond: 8 * MiB } });
  const [first, second] = [await open(context), await open(context)];
  const storeName = `tabs-${Date.now().toString(36)}`;
  const download = (page: Page) =>
    page.evaluate(
      async ({ endpoint, repo, storeName }) => {
        const mm = window.hangar.createModelManager({ endpoint, storeName });
        const job = mm.download(repo);
        const cached: string[] = [];
        job.on('file-done', (event) => cached.push(`${event.path}:${event.cached}`));
        const model = await job.done;
        return { commit: model.commit, cached };
      },
      { endpoint: hub.url, repo, storeName },
    );
  const [a, b] = await Promise.all([download(first), download(second)]);
  expect(a.commit).toBe(b.commit);
  const stats = await hub.stats();
  expect(stats.files[`${repo}/a.onnx`]!.bytes).toBe(4 * MiB);
  expect(stats.files[`${repo}/b.onnx`]!.bytes).toBe(3 * MiB);
  expect(stats.files[`${repo}/a.onnx`]!.requests).toBe(1);
  expect((await storeIsConsistent(first, storeName)).bad).toBe(0);
});

test('a page killed mid-download leaves a consistent store that resumes', async ({ context }) => {
  const repo = await syntheticRepo('crash-dl', { 'a.onnx': 2 * MiB, 'b.onnx': 6 * MiB }, 910);
  await hub.addFault({ repo, path: 'b.onnx', times: 1, fault: { type: 'throttle', bytesPerSecond: 6 * MiB } });
  const storeName = `crash-dl-${Date.now().toString(36)}`;
  const page = await open(context);
  await page.evaluate(
    ({ endpoint, repo, storeName }) =>
      new Promise<void>((resolve) => {
        const job = window.hangar.createModelManager({ endpoint, storeName, download: { concurrent: 1 } }).download(repo);
        job.on('progress', (p) => p.files.find((f) => f.path === 'b.onnx' && f.loaded > 3 * 2 ** 20) && resolve());
      }),
    { endpoint: hub.url, repo, storeName },
  );
  await page.close();
  const next = await open(context);
  const state = await storeIsConsistent(next, storeName);
  expect(state.files).toBe(1); // a.onnx is in, b.onnx is not visible
  expect(state.bad).toBe(0);
  const resumed = await next.evaluate(
    async ({ endpoint, repo, storeName }) => {
      const mm = window.hangar.createModelManager({ endpoint, storeName });
      await mm.download(repo).done;
      return (await mm.cache.verify()).bad.length;
    },
    { endpoint: hub.url, repo, storeName },
  );
  expect(resumed).toBe(0);
  expect((await hub.stats()).files[`${repo}/b.onnx`]!.rangeRequests).toBe(1);
});

test('a page killed mid-clean leaves no snapshot pointing at a missing blob', async ({ context }) => {
  const storeName = `crash-clean-${Date.now().toString(36)}`;
  const repos: string[] = [];
  for (let i = 0; i < 12; i++) repos.push(await syntheticRepo(`clean-${i}`, { 'w.onnx': 256 * 1024, 'x.onnx': 128 * 1024 }, 920 + 2 * i));
  const page = await open(context);
  const cleanHadEnded = await page.evaluate(
    async ({ endpoint, repos, storeName }) => {
      const mm = window.hangar.createModelManager({ endpoint, storeName, cache: { autoClean: false } });
      for (const repo of repos) await mm.download(repo).done;
      let ended = false;
      void mm.cache.clean({ maxSize: 0 }).finally(() => (ended = true));
      // The page closes once the clean has removed the snapshot records and is deleting blob bytes.
      while (!ended && (await mm.cache.list()).length > 0) await new Promise((resolve) => setTimeout(resolve, 1));
      return ended;
    },
    { endpoint: hub.url, repos, storeName },
  );
  await page.close();
  expect(cleanHadEnded, 'the page must close while the clean runs').toBe(false);
  const next = await open(context);
  const state = await storeIsConsistent(next, storeName);
  expect(state.bad).toBe(0);
  expect(state.partials).toEqual([]);
});

test('a full quota gives a typed error with needed and available bytes, and a consistent store', async ({ context }) => {
  const page = await open(context);
  const cdp = await context.newCDPSession(page);
  const origin = new URL(page.url()).origin;
  const storeName = `quota-${Date.now().toString(36)}`;
  const big = await syntheticRepo('quota-big', { 'w.onnx': 24 * MiB }, 950);
  const pair = [await syntheticRepo('quota-a', { 'w.onnx': 6 * MiB }, 960), await syntheticRepo('quota-b', { 'w.onnx': 6 * MiB }, 961)];
  const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage ?? 0);
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 10 * MiB });
  try {
    const results = await page.evaluate(
      async ({ endpoint, big, pair, storeName }) => {
        const mm = window.hangar.createModelManager({ endpoint, storeName });
        const outcome = (p: Promise<unknown>) =>
          p.then(
            () => 'ok',
            (e: { code?: string; details?: { needed?: number; available?: number } }) =>
              `${e.code}:${e.details?.needed}:${e.details?.available}`,
          );
        const tooBig = await outcome(mm.download(big).done);
        // Each fits alone, the two together do not: one of them runs out of quota while writing.
        const both = await Promise.all(pair.map((repo) => outcome(mm.download(repo).done)));
        mm.close();
        return { tooBig, both };
      },
      { endpoint: hub.url, big, pair, storeName },
    );
    expect(results.tooBig).toMatch(/^QUOTA_EXCEEDED:25165824:\d+$/);
    expect(results.both.filter((r) => r === 'ok').length).toBeGreaterThanOrEqual(1);
    for (const failure of results.both.filter((r) => r !== 'ok')) expect(failure).toMatch(/^QUOTA_EXCEEDED:\d+:\d+$/);
    const state = await storeIsConsistent(page, storeName);
    expect(state.bad).toBe(0);
    expect(state.partials).toEqual([]);
  } finally {
    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
  }
});

test('export, then import into a fresh profile that loads the model offline', async ({ browser, context }) => {
  const page = await open(context);
  const base64 = await page.evaluate(async (endpoint) => {
    const mm = window.hangar.createModelManager({ endpoint, storeName: `export-${Date.now()}` });
    await mm.download('hangar-test/tiny-mlp').done;
    const bytes = new Uint8Array(await (await mm.cache.export('hangar-test/tiny-mlp')).arrayBuffer());
    let text = '';
    for (const byte of bytes) text += String.fromCharCode(byte);
    return btoa(text);
  }, hub.url);
  const fresh = await browser.newContext();
  try {
    // Offline for everything but the app's own origin (its worker script comes from the dev server).
    const outside: string[] = [];
    await fresh.route(
      (url) => url.origin !== new URL(page.url()).origin,
      (route) => {
        outside.push(route.request().url());
        return route.abort('internetdisconnected');
      },
    );
    const other = await open(fresh);
    const result = await other.evaluate(async (base64) => {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      const mm = window.hangar.createModelManager({ endpoint: 'https://huggingface.co' });
      await mm.cache.import(new File([bytes], 'tiny-mlp.tar'));
      const loaded = await mm.cache.load('hangar-test/tiny-mlp');
      const onnx = await mm.cache.file('hangar-test/tiny-mlp', 'onnx/model.onnx');
      return {
        files: loaded.files.length,
        first: new Uint8Array(await onnx.slice(0, 1).arrayBuffer())[0],
        bad: (await mm.cache.verify()).bad.length,
      };
    }, base64);
    expect(result).toEqual({ files: 3, first: 0x08, bad: 0 });
    expect(outside).toEqual([]);
  } finally {
    await fresh.close();
  }
});
