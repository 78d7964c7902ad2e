import { gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';
import type { Benchmark } from './types.ts';

/** The `<hangar-panel>` bundle as an app ships it: `src/panel/index.ts` alone, minified, raw and gzip bytes. */
export const panelSizeBench: Benchmark = {
  name: 'panel',
  defaultSizesMiB: [0],
  sizeUnit: '(none)',
  defaultRepeats: 1,
  async run() {
    const result = (await build({
      configFile: false,
      logLevel: 'silent',
      build: { write: false, minify: true, lib: { entry: 'src/panel/index.ts', formats: ['es'], fileName: 'hangar-panel' } },
    })) as Rolldown.RolldownOutput[];
    const chunks = result.flatMap((output) => output.output).filter((output): output is Rolldown.OutputChunk => output.type === 'chunk');
    const raw = chunks.reduce((sum, chunk) => sum + Buffer.byteLength(chunk.code), 0);
    const gzip = chunks.reduce((sum, chunk) => sum + gzipSync(chunk.code, { level: 9 }).byteLength, 0);
    const modules = chunks.flatMap((chunk) => Object.keys(chunk.modules)).map((path) => path.slice(path.indexOf('/src/') + 1));
    const markdown = [
      '| bundle | minified | gzip | modules |',
      '|---|---:|---:|---|',
      `| \`src/panel/index.ts\` | ${(raw / 1024).toFixed(1)} KiB | **${(gzip / 1024).toFixed(1)} KiB** | ${modules.join(', ')} |`,
    ].join('\n');
    return { markdown, json: { raw, gzip, modules } };
  },
};
