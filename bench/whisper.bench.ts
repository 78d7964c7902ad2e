import { startFakeHub } from '../test/hub/index.ts';
import { cutOff, openBenchPage, startBenchBrowser } from './bench-browser.ts';
import type { Benchmark } from './types.ts';
import { fmt, median } from './util.ts';
import type { WhisperResult, WhisperRun } from './whisper-types.ts';

const REPO = 'hangar-test/whisper-tiny';

/**
 * The tiny Whisper fixture through transformers.js: real-time factor per backend (a 30 s window,
 * wasm with 1 and 2 threads, the SwiftShader WebGPU adapter), and time to first transcript from
 * a fresh page, cold (nothing stored: download, store, open, transcribe) and warm (stored, the Hub
 * unreachable), with the files in Hangar's store vs transformers.js's default Cache API storage.
 */
export const whisperBench: Benchmark = {
  name: 'whisper',
  defaultSizesMiB: [30],
  sizeUnit: 's of audio (fixed)',
  async run({ repeats, cleanup }) {
    const hub = await startFakeHub();
    cleanup.add('fake hub', () => hub.close());
    const { context, page, viteUrl } = await startBenchBrowser('bench/whisper.html', cleanup);
    const pageUrl = new URL('bench/whisper.html', viteUrl).href;
    await openBenchPage(page, pageUrl, 'hangarWhisperBench');

    /** One run in a page of its own: ONNX Runtime and transformers.js start from nothing. */
    const runFresh = async (options: WhisperRun): Promise<WhisperResult> => {
      const fresh = await openBenchPage(context, pageUrl, 'hangarWhisperBench');
      try {
        return await fresh.evaluate((o) => window.hangarWhisperBench!.run(o), options);
      } finally {
        await fresh.close();
      }
    };
    const base = { endpoint: hub.url, repo: REPO, dtype: 'q8' as const, device: 'wasm' as const, threads: 1 };

    // 1. Cold and warm start, Hangar vs transformers.js's Cache API.
    const starts = {
      hangar: { cold: [] as number[], warm: [] as number[], coldLoad: [] as number[], warmLoad: [] as number[], coldJob: [] as number[] },
      transformers: { cold: [] as number[], warm: [] as number[], coldLoad: [] as number[], warmLoad: [] as number[] },
    };
    let warmAttempts = { hangar: 0, transformers: 0 };
    for (let i = 0; i < repeats; i++) {
      for (const mode of ['hangar', 'transformers'] as const) {
        const storeName = `whisper-bench-${mode}-${i}-${Date.now().toString(36)}`;
        await page.evaluate((name) => window.hangarWhisperBench!.clear(name), storeName);
        const cold = await runFresh({ ...base, mode, storeName, repeats: 0, predownload: true });
        const cut = await cutOff(context, [hub.url, hub.cdnUrl]);
        try {
          const warm = await runFresh({ ...base, mode, storeName, repeats: 0 });
          starts[mode].cold.push(cold.firstTranscriptMs);
          starts[mode].warm.push(warm.firstTranscriptMs);
          starts[mode].coldLoad.push(cold.loadMs);
          starts[mode].warmLoad.push(warm.loadMs);
          if (mode === 'hangar' && cold.jobMs !== undefined) starts.hangar.coldJob.push(cold.jobMs);
          warmAttempts = { ...warmAttempts, [mode]: warmAttempts[mode] + cut.attempts() };
          console.log(
            `${mode} #${i + 1}: cold ${fmt(cold.firstTranscriptMs)} ms (load ${fmt(cold.loadMs)} ms${cold.jobMs === undefined ? '' : `, of which the verified job ${fmt(cold.jobMs)} ms`}), ` +
              `warm ${fmt(warm.firstTranscriptMs)} ms (load ${fmt(warm.loadMs)} ms)`,
          );
        } finally {
          await cut.restore();
        }
        await page.evaluate((name) => window.hangarWhisperBench!.clear(name), storeName);
      }
    }

    // 2. Real-time factor: one 30 s window, after a first (warm-up) transcription.
    const storeName = `whisper-bench-rtf-${Date.now().toString(36)}`;
    const configs = [
      { device: 'wasm' as const, dtype: 'q8' as const, threads: 1 },
      { device: 'wasm' as const, dtype: 'q8' as const, threads: 2 },
      { device: 'wasm' as const, dtype: 'fp32' as const, threads: 1 },
      // SwiftShader takes about a minute per window here: one timed run after the warm-up.
      { device: 'webgpu' as const, dtype: 'fp32' as const, threads: 1, repeats: 1 },
    ];
    const rtfLines = ['| backend | dtype | threads | 30 s window | RTF |', '|---|---|---:|---:|---:|'];
    const rtf: Record<string, unknown> = {};
    for (const config of configs) {
      const label = `${config.device} ${config.dtype} ${config.threads}t`;
      try {
        const result = await runFresh({ ...base, repeats, ...config, mode: 'hangar', storeName });
        const window = median(result.windowMs);
        console.log(`${label}: ${result.windowMs.map((ms) => fmt(ms)).join('/')} ms per 30 s window`);
        rtfLines.push(`| ${config.device} | ${config.dtype} | ${config.threads} | ${fmt(window)} ms | ${fmt(window / 30_000, 3)} |`);
        rtf[label] = result.windowMs;
      } catch (error) {
        const message = (error as Error).message.split('\n')[0];
        console.log(`${label}: failed: ${message}`);
        rtfLines.push(`| ${config.device} | ${config.dtype} | ${config.threads} | failed: ${message} | – |`);
        rtf[label] = { error: message };
      }
    }
    await page.evaluate((name) => window.hangarWhisperBench!.clear(name), storeName);

    const medians = (m: typeof starts.transformers) => ({
      cold: median(m.cold),
      warm: median(m.warm),
      coldLoad: median(m.coldLoad),
      warmLoad: median(m.warmLoad),
    });
    const h = medians(starts.hangar);
    const t = medians(starts.transformers);
    const markdown = [
      ...rtfLines,
      '',
      `RTF = time to transcribe a 30 s window / 30 s (below 1: faster than real time); median of ${repeats} runs after a warm-up (WebGPU: one), in a worker; files from Hangar's store`,
      '',
      '| storage | cold: first visit | warm: cached, Hub unreachable | cold: pipeline ready | warm: pipeline ready | requests to the Hub while warm |',
      '|---|---:|---:|---:|---:|---:|',
      `| Hangar (store + configureTransformers) | ${fmt(h.cold)} ms | ${fmt(h.warm)} ms | ${fmt(h.coldLoad)} ms | ${fmt(h.warmLoad)} ms | ${warmAttempts.hangar} |`,
      `| transformers.js default (Cache API) | ${fmt(t.cold)} ms | ${fmt(t.warm)} ms | ${fmt(t.coldLoad)} ms | ${fmt(t.warmLoad)} ms | ${warmAttempts.transformers} |`,
      `| ratio Hangar / transformers.js | ${fmt(h.cold / t.cold, 2)} | ${fmt(h.warm / t.warm, 2)} | ${fmt(h.coldLoad / t.coldLoad, 2)} | ${fmt(h.warmLoad / t.warmLoad, 2)} | |`,
      '',
      `time to first transcript (pipeline ready + first 30 s window) from a fresh page's worker, wasm q8 1 thread, medians of ${repeats};`,
      'Hangar cold downloads the q8 variant in one verified job first (as the PWA does), transformers.js fetches and caches file by file;',
      `of Hangar's cold pipeline-ready, the verified job took ${fmt(median(starts.hangar.coldJob))} ms and the pipeline from the store ${fmt(h.coldLoad - median(starts.hangar.coldJob))} ms`,
    ].join('\n');
    return { markdown, chromium: context.browser()?.version() ?? 'unknown', json: { starts, warmAttempts, rtf } };
  },
};
