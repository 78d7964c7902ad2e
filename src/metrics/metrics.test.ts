import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.ts';

describe('Metrics', () => {
  it('times the first run apart from the steady runs, per backend', async () => {
    const metrics = new Metrics();
    const session = { run: async () => new Promise((resolve) => setTimeout(resolve, 5)) };
    metrics.session('wasm', 120, 2_000_000, session);
    for (let i = 0; i < 5; i++) await session.run();
    const wasm = metrics.snapshot().backends.wasm!;
    expect(wasm).toMatchObject({ sessions: 1, modelBytes: 2_000_000, createMs: { last: 120, mean: 120 }, steadyRunMs: { runs: 4 } });
    expect(wasm.firstRunMs.last).toBeGreaterThan(0);
    expect(wasm.steadyRunMs.median).toBeGreaterThan(0);
    expect(metrics.snapshot().backends.webgpu).toBeUndefined();
  });

  it('sums downloads: fetched bytes, bytes the cache saved, rate', () => {
    const metrics = new Metrics();
    metrics.download({ ok: true, files: 3, bytesFetched: 4e6, bytesFromCache: 1e6, durationMs: 2000 });
    metrics.download({ ok: false, files: 0, bytesFetched: 1e6, bytesFromCache: 0, durationMs: 500 });
    expect(metrics.snapshot().downloads).toEqual({
      jobs: 2,
      failed: 1,
      files: 3,
      bytesFetched: 5e6,
      bytesFromCache: 1e6,
      bytesPerSecond: 2e6,
      lastDurationMs: 500,
    });
  });
});
