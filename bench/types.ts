import type { Cleanup } from './util.ts';

/** Options every benchmark gets from `bench/run.ts`. */
export interface BenchOptions {
  /** Sizes to measure, ascending, in the benchmark's `sizeUnit` (MiB unless it says otherwise). */
  sizesMiB: number[];
  /** Runs per size; the report gives the median. */
  repeats: number;
  /** Where to register teardown (servers, browser, temp dirs); run.ts runs it after the benchmark, on failure and on SIGINT/SIGTERM. */
  cleanup: Cleanup;
}

/** What a benchmark hands back: a markdown table for people, JSON for machines. */
export interface BenchReport {
  markdown: string;
  json: Record<string, unknown>;
  /** Browser version, when the benchmark ran one. */
  chromium?: string;
}

/** A benchmark `bench/run.ts` knows by name. */
export interface Benchmark {
  name: string;
  /** Default sizes (MiB) when `--sizes` is not given. */
  defaultSizesMiB: number[];
  /** What `--sizes` counts when not MiB (the cache benchmark: models). */
  sizeUnit?: string;
  /** Runs per size when `--repeats` is not given; default 3. */
  defaultRepeats?: number;
  run(options: BenchOptions): Promise<BenchReport>;
}
