import { createReadStream, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Connect, type Plugin } from 'vite';

/** COOP + COEP make the page cross-origin isolated: SharedArrayBuffer, wasm threads. */
export const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/** The onnxruntime-web files Hangar loads at run time (the JSEP build: wasm + WebGPU), served from `/ort/`. */
export const ORT_FILES = ['ort-wasm-simd-threaded.jsep.mjs', 'ort-wasm-simd-threaded.jsep.wasm'];

const DIST = fileURLToPath(new URL('./node_modules/onnxruntime-web/dist/', import.meta.url));

function serve(): Connect.NextHandleFunction {
  return (req, res, next) => {
    const name = (req.url ?? '').split('?')[0]!.replace(/^\//, '');
    if (!ORT_FILES.includes(name)) return next();
    res.setHeader('Content-Type', name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript');
    res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    createReadStream(join(DIST, name)).pipe(res);
  };
}

/**
 * Serves ONNX Runtime's wasm/mjs from this origin at `/ort/` (dev and preview) and copies them
 * into the build, so nothing is ever loaded from a CDN and sessions open offline.
 */
export function ortFiles(): Plugin {
  return {
    name: 'hangar-ort-files',
    configureServer: (server) => void server.middlewares.use('/ort', serve()),
    configurePreviewServer: (server) => void server.middlewares.use('/ort', serve()),
    generateBundle() {
      for (const name of ORT_FILES) this.emitFile({ type: 'asset', fileName: `ort/${name}`, source: readFileSync(join(DIST, name)) });
    },
  };
}

export default defineConfig({
  plugins: [ortFiles()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true, headers: crossOriginIsolation },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true, headers: crossOriginIsolation },
  optimizeDeps: { exclude: ['onnxruntime-web'] },
  worker: { format: 'es' },
});
