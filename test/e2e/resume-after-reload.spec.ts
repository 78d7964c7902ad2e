import { expect, test, type Page } from '@playwright/test';
import { hubControl } from '../support/hub-control.ts';

const hub = hubControl(process.env.HANGAR_HUB_URL!);
const SIZE = 24 * 2 ** 20;

async function open(page: Page): Promise<void> {
  await page.goto('/test/e2e/harness.html');
  await expect(page.locator('#ready')).toBeVisible();
}

test('a download interrupted by a page reload resumes from its partial with a Range request', { tag: '@engines' }, async ({ page }) => {
  const repo = `hangar-test/reload-${Date.now().toString(36)}`;
  await hub.addRepo({
    id: repo,
    commits: [{ files: { 'model.onnx_data': { synthetic: { size: SIZE, seed: 77 } }, 'config.json': '{"a":1}' } }],
  });
  await hub.addFault({ repo, path: 'model.onnx_data', times: 1, fault: { type: 'throttle', bytesPerSecond: 8 * 2 ** 20 } });
  const storeName = `reload-${Date.now().toString(36)}`;
  await open(page);

  // Start, and reload the page once about half of the file has arrived.
  await page.evaluate(
    ({ endpoint, repo, storeName, size }) =>
      new Promise<void>((resolve, reject) => {
        const mm = window.hangar.createModelManager({ endpoint, storeName });
        const job = mm.download(repo);
        job.on('progress', (p) => {
          const file = p.files.find((f) => f.path === 'model.onnx_data');
          if (file !== undefined && file.loaded >= size / 2) resolve();
        });
        job.done.catch(reject);
      }),
    { endpoint: hub.url, repo, storeName, size: SIZE },
  );
  await page.reload();
  await expect(page.locator('#ready')).toBeVisible();
  const before = (await hub.stats()).files[`${repo}/model.onnx_data`]!;
  expect(before.bytes).toBeLessThan(SIZE);

  const result = await page.evaluate(
    async ({ endpoint, repo, storeName }) => {
      const mm = window.hangar.createModelManager({ endpoint, storeName });
      const model = await mm.download(repo).done;
      const file = await mm.cache.file(repo, 'model.onnx_data');
      const digest = await crypto.subtle.digest('SHA-256', await file.arrayBuffer());
      const actual = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
      return { actual, expected: model.files.find((f) => f.path === 'model.onnx_data')!.hash.value };
    },
    { endpoint: hub.url, repo, storeName },
  );
  expect(result.actual).toBe(result.expected);
  const after = (await hub.stats()).files[`${repo}/model.onnx_data`]!;
  expect(after.rangeRequests).toBe(1);
  // Every byte written before the reload is kept: only what was in flight is fetched twice.
  expect(after.bytes - before.bytes).toBeLessThanOrEqual(0.55 * SIZE);
});
