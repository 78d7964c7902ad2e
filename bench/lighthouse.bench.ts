import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launch } from 'chrome-launcher';
import lighthouse from 'lighthouse';
import { build, preview } from 'vite';
import { startFakeHub } from '../test/hub/index.ts';
import { CHROMIUM_ARGS, chromiumPath } from '../test/browsers/chromium.ts';
import type { Benchmark } from './types.ts';

const CATEGORIES = ['accessibility', 'best-practices', 'performance'] as const;

/**
 * Lighthouse (npm) over the built app in Debian's Chromium, with no network beyond this machine:
 * the app (its mirror the fake Hub), the downloader and the panel, mobile and desktop. Scores
 * 0–100 per category; the goals are accessibility and best practices ≥ 95.
 */
export const lighthouseBench: Benchmark = {
  name: 'lighthouse',
  defaultSizesMiB: [0],
  sizeUnit: '(none)',
  defaultRepeats: 1,
  async run({ cleanup }) {
    const hub = await startFakeHub();
    cleanup.add('fake hub', () => hub.close());
    const outDir = await mkdtemp(join(tmpdir(), 'hangar-lighthouse-'));
    cleanup.add('build folder', () => rm(outDir, { recursive: true, force: true }));
    await build({ configFile: 'app/vite.config.ts', logLevel: 'warn', build: { outDir, emptyOutDir: true } });
    const server = await preview({
      configFile: 'app/vite.config.ts',
      logLevel: 'warn',
      build: { outDir },
      preview: { port: 0, host: '127.0.0.1' },
    });
    cleanup.add('preview server', () => server.close());
    const origin = server.resolvedUrls!.local[0]!.replace(/\/$/, '');
    const chrome = await launch({ chromePath: chromiumPath(), chromeFlags: ['--headless=new', ...CHROMIUM_ARGS] });
    cleanup.add('chromium', () => chrome.kill());
    const version = ((await (await fetch(`http://127.0.0.1:${chrome.port}/json/version`)).json()) as { Browser: string }).Browser;

    const pages = [
      ['app', `${origin}/?mirror=${encodeURIComponent(hub.url)}`],
      ['downloader', `${origin}/download.html`],
      ['panel', `${origin}/panel.html?mirror=${encodeURIComponent(hub.url)}`],
    ] as const;
    const rows: string[] = [];
    const json: Record<string, Record<string, number>> = {};
    for (const [name, url] of pages) {
      for (const formFactor of ['mobile', 'desktop'] as const) {
        const result = await lighthouse(url, {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: [...CATEGORIES],
          formFactor,
          screenEmulation:
            formFactor === 'mobile'
              ? { mobile: true, width: 375, height: 812, deviceScaleFactor: 2, disabled: false }
              : { mobile: false, width: 1280, height: 800, deviceScaleFactor: 1, disabled: false },
        });
        const categories = result!.lhr.categories;
        const scores = Object.fromEntries(CATEGORIES.map((category) => [category, Math.round((categories[category]?.score ?? 0) * 100)]));
        json[`${name} ${formFactor}`] = scores;
        const failed = Object.values(result!.lhr.audits)
          .filter((audit) => audit.score !== null && audit.score < 1 && audit.scoreDisplayMode === 'binary')
          .map((audit) => audit.id);
        console.log(`${name} ${formFactor}: ${JSON.stringify(scores)}${failed.length ? ` (failed: ${failed.join(', ')})` : ''}`);
        rows.push(
          `| ${name} | ${formFactor} | ${CATEGORIES.map((category) => scores[category]).join(' | ')} | ${failed.join(', ') || '—'} |`,
        );
      }
    }
    const markdown = [
      '| page | form factor | accessibility | best practices | performance | binary audits failed |',
      '|---|---|---:|---:|---:|---|',
      ...rows,
    ].join('\n');
    return { markdown, json, chromium: version };
  },
};
