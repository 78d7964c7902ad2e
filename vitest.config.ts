import { existsSync } from 'node:fs';
import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import type { BrowserProviderOption } from 'vitest/node';
import { bundledWorkers } from './test/browsers/bundled-workers.ts';
import { CHROMIUM_ARGS, chromiumPath } from './test/browsers/chromium.ts';
import { firefoxLaunchOptions } from './test/browsers/firefox.ts';
import type { BrowserSetup, Engine } from './test/browsers/setup.ts';
import { minibrowser } from './test/browsers/webkit.ts';
import { crossOriginIsolation, ortFiles } from './vite.config.ts';

/** Each engine's driver and the name vitest gives its browser. */
const DRIVERS: Record<Engine, () => { provider: BrowserProviderOption; browser: 'chromium' | 'firefox' | 'webkit' }> = {
  chromium: () => ({
    provider: playwright({ launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS } }),
    browser: 'chromium',
  }),
  firefox: () => ({ provider: playwright({ launchOptions: firefoxLaunchOptions({}, { networkEvents: false }) }), browser: 'firefox' }),
  webkit: () => ({ provider: minibrowser({ private: false }), browser: 'webkit' }),
  'webkit-private': () => ({ provider: minibrowser({ private: true }), browser: 'webkit' }),
};

/**
 * Files that test how blob bytes are written, resumed, checked and read back in the store (not the
 * network, jobs or APIs above it). An engine's second project (another backend or chunk type) runs
 * only these: every other file runs once per engine, and with IndexedDB in WebKit (CI time: issue 23).
 */
const STORAGE_FILES = [
  'src/store/cache.browser.test.ts',
  'src/store/idb-backend.browser.test.ts',
  'src/store/probe-storage.browser.test.ts',
  'src/download/download.browser.test.ts',
  'src/download/lifecycle.browser.test.ts',
  'src/download/job-races.browser.test.ts',
  'src/download/damaged-store.browser.test.ts',
  'src/download/fetch-blob-faults.browser.test.ts',
  'src/cache/archive-model.browser.test.ts',
  'src/runtime/create-session.browser.test.ts',
  'src/runtime/external-data.browser.test.ts',
];

// A file moved without this list following would silently not run with the other backends.
for (const path of STORAGE_FILES) if (!existsSync(path)) throw new Error(`vitest.config.ts lists ${path}, which does not exist`);

/**
 * The browser-mode suite in one engine, with the store's `cache.backend` set to `setup.backend`;
 * `again` marks a second project of an engine, which runs only the storage files.
 */
function browserProject(name: string, setup: BrowserSetup, again = false): TestProjectInlineConfiguration {
  const driver = DRIVERS[setup.engine]();
  return {
    extends: true,
    test: {
      name,
      include: again ? STORAGE_FILES : ['src/**/*.browser.test.ts', 'test/**/*.browser.test.ts'],
      globalSetup: ['test/hub/global-setup.ts'],
      provide: { setup },
      testTimeout: 60_000,
      // On a loaded CI machine a browser test gets one retry; one that passes only on it fails CI unless quarantined (.ci/quarantine.json).
      retry: process.env.CI ? 1 : 0,
      // One fake Hub serves the run and tests read its global counters: run files one at a time.
      fileParallelism: false,
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: driver.provider,
        instances: [{ browser: driver.browser }],
      },
    },
  };
}

/** The IndexedDB backend by choice, in an engine that stores Blob values. */
const INDEXEDDB = { backend: 'indexeddb', expect: { backend: 'indexeddb', chunks: 'blob' } } as const;

export default defineConfig({
  plugins: [ortFiles(), bundledWorkers(crossOriginIsolation)],
  server: { headers: crossOriginIsolation },
  optimizeDeps: { exclude: ['onnxruntime-web'], include: ['comlink', 'idb', 'hash-wasm', '@huggingface/hub'] },
  worker: { format: 'es' },
  test: {
    reporters: ['default', './test/report/project-counts.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/**/*.test.ts', 'app/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts', 'cli/**/*.test.ts'],
          exclude: ['**/*.browser.test.ts', 'test/e2e/**', 'node_modules/**'],
        },
      },
      // `auto` must find OPFS sync access handles in Chromium and Firefox; the IndexedDB backend runs there too by choice.
      browserProject('chromium', { engine: 'chromium', backend: 'auto', expect: { backend: 'opfs' }, opfs: true }),
      browserProject('chromium-idb', { engine: 'chromium', ...INDEXEDDB, opfs: true }, true),
      browserProject('firefox', { engine: 'firefox', backend: 'auto', expect: { backend: 'opfs' }, opfs: true }),
      browserProject('firefox-idb', { engine: 'firefox', ...INDEXEDDB, opfs: true }, true),
      // WebKitGTK refuses sync access handles: `auto` must fall back to IndexedDB, and in a private session to ArrayBuffer chunks.
      browserProject('webkit', { engine: 'webkit', backend: 'auto', expect: { backend: 'indexeddb', chunks: 'blob' }, opfs: false }),
      browserProject(
        'webkit-private',
        { engine: 'webkit-private', backend: 'auto', expect: { backend: 'indexeddb', chunks: 'arraybuffer' }, opfs: false },
        true,
      ),
    ],
  },
});
