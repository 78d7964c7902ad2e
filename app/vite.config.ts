import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mergeConfig, type Plugin } from 'vite';
import library, { crossOriginIsolation } from '../vite.config.ts';
import { sampleClip } from './sample-clip.ts';

const APP = fileURLToPath(new URL('.', import.meta.url));
const LIBRARY = fileURLToPath(new URL('../src/', import.meta.url));

/**
 * Fills the service worker's precache list and a version hash of those files into `sw.js`, once
 * the bundle is written: every page, chunk, style and public file, and transformers.js's ORT wasm
 * (`/ort-transformers/`). Left out: Hangar's own `/ort/` build (the app transcribes through
 * transformers.js) and the wasm copies the bundler emits under assets/ (never loaded: wasmPaths
 * points at the served copies).
 */
export function precache(): Plugin {
  return {
    name: 'hangar-precache',
    apply: 'build',
    writeBundle(options, bundle) {
      const outDir = options.dir!;
      const hash = createHash('sha256');
      const urls = ['/'];
      for (const [fileName, output] of Object.entries(bundle).sort(([a], [b]) => a.localeCompare(b))) {
        if (fileName === 'sw.js' || fileName.endsWith('.map') || fileName.startsWith('ort/') || /^assets\/.*\.wasm$/.test(fileName))
          continue;
        urls.push(`/${fileName}`);
        hash.update(fileName).update(output.type === 'chunk' ? output.code : output.source);
      }
      for (const name of readdirSync(join(APP, 'public'))) urls.push(`/${name}`);
      const path = join(outDir, 'sw.js');
      const code = readFileSync(path, 'utf8')
        .replace('__HANGAR_PRECACHE__', JSON.stringify(urls).replaceAll("'", "\\'"))
        .replace('__HANGAR_VERSION__', hash.digest('hex').slice(0, 16));
      writeFileSync(path, code);
    },
  };
}

/**
 * Hangar Whisper: the PWA's dev server (`npm run dev`), build (`npm run build`, into dist/) and
 * preview; the library's config (ONNX Runtime served from this origin, isolation headers) plus these.
 */
export default mergeConfig(library, {
  root: APP,
  plugins: [precache(), sampleClip()],
  resolve: {
    // The app uses the library as an embedding app would, by its package name.
    alias: [
      { find: /^hangar$/, replacement: join(LIBRARY, 'index.ts') },
      { find: /^hangar\/panel$/, replacement: join(LIBRARY, 'panel/index.ts') },
      { find: /^hangar\/runtime$/, replacement: join(LIBRARY, 'runtime/index.ts') },
      { find: /^hangar\/transformers$/, replacement: join(LIBRARY, 'transformers/index.ts') },
    ],
  },
  build: {
    outDir: join(APP, '../dist'),
    emptyOutDir: true,
    rollupOptions: {
      input: {
        index: join(APP, 'index.html'),
        download: join(APP, 'download.html'),
        panel: join(APP, 'panel.html'),
        sw: join(APP, 'src/sw.ts'),
      },
      output: { entryFileNames: (chunk: { name: string }) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: crossOriginIsolation },
});
