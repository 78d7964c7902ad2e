import { fileURLToPath } from 'node:url';

/** The relay Playwright starts in Firefox's place (see firefox-bidi.mjs): Debian's Firefox ESR behind a WebDriver BiDi relay. */
const RELAY = fileURLToPath(new URL('./firefox-bidi.mjs', import.meta.url));

/**
 * Playwright launch options for Debian's Firefox ESR (or FIREFOX_PATH) over WebDriver BiDi.
 * Storage prefs stay at their defaults: `navigator.storage.persist()` waits for a prompt nobody
 * answers, as it does for a real user who ignores it. The fake microphone is on for the PWA.
 * `prefs` adds Firefox prefs (the dark project sets the colour scheme this way).
 */
export function firefoxLaunchOptions(prefs: Record<string, boolean | number | string> = {}): {
  channel: string;
  executablePath: string;
  firefoxUserPrefs: Record<string, boolean | number | string>;
} {
  return {
    channel: 'moz-firefox',
    executablePath: RELAY,
    firefoxUserPrefs: { 'media.navigator.streams.fake': true, 'media.navigator.permission.disabled': true, ...prefs },
  };
}
