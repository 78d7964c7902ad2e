import { join } from 'node:path';
import type { Page } from 'playwright';
import { bigSumOnnx } from '../test/fixtures/onnx/big-sum.ts';
import { whisperTinyFiles } from '../test/fixtures/whisper/whisper-repo.ts';
import { startFakeHub, type FakeHub, type RepoDef } from '../test/hub/index.ts';
import { cutOff, openBenchPage, startBenchBrowser } from './bench-browser.ts';
import { MemorySampler, sampleMemory, total } from './memory-sampler.ts';
import type { Outcome, Peer, PeerCase } from './peers-types.ts';
import { findBrowserPid } from './proc-mem.ts';
import { pageRendererPid } from './renderer.ts';
import type { Benchmark } from './types.ts';
import { fmt, sleep } from './util.ts';

const MiB = 2 ** 20;
const PEERS: Peer[] = (process.env.PEERS?.split(',') as Peer[] | undefined) ?? ['hangar', 'transformers', 'cache-api'];
const PEER_NAMES: Record<Peer, string> = {
  hangar: 'Hangar',
  transformers: 'transformers.js (Cache API)',
  'cache-api': 'fetch + Cache API',
};
const CONFIG = (extra: object = {}) => JSON.stringify({ model_type: 'bert', ...extra });

/** Adds `files` to the fake Hub as `repo` and returns the case with the bytes of `c.files` there. */
function addCase(hub: FakeHub, files: RepoDef['commits'][number]['files'], c: PeerCase): { c: PeerCase; bytes: number } {
  const info = hub.addRepo({ id: c.repo, commits: [{ files }] });
  return { c, bytes: info.commits[0]!.files.filter((file) => c.files.includes(file.path)).reduce((sum, file) => sum + file.size, 0) };
}

/** The models compared: the Whisper fixture, Silero VAD, and one graph per size summing that many MiB of external data. */
function cases(hub: FakeHub, sizes: number[]): Array<{ c: PeerCase; bytes: number }> {
  const whisper = whisperTinyFiles('bench/peers-whisper');
  const q8 = ['onnx/encoder_model_quantized.onnx', 'onnx/decoder_model_merged_quantized.onnx'];
  return [
    addCase(hub, whisper, {
      name: 'tiny Whisper fixture (q8)',
      repo: 'bench/peers-whisper',
      files: [...Object.keys(whisper).filter((path) => !path.startsWith('onnx/')), ...q8],
      graphs: q8.map((path) => ({ path, externalData: [] })),
      transformers: { loader: 'speech-seq2seq', dtype: 'q8' },
    }),
    addCase(
      hub,
      {
        'config.json': CONFIG(),
        'onnx/model.onnx': { diskPath: join(process.cwd(), 'node_modules/@ricky0123/vad-web/dist/silero_vad_v5.onnx') },
      },
      {
        name: 'Silero VAD v5',
        repo: 'bench/peers-silero',
        files: ['config.json', 'onnx/model.onnx'],
        graphs: [{ path: 'onnx/model.onnx', externalData: [] }],
        transformers: { loader: 'auto', dtype: 'fp32' },
      },
    ),
    ...sizes.map((size) =>
      addCase(
        hub,
        {
          'config.json': CONFIG({ 'transformers.js_config': { use_external_data_format: true } }),
          'onnx/model.onnx': bigSumOnnx('model.onnx_data', (size * MiB) / 4),
          'onnx/model.onnx_data': { synthetic: { size: size * MiB, seed: 9000 + size } },
        },
        {
          name: `synthetic ${size >= 1024 ? `${size / 1024} GiB` : `${size} MiB`} (external data)`,
          repo: `bench/peers-big-${size}`,
          files: ['config.json', 'onnx/model.onnx', 'onnx/model.onnx_data'],
          graphs: [{ path: 'onnx/model.onnx', externalData: ['onnx/model.onnx_data'] }],
          transformers: { loader: 'auto', dtype: 'fp32' },
        },
      ),
    ),
  ];
}

interface CaseResult {
  download: Outcome & { growth?: number };
  reload: Outcome;
  /** Bytes fetched beyond one copy of the files after an interruption at 50%, over their size. */
  interruption?: number;
  /** Bytes fetched by two tabs loading at once, over one copy. */
  twoTabs?: number;
}

/**
 * Hangar vs transformers.js's default cache vs plain fetch + Cache API, on the same files in the
 * same browser: download+store time and renderer peak memory, reload to sessions ready, bytes
 * refetched after an interruption at 50%, bytes fetched by two tabs at once.
 */
export const peersBench: Benchmark = {
  name: 'peers',
  defaultSizesMiB: [512, 1536],
  defaultRepeats: 1,
  async run({ sizesMiB, cleanup }) {
    const hub = await startFakeHub();
    cleanup.add('fake hub', () => hub.close());
    const list = cases(hub, sizesMiB);
    const { context, page, viteUrl, profileDir } = await startBenchBrowser('bench/peers.html', cleanup);
    const pageUrl = new URL('bench/peers.html', viteUrl).href;
    const browserPid = await findBrowserPid(profileDir);
    const open = (): Promise<Page> => openBenchPage(context, pageUrl, 'hangarPeers');
    await openBenchPage(page, pageUrl, 'hangarPeers');
    /** Bytes of the case's files the Hub has served since the last reset. */
    const served = (c: PeerCase): number => {
      const { files } = hub.stats(c.repo);
      return c.files.reduce((sum, path) => sum + (files[`${c.repo}/${path}`]?.bytes ?? 0), 0);
    };
    const clear = (storeName: string) => page.evaluate((name) => window.hangarPeers!.clear(name), storeName);
    const results: Record<string, Partial<Record<Peer, CaseResult>>> = {};
    // Warm-up, not recorded: each peer's ONNX Runtime wasm compiled once (the browser caches it), so the first peer measured pays no more than the others.
    for (const peer of PEERS) {
      const warm = await open();
      const { c } = list[1]!;
      await warm.evaluate(({ peer, endpoint, c }) => window.hangarPeers!.download(peer, endpoint, 'peers-warm-up', c), {
        peer,
        endpoint: hub.url,
        c,
      });
      await warm.evaluate(({ peer, endpoint, c }) => window.hangarPeers!.reload(peer, endpoint, 'peers-warm-up', c), {
        peer,
        endpoint: hub.url,
        c,
      });
      await warm.close();
      await clear('peers-warm-up');
    }
    hub.reset();

    for (const { c, bytes } of list) {
      results[c.name] = {};
      for (const peer of PEERS) {
        const storeName = `peers-${peer}-${Date.now().toString(36)}`;
        await clear(storeName);
        // 1. Download + store, renderer memory sampled meanwhile.
        const first = await open();
        const pid = (await pageRendererPid(first, browserPid)).pid;
        const before = total(await sampleMemory([pid]), [pid], 'rss') ?? NaN;
        const sampler = new MemorySampler([pid], 50);
        const download = await first.evaluate(
          ({ peer, endpoint, storeName, c }) => window.hangarPeers!.download(peer, endpoint, storeName, c),
          { peer, endpoint: hub.url, storeName, c },
        );
        const peak = Math.max(...(await sampler.stop()).map((sample) => total(sample, [pid], 'rss') ?? 0));
        await first.close();
        // 2. Reload: a fresh page, stored files to sessions ready, the Hub cut off.
        const second = await open();
        const cut = await cutOff(context, [hub.url, hub.cdnUrl]);
        const reload = download.ok
          ? await second.evaluate(({ peer, endpoint, storeName, c }) => window.hangarPeers!.reload(peer, endpoint, storeName, c), {
              peer,
              endpoint: hub.url,
              storeName,
              c,
            })
          : ({ ok: false, error: 'nothing stored' } as const);
        await cut.restore();
        await second.close();
        const result: CaseResult = { download: { ...download, growth: peak - before }, reload };
        // 3. Interruption at 50% and two tabs, on the large files (the small ones arrive before a tab can be closed).
        if (bytes >= 64 * MiB) {
          await clear(storeName);
          hub.reset();
          const interrupted = await open();
          void interrupted
            .evaluate(({ peer, endpoint, storeName, c }) => window.hangarPeers!.download(peer, endpoint, storeName, c), {
              peer,
              endpoint: hub.url,
              storeName,
              c,
            })
            .catch(() => {});
          while (served(c) < bytes / 2) await sleep(20);
          await interrupted.close({ runBeforeUnload: false });
          const again = await open();
          const redo = await again.evaluate(
            ({ peer, endpoint, storeName, c }) => window.hangarPeers!.download(peer, endpoint, storeName, c),
            { peer, endpoint: hub.url, storeName, c },
          );
          await again.close();
          result.interruption = redo.ok ? (served(c) - bytes) / bytes : NaN;

          await clear(storeName);
          hub.reset();
          const [a, b] = await Promise.all([open(), open()]);
          await Promise.all(
            [a, b].map((tab) =>
              tab.evaluate(({ peer, endpoint, storeName, c }) => window.hangarPeers!.download(peer, endpoint, storeName, c), {
                peer,
                endpoint: hub.url,
                storeName,
                c,
              }),
            ),
          );
          await Promise.all([a.close(), b.close()]);
          result.twoTabs = served(c) / bytes;
        }
        await clear(storeName);
        hub.reset();
        results[c.name]![peer] = result;
        const show = (o: Outcome) => (o.ok ? `${fmt(o.ms)} ms` : `failed: ${o.error}`);
        console.log(
          `${c.name} / ${peer}: download ${show(download)} (+${fmt((peak - before) / MiB)} MiB), reload ${show(reload)}` +
            (result.interruption === undefined
              ? ''
              : `, refetched ${fmt(result.interruption * 100, 1)}%, two tabs ${fmt(result.twoTabs, 2)}x`),
        );
      }
    }
    return { markdown: report(results), chromium: context.browser()?.version() ?? 'unknown', json: results };
  },
};

function report(results: Record<string, Partial<Record<Peer, CaseResult>>>): string {
  const cell = (o: Outcome | undefined) => (o === undefined ? '–' : o.ok ? `${fmt(o.ms)} ms` : `failed: ${o.error}`);
  const lines = [
    '| model | peer | download + store | renderer peak growth | reload → sessions ready | refetched after 50% cut | two tabs fetch |',
    '|---|---|---:|---:|---:|---:|---:|',
  ];
  const ratios = [
    '| model | download+store: Hangar / fastest peer | peak memory: Hangar / transformers.js | reload: Hangar / fastest peer |',
    '|---|---:|---:|---:|',
  ];
  for (const [name, byPeer] of Object.entries(results)) {
    for (const peer of PEERS) {
      const r = byPeer[peer];
      if (r === undefined) continue;
      lines.push(
        `| ${name} | ${PEER_NAMES[peer]} | ${cell(r.download)} | ${r.download.growth === undefined ? '–' : `+${fmt(r.download.growth / MiB)} MiB`} | ${cell(r.reload)} | ${r.interruption === undefined ? '–' : `${fmt(r.interruption * 100, 1)}%`} | ${r.twoTabs === undefined ? '–' : `${fmt(r.twoTabs, 2)}x`} |`,
      );
    }
    const ms = (peer: Peer, key: 'download' | 'reload') => {
      const o = byPeer[peer]?.[key];
      return o?.ok === true ? o.ms : NaN;
    };
    const fastest = (key: 'download' | 'reload') =>
      Math.min(...(['transformers', 'cache-api'] as const).map((peer) => ms(peer, key)).filter(Number.isFinite));
    ratios.push(
      `| ${name} | ${fmt(ms('hangar', 'download') / fastest('download'), 2)} | ${fmt((byPeer.hangar?.download.growth ?? NaN) / (byPeer.transformers?.download.growth ?? NaN), 2)} | ${fmt(ms('hangar', 'reload') / fastest('reload'), 2)} |`,
    );
  }
  return [
    ...lines,
    '',
    ...ratios,
    '',
    'transformers.js "download + store" is `from_pretrained` on an empty cache (it fetches, caches and opens the sessions in one call); reload is `from_pretrained` again in a fresh page. The Hub is cut off during reloads. Interruption and two tabs: files of 64 MiB and more.',
  ].join('\n');
}
