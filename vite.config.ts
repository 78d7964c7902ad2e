import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect, type Plugin } from 'vite';

/** COOP + COEP make the page cross-origin isolated: SharedArrayBuffer, wasm threads. */
export const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The folder of package `name` as node resolves it from folder `from` (nested copies included). */
function packageDir(name: string, from: string): string {
  const entry = createRequire(join(from, 'package.json')).resolve(name);
  const marker = `${sep}node_modules${sep}${name.replaceAll('/', sep)}${sep}`;
  return entry.slice(0, entry.lastIndexOf(marker) + marker.length);
}

const ROOT = fileURLToPath(new URL('.', import.meta.url));

/**
 * The onnxruntime-web files loaded at run time, by URL prefix: Hangar's sessions use the JSEP
 * build (wasm + WebGPU) of the project's onnxruntime-web at `/ort/`; transformers.js imports its
 * own pinned onnxruntime-web (the asyncify build) and gets it at `/ort-transformers/`.
 */
export const ORT_FILES: Record<string, { dir: string; files: string[] }> = {
  ort: {
    dir: join(packageDir('onnxruntime-web', ROOT), 'dist'),
    files: ['ort-wasm-simd-threaded.jsep.mjs', 'ort-wasm-simd-threaded.jsep.wasm'],
  },
  'ort-transformers': {
    dir: join(packageDir('onnxruntime-web', packageDir('@huggingface/transformers', ROOT)), 'dist'),
    files: ['ort-wasm-simd-threaded.asyncify.mjs', 'ort-wasm-simd-threaded.asyncify.wasm'],
  },
};

function serve(dir: string, files: string[]): Connect.NextHandleFunction {
  return (req, res, next) => {
    const name = (req.url ?? '').split('?')[0]!.replace(/^\//, '');
    if (!files.includes(name)) return next();
    res.setHeader('Content-Type', name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    // ONNX Runtime starts its wasm threads as workers from the .mjs: under COEP a worker script needs COEP itself.
    for (const [name, value] of Object.entries(crossOriginIsolation)) res.setHeader(name, value);
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    createReadStream(join(dir, name)).pipe(res);
  };
}

/**
 * Serves ONNX Runtime's wasm/mjs from this origin (see ORT_FILES; dev and preview) and copies
 * them into the build, so nothing is ever loaded from a CDN and sessions open offline.
 */
export function ortFiles(): Plugin {
  const mount = (server: { middlewares: Connect.Server }) => {
    for (const [prefix, { dir, files }] of Object.entries(ORT_FILES)) server.middlewares.use(`/${prefix}`, serve(dir, files));
  };
  return {
    name: 'hangar-ort-files',
    configureServer: mount,
    configurePreviewServer: mount,
    generateBundle() {
      for (const [prefix, { dir, files }] of Object.entries(ORT_FILES))
        for (const name of files) this.emitFile({ type: 'asset', fileName: `${prefix}/${name}`, source: readFileSync(join(dir, name)) });
    },
  };
}

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
      for (const name of readdirSync(join(ROOT, 'public'))) urls.push(`/${name}`);
      const path = join(outDir, 'sw.js');
      const code = readFileSync(path, 'utf8')
        .replace('__HANGAR_PRECACHE__', JSON.stringify(urls).replaceAll("'", "\\'"))
        .replace('__HANGAR_VERSION__', hash.digest('hex').slice(0, 16));
      writeFileSync(path, code);
    },
  };
}

export default defineConfig({
  plugins: [ortFiles(), precache()],
  build: {
    rollupOptions: {
      input: { index: 'index.html', download: 'download.html', panel: 'panel.html', sw: 'src/app/sw.ts' },
      output: { entryFileNames: (chunk) => (chunk.name === 'sw' ? 'sw.js' : 'assets/[name]-[hash].js') },
    },
  },
  server: { host: '127.0.0.1', port: 5173, strictPort: true, headers: crossOriginIsolation },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: crossOriginIsolation },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
});
