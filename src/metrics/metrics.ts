import type { Backend } from '../probe/index.ts';

/** Timings of the sessions opened on one backend. */
export interface BackendMetrics {
  sessions: number;
  /** Bytes of the graphs and external data opened. */
  modelBytes: number;
  createMs: { last: number; mean: number };
  /** The first `run()` of each session (includes kernel compilation on WebGPU). */
  firstRunMs: { last: number | undefined; mean: number | undefined };
  /** Later runs: median of the last 100. */
  steadyRunMs: { median: number | undefined; runs: number };
}

/** Downloads as the cache saw them: what moved, what the cache already had. */
export interface DownloadMetrics {
  jobs: number;
  failed: number;
  files: number;
  /** Bytes that came over the network. */
  bytesFetched: number;
  /** Bytes of files already stored (dedup across revisions and tabs): not fetched again. */
  bytesFromCache: number;
  /** Mean rate of the completed jobs' network bytes. */
  bytesPerSecond: number | undefined;
  lastDurationMs: number | undefined;
}

/** A snapshot of what this manager measured. */
export interface MetricsSnapshot {
  downloads: DownloadMetrics;
  backends: Partial<Record<Backend, BackendMetrics>>;
  /** Renderer JS heap where the browser reports it (Chromium `performance.memory`). */
  jsHeapBytes: number | undefined;
}

interface SessionSample {
  createMs: number[];
  firstRunMs: number[];
  steadyRunMs: number[];
  modelBytes: number;
}

const mean = (values: number[]): number | undefined =>
  values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;

/** Collects download and session timings for `metrics()`. */
export class Metrics {
  readonly #downloads = {
    jobs: 0,
    failed: 0,
    files: 0,
    bytesFetched: 0,
    bytesFromCache: 0,
    seconds: 0,
    lastDurationMs: undefined as number | undefined,
  };
  readonly #backends = new Map<Backend, SessionSample>();

  /** Records a finished (or failed) download job. */
  download(job: { ok: boolean; files: number; bytesFetched: number; bytesFromCache: number; durationMs: number }): void {
    const d = this.#downloads;
    d.jobs++;
    if (!job.ok) d.failed++;
    d.files += job.files;
    d.bytesFetched += job.bytesFetched;
    d.bytesFromCache += job.bytesFromCache;
    d.seconds += job.durationMs / 1000;
    d.lastDurationMs = job.durationMs;
  }

  /** Records a session's creation and times its runs from now on. */
  session(backend: Backend, createMs: number, modelBytes: number, session: { run: (...args: never[]) => Promise<unknown> }): void {
    const sample = this.#backends.get(backend) ?? { createMs: [], firstRunMs: [], steadyRunMs: [], modelBytes: 0 };
    this.#backends.set(backend, sample);
    sample.createMs.push(createMs);
    sample.modelBytes += modelBytes;
    const run = session.run.bind(session);
    let first = true;
    session.run = async (...args: never[]) => {
      const started = performance.now();
      const result = await run(...args);
      const ms = performance.now() - started;
      if (first) sample.firstRunMs.push(ms);
      else sample.steadyRunMs.push(ms);
      if (sample.steadyRunMs.length > 100) sample.steadyRunMs.shift();
      first = false;
      return result;
    };
  }

  snapshot(): MetricsSnapshot {
    const d = this.#downloads;
    const backends: MetricsSnapshot['backends'] = {};
    for (const [backend, s] of this.#backends) {
      const steady = [...s.steadyRunMs].sort((a, b) => a - b);
      backends[backend] = {
        sessions: s.createMs.length,
        modelBytes: s.modelBytes,
        createMs: { last: s.createMs.at(-1)!, mean: mean(s.createMs)! },
        firstRunMs: { last: s.firstRunMs.at(-1), mean: mean(s.firstRunMs) },
        steadyRunMs: { median: steady.length === 0 ? undefined : steady[Math.floor(steady.length / 2)], runs: steady.length },
      };
    }
    const memory = (globalThis.performance as { memory?: { usedJSHeapSize: number } } | undefined)?.memory;
    return {
      downloads: {
        jobs: d.jobs,
        failed: d.failed,
        files: d.files,
        bytesFetched: d.bytesFetched,
        bytesFromCache: d.bytesFromCache,
        bytesPerSecond: d.seconds > 0 ? d.bytesFetched / d.seconds : undefined,
        lastDurationMs: d.lastDurationMs,
      },
      backends,
      jsHeapBytes: memory?.usedJSHeapSize,
    };
  }
}
