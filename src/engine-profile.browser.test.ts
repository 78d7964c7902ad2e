import { expect, it } from 'vitest';
import { managersClosedAfterEach, setup } from '../test/support/browser.ts';

const manager = managersClosedAfterEach();

/**
 * Prints what this engine gave Hangar (the README's support table is filled from these lines):
 * where blob bytes went, WASM threads, WebGPU, isolation, quota, and whether persist() answered.
 */
it(`reports what ${setup.engine} offers (a line for the README's support table)`, async () => {
  const mm = manager();
  await mm.download('hangar-test/tiny-multi', { files: ['config.json'] }).done;
  const [profile, usage] = await Promise.all([mm.probe(), mm.cache.usage()]);
  const storage = (navigator as { storage?: StorageManager }).storage;
  const persist =
    storage?.persist === undefined
      ? 'no navigator.storage'
      : await Promise.race([
          storage.persist().then((granted) => (granted ? 'granted' : 'denied')),
          new Promise<string>((resolve) => setTimeout(resolve, 3000, 'no answer within 3 s (a prompt)')),
        ]);
  const line = {
    engine: setup.engine,
    userAgent: navigator.userAgent,
    backend: `${usage.storage.backend}${usage.storage.chunks === undefined ? '' : ` (${usage.storage.chunks} chunks)`}`,
    why: usage.storage.reason,
    wasmThreads: profile.wasm.threads,
    cores: profile.hardwareConcurrency,
    recommendedThreads: profile.recommendation.threads,
    webgpu:
      profile.webgpu === null
        ? 'none'
        : `${profile.webgpu.architecture || profile.webgpu.vendor}${profile.webgpu.software ? ' (software)' : ''}`,
    crossOriginIsolated: profile.crossOriginIsolated,
    quota: profile.storage.quota ?? 'not reported',
    persist,
  };
  console.log(`ENGINE PROFILE ${JSON.stringify(line)}`);
  expect(usage.storage.backend).toBe(setup.expect.backend);
});
