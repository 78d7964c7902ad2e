import { fileURLToPath } from 'node:url';

/** The relay Playwright starts in Firefox's place (see firefox-bidi.mjs): Debian's Firefox ESR behind a WebDriver BiDi relay. */
const RELAY = fileURLToPath(new URL('./firefox-bidi.mjs', import.meta.url));

/**
 * Playwright launch options for Debian's Firefox ESR (or FIREFOX_PATH) over WebDriver BiDi.
 * Storage prefs stay at their defaults: `navigator.storage.persist()` waits for a prompt nobody
 * answers, as it does for a real user who ignores it. The fake microphone is on for the PWA.
 * `prefs` adds Firefox prefs (the dark project sets the colour scheme this way); `networkEvents:
 * false` leaves Playwright without request events (no `page.route`, no `page.on('request')`), which
 * Firefox spends much of its time on otherwise (see firefox-bidi.mjs).
 */
export function firefoxLaunchOptions(
  prefs: Record<string, boolean | number | string> = {},
  { networkEvents = true }: { networkEvents?: boolean } = {},
): {
  channel: string;
  executablePath: string;
  firefoxUserPrefs: Record<string, boolean | number | string>;
  env?: Record<string, string | undefined>;
} {
  return {
    channel: 'moz-firefox',
    executablePath: RELAY,
    firefoxUserPrefs: { 'media.navigator.streams.fake': true, 'media.navigator.permission.disabled': true, ...prefs },
    ...(networkEvents ? {} : { env: { ...process.env, HANGAR_BIDI_NO_NETWORK_EVENTS: '1' } }),
  };
}
