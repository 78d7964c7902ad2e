import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect, type Plugin } from 'vite';
import { bundledWorkers } from './test/browsers/bundled-workers.ts';

// Shared by the library's dev server (this file) and the app's (app/vite.config.ts): ONNX Runtime served from this origin, cross-origin isolation.

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

/** The library's dev server, for the test harness pages (test/e2e) and the benchmark pages (bench/). The app has its own, app/vite.config.ts. */
export default defineConfig({
  plugins: [ortFiles(), bundledWorkers(crossOriginIsolation)],
  server: { host: '127.0.0.1', port: 5173, strictPort: true, headers: crossOriginIsolation },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
});
