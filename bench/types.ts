import type { Cleanup } from './util.ts';

/** Options every benchmark gets from `bench/run.ts`. */
export interface BenchOptions {
  /** File sizes to measure, in MiB, ascending. */
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
  run(options: BenchOptions): Promise<BenchReport>;
}
