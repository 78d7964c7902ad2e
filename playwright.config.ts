import { join } from 'node:path';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './test/browsers/chromium.ts';
import { firefoxLaunchOptions } from './test/browsers/firefox.ts';

const PORT = 5174;
/** The built app (vite build + preview) for the app's specs: service worker, manifest, production bundles. */
export const APP_PORT = 4175;
const APP_BUILD = join(process.cwd(), 'test-results/app');

export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results/e2e',
  timeout: 90_000,
  workers: 1,
  // As in the browser vitest projects: one retry in CI, and a test that needed it fails CI unless quarantined (.ci/quarantine.json).
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  globalSetup: './test/e2e/global-setup.ts',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    headless: true,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: chromiumPath(),
          // A fake microphone (a beep) that needs no permission prompt, for the PWA's recording test.
          args: [...CHROMIUM_ARGS, '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
        },
      },
    },
    {
      // The flows users meet most, again in Firefox: reload mid-download, two tabs, the PWA offline.
      name: 'firefox',
      grep: /@engines/,
      use: { browserName: 'firefox', launchOptions: firefoxLaunchOptions() },
    },
    {
      // Firefox ESR's BiDi cannot emulate a colour scheme: the contrast checks (axe) run again in a Firefox set to dark by pref.
      // The layout specs do not: a scheme changes colours, not geometry, and Chromium checks layout in both (CI time: issue 23).
      name: 'firefox-dark',
      grep: /@schemes/,
      testMatch: 'accessibility.spec.ts',
      use: { browserName: 'firefox', launchOptions: firefoxLaunchOptions({ 'layout.css.prefers-color-scheme.content-override': 0 }) },
    },
  ],
  webServer: [
    {
      command: `npx vite --port ${PORT} --strictPort`,
      url: `http://127.0.0.1:${PORT}/test/e2e/harness.html`,
      reuseExistingServer: !process.env.CI,
      timeout: 60_000,
    },
    {
      command: `npx vite build --config app/vite.config.ts --logLevel warn --outDir ${APP_BUILD} && npx vite preview --config app/vite.config.ts --outDir ${APP_BUILD} --port ${APP_PORT} --strictPort`,
      url: `http://127.0.0.1:${APP_PORT}/`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
  ],
});
