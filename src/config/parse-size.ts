import { ConfigError } from '../errors/index.ts';

const UNITS: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

const SIZE = /^(\d+(?:\.\d+)?)\s?(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)$/;

/**
 * Parses a byte size: a non-negative integer (bytes) or a string such as `'10GB'` (SI, powers of 1000)
 * or `'512MiB'` (IEC, powers of 1024). Anything else throws a ConfigError naming `key`.
 */
export function parseSize(value: unknown, key: string): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  const match = typeof value === 'string' ? SIZE.exec(value.trim()) : null;
  const unit = match?.[2] === undefined ? undefined : UNITS[match[2]];
  if (match?.[1] === undefined || unit === undefined) {
    throw new ConfigError('CONFIG_INVALID', `${key}: expected a size such as "10GB" or "512MiB", got ${JSON.stringify(value)}`, {
      details: { key },
    });
  }
  return Math.round(Number(match[1]) * unit);
}
