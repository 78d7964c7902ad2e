import { TINY_LLM, type LlmShape } from '../test/fixtures/llm/llm-config.ts';
import { tinyLlmFiles } from '../test/fixtures/llm/llm-repo.ts';
import { startFakeHub } from '../test/hub/index.ts';
import { cutOff, openBenchPage, startBenchBrowser } from './bench-browser.ts';
import { MemorySampler, sampleMemory, total } from './memory-sampler.ts';
import { findBrowserPid, rendererPids } from './proc-mem.ts';
import type { Benchmark } from './types.ts';
import type { LlmResult, LlmRun } from './llm-types.ts';
import { fmt, median, mib, sleep } from './util.ts';

/** An LLM-shaped model of about `sizeMiB` MiB of float32 weights: the tiny LLM's layout, widened (12 layers, hidden 1024 at 512 MiB). */
function shapeOf(sizeMiB: number): LlmShape {
  const hidden = 1024 * Math.sqrt(sizeMiB / 512);
  const rounded = Math.max(64, Math.round(hidden / 64) * 64);
  return {
    ...TINY_LLM,
    hidden: rounded,
    layers: 12,
    heads: rounded / 64,
    kvHeads: rounded / 256,
    headDim: 64,
    intermediate: Math.round((rounded * 2.75) / 64) * 64,
  };
}

interface Measured extends LlmResult {
  /** Growth of the renderers' RSS over the run (peak minus the idle baseline before it). */
  peakMiB: number;
}

/**
 * A causal LM through transformers.js's text-generation pipeline in a worker: time to first token
 * cold (download, store, open, prefill) and warm (from storage, the Hub unreachable), tokens/s, and
 * the renderers' peak memory while opening the model, with the files in Hangar's store vs
 * transformers.js's own Cache API storage. On the tiny fixture (q8) and on an LLM-shaped repo with
 * `sizes` MiB of float32 weights in one external data file.
 */
export const llmBench: Benchmark = {
  name: 'llm',
  defaultSizesMiB: [512],
  async run({ sizesMiB, repeats, cleanup }) {
    const hub = await startFakeHub();
    cleanup.add('fake hub', () => hub.close());
    const { context, page, viteUrl, profileDir } = await startBenchBrowser('bench/llm.html', cleanup);
    const pageUrl = new URL('bench/llm.html', viteUrl).href;
    await openBenchPage(page, pageUrl, 'hangarLlmBench');
    const browserPid = await findBrowserPid(profileDir);

    const models: Array<{ label: string; repo: string; dtype: LlmRun['dtype']; bytes: number; tokens: number }> = [
      { label: 'tiny fixture', repo: 'hangar-test/tiny-llm', dtype: 'q8', bytes: 0, tokens: 32 },
    ];
    for (const sizeMiB of sizesMiB) {
      const repo = `hangar-bench/llm-${sizeMiB}m`;
      const files = tinyLlmFiles({ seed: 5, shape: shapeOf(sizeMiB), suffixes: [''] });
      hub.addRepo({ id: repo, pipeline_tag: 'text-generation', commits: [{ files }] });
      const bytes = (files['onnx/model.onnx_data'] as Uint8Array).byteLength;
      models.push({ label: `LLM-shaped, ${fmt(mib(bytes))} MiB external data`, repo, dtype: 'fp32', bytes, tokens: 16 });
    }

    /** One run in a page of its own, the renderers' memory sampled throughout. */
    const runFresh = async (options: LlmRun): Promise<Measured> => {
      const fresh = await openBenchPage(context, pageUrl, 'hangarLlmBench');
      try {
        await sleep(300);
        const pids = await rendererPids(browserPid);
        const baseline = total(await sampleMemory(pids), pids, 'rss') ?? 0;
        const sampler = new MemorySampler(pids, 50);
        const result = await fresh.evaluate((o) => window.hangarLlmBench!.run(o), options);
        const peak = Math.max(...(await sampler.stop()).map((sample) => total(sample, pids, 'rss') ?? 0));
        return { ...result, peakMiB: mib(peak - baseline) };
      } finally {
        await fresh.close();
      }
    };

    const rows: string[] = [];
    const json: Record<string, unknown> = {};
    for (const model of models) {
      const runs = {
        hangar: { cold: [] as Measured[], warm: [] as Measured[] },
        transformers: { cold: [] as Measured[], warm: [] as Measured[] },
      };
      let warmAttempts = 0;
      for (let i = 0; i < repeats; i++) {
        for (const mode of ['hangar', 'transformers'] as const) {
          const storeName = `llm-bench-${mode}-${i}-${Date.now().toString(36)}`;
          await page.evaluate((name) => window.hangarLlmBench!.clear(name), storeName);
          const base = {
            mode,
            storeName,
            endpoint: hub.url,
            repo: model.repo,
            dtype: model.dtype,
            device: 'wasm' as const,
            tokens: model.tokens,
          };
          const cold = await runFresh(base);
          const cut = await cutOff(context, [hub.url, hub.cdnUrl]);
          try {
            runs[mode].warm.push(await runFresh(base));
            warmAttempts += cut.attempts();
          } finally {
            await cut.restore();
          }
          runs[mode].cold.push(cold);
          const warm = runs[mode].warm.at(-1)!;
          console.log(
            `${model.label}, ${mode} #${i + 1}: first token cold ${fmt(cold.firstTokenMs)} ms, warm ${fmt(warm.firstTokenMs)} ms; ` +
              `${fmt(warm.tokensPerSecond, 1)} tokens/s; peak +${fmt(cold.peakMiB)} / +${fmt(warm.peakMiB)} MiB`,
          );
          await page.evaluate((name) => window.hangarLlmBench!.clear(name), storeName);
        }
      }
      const m = (list: Measured[], key: keyof Measured) => median(list.map((run) => run[key]));
      const h = runs.hangar;
      const t = runs.transformers;
      const cells = (pick: (r: typeof h) => Measured[], key: keyof Measured, digits = 0) =>
        [m(pick(h), key), m(pick(t), key)].map((value) => fmt(value, digits));
      const ratio = (pick: (r: typeof h) => Measured[], key: keyof Measured) => fmt(m(pick(h), key) / m(pick(t), key), 2);
      const line = (what: string, pick: (r: typeof h) => Measured[], key: keyof Measured, unit: string, digits = 0) => {
        const [hv, tv] = cells(pick, key, digits);
        return `| ${model.label} | ${what} | ${hv} ${unit} | ${tv} ${unit} | ${ratio(pick, key)} |`;
      };
      rows.push(
        line('first token, cold (download + open + prefill)', (r) => r.cold, 'firstTokenMs', 'ms'),
        line('first token, warm (from storage, Hub unreachable)', (r) => r.warm, 'firstTokenMs', 'ms'),
        line('tokens/s (wasm, 1 thread, warm)', (r) => r.warm, 'tokensPerSecond', '', 1),
        line('peak renderer memory growth, cold', (r) => r.cold, 'peakMiB', 'MiB'),
        line('peak renderer memory growth, warm', (r) => r.warm, 'peakMiB', 'MiB'),
      );
      json[model.repo] = { ...runs, warmAttempts };
      if (warmAttempts > 0) rows.push(`| ${model.label} | requests to the Hub while warm | ${warmAttempts} | | |`);
    }
    const markdown = [
      '| model | measure | Hangar (store + configureTransformers) | transformers.js default (Cache API) | ratio Hangar / transformers.js |',
      '|---|---|---:|---:|---:|',
      ...rows,
      '',
      `medians of ${repeats} runs, each in a fresh page's worker (ONNX Runtime and transformers.js from nothing); greedy decoding of a fixed token count;`,
      "memory: the sum of the renderer processes' RSS, peak during the run minus the idle value before it (the worker runs in the page's renderer)",
    ].join('\n');
    return { markdown, chromium: context.browser()?.version() ?? 'unknown', json };
  },
};
