import { dirname, join, relative, resolve } from 'node:path';
import { rolldown, type Plugin as RolldownPlugin } from 'rolldown';
import type { Connect, Plugin } from 'vite';

/** A worker script of the sources, as vite's dev server names it in `new URL(…, import.meta.url)`. */
const WORKER = /^\/src\/.*[.-]worker\.ts$/;

/**
 * Serves each module worker of the sources (`src/**\/*.worker.ts`, as vite's dev server asks for
 * them: `?worker_file`) as one bundled file, as a production build ships it. Unbundled, every
 * worker start fetched its ~50 modules one request at a time: 90% of a browser test's requests,
 * each one through the browser's network stack and its driver's events (CI time: issue 23).
 * Bundles are cached until a source file changes. `headers` are set on every response.
 */
export function bundledWorkers(headers: Record<string, string>): Plugin {
  const bundles = new Map<string, Promise<string>>();
  return {
    name: 'hangar-bundled-workers',
    apply: 'serve',
    configureServer(server) {
      server.watcher.on('change', () => bundles.clear());
      const handle: Connect.NextHandleFunction = (req, res, next) => {
        const url = new URL(req.url ?? '/', 'http://localhost');
        if (!WORKER.test(url.pathname) || !url.searchParams.has('worker_file')) return next();
        const file = join(server.config.root, url.pathname);
        let bundle = bundles.get(file);
        if (bundle === undefined) bundles.set(file, (bundle = bundleWorker(file, server.config.root)));
        bundle.then(
          (code) => {
            for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
            res.setHeader('Content-Type', 'text/javascript');
            res.setHeader('Cache-Control', 'no-cache');
            res.end(code);
          },
          (error: unknown) => {
            bundles.delete(file);
            next(error);
          },
        );
      };
      server.middlewares.use(handle);
    },
  };
}

async function bundleWorker(file: string, root: string): Promise<string> {
  const build = await rolldown({
    input: file,
    platform: 'browser',
    logLevel: 'warn',
    plugins: [workerUrls(root)],
    // workerUrls changes one expression within its line: the maps stay right to the line.
    onLog: (level, log, handle) => log.code === 'SOURCEMAP_BROKEN' || handle(level, log),
  });
  try {
    const { output } = await build.generate({ format: 'esm', sourcemap: 'inline', codeSplitting: false });
    return output[0].code;
  } finally {
    await build.close();
  }
}

/** A worker that starts another (`new URL('./x.worker.ts', import.meta.url)`) names it as vite's dev server would: from the root, `?worker_file`. */
function workerUrls(root: string): RolldownPlugin {
  return {
    name: 'hangar-worker-urls',
    transform(code, id) {
      if (!code.includes('worker.ts')) return null;
      return code.replace(/new URL\((['"])(\.{1,2}\/[^'"]+[.-]worker\.ts)\1,\s*import\.meta\.url\)/g, (_, _quote: string, path: string) => {
        const url = `/${relative(root, resolve(dirname(id), path)).replaceAll('\\', '/')}?worker_file&type=module`;
        return `new URL(${JSON.stringify(url)}, import.meta.url)`;
      });
    },
  };
}
