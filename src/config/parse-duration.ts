import { ConfigError } from '../errors/index.ts';

const UNITS: Record<string, number> = { ms: 1, s: 1e3, m: 60e3, h: 3600e3, d: 86400e3, w: 7 * 86400e3 };

const DURATION = /^(\d+(?:\.\d+)?)\s?(ms|s|m|h|d|w)$/;

/**
 * Parses a duration into milliseconds: a non-negative integer (ms) or a string such as
 * `'90s'`, `'15m'`, `'1h'`, `'30d'`, `'2w'`, `'500ms'`. Anything else throws a ConfigError naming `key`.
 */
export function parseDuration(value: unknown, key: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  const match = typeof value === 'string' ? DURATION.exec(value.trim()) : null;
  const unit = match?.[2] === undefined ? undefined : UNITS[match[2]];
  if (match?.[1] === undefined || unit === undefined) {
    throw new ConfigError('CONFIG_INVALID', `${key}: expected a duration such as "30d", "1h" or "90s", got ${JSON.stringify(value)}`, {
      details: { key },
    });
  }
  return Math.round(Number(match[1]) * unit);
}
