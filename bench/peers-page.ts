import { AutoModel, AutoModelForSpeechSeq2Seq } from '@huggingface/transformers';
import * as ort from 'onnxruntime-web';
import { createModelManager } from '../src/index.ts';
import { clearModelStorage } from './remove-store.ts';
import type { Outcome, PeerCase, PeersPageApi } from './peers-types.ts';
import { useTransformersDefaults } from './transformers-defaults.ts';
import { createSession } from 'hangar/runtime';

const PLAIN_CACHE = 'peers-plain';
ort.env.wasm.wasmPaths = `${location.origin}/ort/`;
ort.env.wasm.numThreads = 1;

async function timed(run: () => Promise<unknown>): Promise<Outcome> {
  const started = performance.now();
  try {
    await run();
    return { ok: true, ms: performance.now() - started };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message.split('\n')[0]!.slice(0, 160) : String(error) };
  }
}

/** transformers.js's own way in: `from_pretrained` with its default Cache API storage (fetches and caches on a miss), then dispose. */
async function loadWithTransformers(endpoint: string, c: PeerCase): Promise<void> {
  useTransformersDefaults(endpoint, 1);
  const Loader = c.transformers.loader === 'speech-seq2seq' ? AutoModelForSpeechSeq2Seq : AutoModel;
  await (await Loader.from_pretrained(c.repo, { dtype: c.transformers.dtype, device: 'wasm' })).dispose();
}

const api: PeersPageApi = {
  download: (peer, endpoint, storeName, c) =>
    timed(async () => {
      const url = (path: string) => `${endpoint}/${c.repo}/resolve/main/${path}`;
      if (peer === 'hangar') {
        const mm = createModelManager({ endpoint, storeName, cache: { autoClean: false, maxSize: '64GB' } });
        await mm.download(c.repo, { files: c.files }).done;
        mm.close();
      } else if (peer === 'cache-api') {
        const cache = await caches.open(PLAIN_CACHE);
        for (const path of c.files) {
          const response = await fetch(url(path));
          if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
          await cache.put(url(path), response);
        }
      } else {
        await loadWithTransformers(endpoint, c);
      }
    }),
  reload: (peer, endpoint, storeName, c) =>
    timed(async () => {
      if (peer === 'hangar') {
        const mm = createModelManager({ endpoint, storeName, cache: { autoClean: false } });
        for (const graph of c.graphs) await (await createSession(mm, c.repo, graph.path, { backend: 'wasm' })).session.release();
        mm.close();
      } else if (peer === 'cache-api') {
        const cache = await caches.open(PLAIN_CACHE);
        const bytes = async (path: string) => {
          const hit = await cache.match(`${endpoint}/${c.repo}/resolve/main/${path}`);
          if (hit === undefined) throw new Error(`${path} is not in the cache`);
          return new Uint8Array(await hit.arrayBuffer());
        };
        for (const graph of c.graphs) {
          const externalData = await Promise.all(
            graph.externalData.map(async (path) => ({ path: path.slice(path.lastIndexOf('/') + 1), data: await bytes(path) })),
          );
          const session = await ort.InferenceSession.create(await bytes(graph.path), { executionProviders: ['wasm'], externalData });
          await session.release();
        }
      } else {
        await loadWithTransformers(endpoint, c);
      }
    }),
  clear: clearModelStorage,
};

window.hangarPeers = api;
