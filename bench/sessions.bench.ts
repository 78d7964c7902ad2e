import { bigSumOnnx } from '../test/fixtures/onnx/big-sum.ts';
import { startFakeHub } from '../test/hub/index.ts';
import { openBenchPage, startBenchBrowser } from './bench-browser.ts';
import { MemorySampler, sampleMemory, total } from './memory-sampler.ts';
import { findBrowserPid } from './proc-mem.ts';
import { pageRendererPid } from './renderer.ts';
import type { InputSpec } from './sessions-types.ts';
import type { Page } from 'playwright';
import type { Benchmark } from './types.ts';
import { fmt, median, sleep } from './util.ts';

interface LatencyCase {
  name: string;
  repo: string;
  path: string;
  files: string[];
  inputs: Record<string, InputSpec>;
}

const CASES: LatencyCase[] = [
  {
    name: 'Silero VAD v5 (2.3 MB)',
    repo: 'hangar-test/silero-vad',
    path: 'onnx/model.onnx',
    files: ['onnx/model.onnx'],
    inputs: {
      input: { type: 'float32', data: Array.from({ length: 512 }, (_, i) => Math.sin(i / 10)), dims: [1, 512] },
      state: { type: 'float32', data: new Array(256).fill(0), dims: [2, 1, 128] },
      sr: { type: 'int64', data: [16000], dims: [] },
    },
  },
  {
    name: 'tiny Whisper encoder (fixture, fp32)',
    repo: 'hangar-test/whisper-tiny',
    path: 'onnx/encoder_model.onnx',
    files: ['onnx/encoder_model.onnx'],
    inputs: { input_features: { type: 'float32', fill: 0.1, dims: [1, 80, 3000] } },
  },
  {
    name: 'tiny MLP (fixture)',
    repo: 'hangar-test/tiny-mlp',
    path: 'onnx/model.onnx',
    files: ['onnx/model.onnx'],
    inputs: { input: { type: 'float32', data: [0.1, 0.2, 0.3, 0.4], dims: [1, 4] } },
  },
];

/**
 * ONNX Runtime sessions from the store: time from "cached" to "first inference done" through
 * Hangar vs plain `InferenceSession.create(url)` over the network from the fake Hub (same page,
 * ORT already loaded, runs alternating), and renderer memory while opening a model whose external
 * data is `size` MiB (Hangar: Files from the store; plain: URLs).
 */
export const sessionsBench: Benchmark = {
  name: 'sessions',
  defaultSizesMiB: [256],
  async run({ sizesMiB, repeats, cleanup }) {
    const hub = await startFakeHub();
    cleanup.add('fake hub', () => hub.close());
    for (const size of sizesMiB) {
      hub.addRepo({
        id: `bench/big-sum-${size}`,
        commits: [
          {
            files: {
              'onnx/model.onnx': bigSumOnnx('model.onnx_data', (size * 2 ** 20) / 4),
              'onnx/model.onnx_data': { synthetic: { size: size * 2 ** 20, seed: 4000 + size } },
            },
          },
        ],
      });
    }
    const { context, page, viteUrl, profileDir } = await startBenchBrowser('bench/sessions.html', cleanup);
    await openBenchPage(page, new URL('bench/sessions.html', viteUrl).href, 'hangarSessionsBench');
    const browserPid = await findBrowserPid(profileDir);
    const lines: string[] = ['| model | Hangar (from the store) | plain ORT (URL, network) | ratio |', '|---|---:|---:|---:|'];
    const json: Record<string, unknown> = {};

    for (const c of CASES) {
      const storeName = `sessions-${Date.now().toString(36)}`;
      await page.evaluate(({ endpoint, c, storeName }) => window.hangarSessionsBench!.prepare(endpoint, c.repo, c.files, storeName), {
        endpoint: hub.url,
        c,
        storeName,
      });
      const url = `${hub.url}/${c.repo}/resolve/main/${c.path}`;
      const hangar: number[] = [];
      const plain: number[] = [];
      for (let i = 0; i < repeats; i++) {
        hangar.push(
          await page.evaluate(
            ({ endpoint, storeName, c }) => window.hangarSessionsBench!.hangar(endpoint, storeName, c.repo, c.path, c.inputs),
            { endpoint: hub.url, storeName, c },
          ),
        );
        plain.push(await page.evaluate(({ url, inputs }) => window.hangarSessionsBench!.plain(url, inputs), { url, inputs: c.inputs }));
      }
      await page.evaluate((name) => window.hangarSessionsBench!.cleanup(name), storeName);
      const h = median(hangar);
      const p = median(plain);
      console.log(`${c.name}: Hangar ${hangar.map((v) => fmt(v)).join('/')} ms, plain ${plain.map((v) => fmt(v)).join('/')} ms`);
      lines.push(`| ${c.name} | ${fmt(h)} ms | ${fmt(p)} ms | ${fmt(h / p, 2)} |`);
      json[c.name] = { hangar, plain };
    }

    const memLines = ['| external data | Hangar: RSS growth | plain ORT: RSS growth |', '|---:|---:|---:|'];
    for (const size of sizesMiB) {
      const repo = `bench/big-sum-${size}`;
      const storeName = `sessions-big-${Date.now().toString(36)}`;
      await page.evaluate(
        ({ endpoint, repo, storeName }) =>
          window.hangarSessionsBench!.prepare(endpoint, repo, ['onnx/model.onnx', 'onnx/model.onnx_data'], storeName),
        { endpoint: hub.url, repo, storeName },
      );
      // Each measurement in a page of its own (its own renderer and wasm heap): a heap grown by an
      // earlier session would hide the growth of the next one.
      const growth = async (run: (page: Page) => Promise<unknown>): Promise<number> => {
        const fresh = await openBenchPage(context, new URL('bench/sessions.html', viteUrl).href, 'hangarSessionsBench');
        try {
          await fresh.evaluate(
            ({ endpoint, storeName }) =>
              window.hangarSessionsBench!.prepare(endpoint, 'hangar-test/tiny-mlp', ['onnx/model.onnx'], storeName),
            {
              endpoint: hub.url,
              storeName,
            },
          );
          const pid = (await pageRendererPid(fresh, browserPid)).pid;
          const cdp = await context.newCDPSession(fresh);
          await cdp.send('HeapProfiler.collectGarbage');
          await sleep(500);
          const before = total(await sampleMemory([pid]), [pid], 'rss') ?? NaN;
          const sampler = new MemorySampler([pid], 50);
          await run(fresh);
          const samples = await sampler.stop();
          return Math.max(...samples.map((sample) => total(sample, [pid], 'rss') ?? 0)) - before;
        } finally {
          await fresh.close();
        }
      };
      const inputs = { x: { type: 'float32' as const, data: [1], dims: [1] } };
      const base = `${hub.url}/${repo}/resolve/main/onnx/`;
      const viaPlain = await growth((p) =>
        p.evaluate(
          ({ base, inputs }) =>
            window.hangarSessionsBench!.plain(`${base}model.onnx`, inputs, { path: 'model.onnx_data', url: `${base}model.onnx_data` }),
          {
            base,
            inputs,
          },
        ),
      );
      const viaHangar = await growth((p) =>
        p.evaluate(
          ({ endpoint, storeName, repo, inputs }) =>
            window.hangarSessionsBench!.hangar(endpoint, storeName, repo, 'onnx/model.onnx', inputs),
          {
            endpoint: hub.url,
            storeName,
            repo,
            inputs,
          },
        ),
      );
      await page.evaluate((name) => window.hangarSessionsBench!.cleanup(name), storeName);
      console.log(`${size} MiB external data: Hangar +${fmt(viaHangar / 2 ** 20)} MiB, plain +${fmt(viaPlain / 2 ** 20)} MiB`);
      memLines.push(
        `| ${size} MiB | +${fmt(viaHangar / 2 ** 20)} MiB (${fmt(viaHangar / (size * 2 ** 20), 2)}x) | +${fmt(viaPlain / 2 ** 20)} MiB (${fmt(viaPlain / (size * 2 ** 20), 2)}x) |`,
      );
      json[`memory ${size} MiB`] = { hangar: viaHangar, plain: viaPlain };
    }
    const markdown = [
      ...lines,
      '',
      `cached -> first inference done, medians of ${repeats}; ORT already loaded in the page; ratio = Hangar / plain`,
      '',
      ...memLines,
      '',
      "renderer RSS peak while opening the session and running once, minus just before; ONNX Runtime's own copy into the wasm heap is part of both",
    ].join('\n');
    return { markdown, chromium: context.browser()?.version() ?? 'unknown', json };
  },
};
