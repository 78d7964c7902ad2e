import { mkdir, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { backendsBench } from './backends.bench.ts';
import { chunksBench } from './chunks.bench.ts';
import { sessionsBench } from './sessions.bench.ts';
import { cacheBench } from './cache.bench.ts';
import { linkBench } from './link.bench.ts';
import { downloadBench } from './download.bench.ts';
import { whisperBench } from './whisper.bench.ts';
import { llmBench } from './llm.bench.ts';
import { panelSizeBench } from './panel-size.bench.ts';
import { peersBench } from './peers.bench.ts';
import { lighthouseBench } from './lighthouse.bench.ts';
import { describeMachine, machineInfo } from './machine.ts';
import type { Benchmark } from './types.ts';
import { Cleanup } from './util.ts';

const BENCHMARKS: Benchmark[] = [
  downloadBench,
  linkBench,
  cacheBench,
  backendsBench,
  chunksBench,
  sessionsBench,
  whisperBench,
  llmBench,
  panelSizeBench,
  peersBench,
  lighthouseBench,
];
const RESULTS = new URL('./results/', import.meta.url);
let active: Cleanup | undefined;
let interrupted = false;

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: cleaning up`);
    void (active?.run() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

function parseSizes(text: string, unit: string): number[] {
  const sizes = text.split(',').map((part) => Number(part.trim()));
  if (sizes.some((size) => !Number.isInteger(size) || size <= 0))
    throw new Error(`--sizes: expected ${unit} such as 64,512, got "${text}"`);
  return sizes.sort((a, b) => a - b);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { only: { type: 'string' }, sizes: { type: 'string' }, repeats: { type: 'string' } },
  });
  const repeatsOf = (bench: Benchmark): number => {
    const repeats = values.repeats === undefined ? (bench.defaultRepeats ?? 3) : Number(values.repeats);
    if (!Number.isInteger(repeats) || repeats < 1) throw new Error(`--repeats: expected a positive integer, got "${values.repeats}"`);
    return repeats;
  };
  const selected = BENCHMARKS.filter((bench) => values.only === undefined || bench.name === values.only);
  if (selected.length === 0) throw new Error(`--only: no benchmark "${values.only}" (known: ${BENCHMARKS.map((b) => b.name).join(', ')})`);
  const machine = machineInfo();
  console.log(`machine: ${describeMachine(machine)}`);
  await mkdir(RESULTS, { recursive: true });
  for (const bench of selected) {
    const unit = bench.sizeUnit ?? 'MiB';
    const repeats = repeatsOf(bench);
    const sizesMiB = values.sizes === undefined ? bench.defaultSizesMiB : parseSizes(values.sizes, unit);
    console.log(`\n## ${bench.name} (sizes ${sizesMiB.join(', ')} ${unit}, ${repeats} runs each)`);
    active = new Cleanup();
    let report;
    try {
      report = await bench.run({ sizesMiB, repeats, cleanup: active });
    } finally {
      await active.run();
      active = undefined;
    }
    const ranOn = { ...machine, ...(report.chromium === undefined ? {} : { chromium: report.chromium }) };
    console.log(`\n${describeMachine(ranOn)}\n\n${report.markdown}`);
    const file = new URL(`${bench.name}.json`, RESULTS);
    const options = { ...(unit === 'MiB' ? { sizesMiB } : { sizes: sizesMiB, unit }), repeats };
    const json = { name: bench.name, date: new Date().toISOString(), machine: ranOn, options, ...report.json };
    await writeFile(file, `${JSON.stringify(json, null, 2)}\n`);
    console.log(`\nwrote ${file.pathname}`);
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    if (interrupted) return;
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
