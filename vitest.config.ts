import { playwright } from '@vitest/browser-playwright';
import { defineConfig, type TestProjectInlineConfiguration } from 'vitest/config';
import { CHROMIUM_ARGS, chromiumPath } from './test/chromium.ts';
import { crossOriginIsolation, ortFiles } from './vite.config.ts';

/** The browser-mode suite in Debian Chromium, with the store's blobs in `backend`. */
function browserProject(name: string, backend: 'opfs' | 'indexeddb'): TestProjectInlineConfiguration {
  return {
    extends: true,
    test: {
      name,
      include: ['src/**/*.browser.test.ts', 'test/**/*.browser.test.ts'],
      globalSetup: ['test/hub/global-setup.ts'],
      provide: { backend },
      testTimeout: 60_000,
      // One fake Hub serves the run and tests read its global counters: run files one at a time.
      fileParallelism: false,
      browser: {
        enabled: true,
        headless: true,
        screenshotFailures: false,
        provider: playwright({ launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS } }),
        instances: [{ browser: 'chromium' }],
      },
    },
  };
}

export default defineConfig({
  plugins: [ortFiles()],
  server: { headers: crossOriginIsolation },
  optimizeDeps: { exclude: ['onnxruntime-web'], include: ['comlink', 'idb', 'hash-wasm', '@huggingface/hub'] },
  worker: { format: 'es' },
  test: {
    reporters: ['default', 'json'],
    outputFile: { json: 'test-results/vitest.json' },
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          environment: 'node',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts', 'bench/**/*.test.ts'],
          exclude: ['**/*.browser.test.ts', 'test/e2e/**', 'node_modules/**'],
        },
      },
      browserProject('browser', 'opfs'),
      // The same suite again with blob bytes in IndexedDB instead of OPFS.
      browserProject('browser-idb', 'indexeddb'),
    ],
  },
});
