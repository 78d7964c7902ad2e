import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors/index.ts';
import { parseDuration } from './parse-duration.ts';
import { parseSize } from './parse-size.ts';
import { resolveConfig, type HangarOptions } from './resolve-config.ts';

describe('parseSize', () => {
  it.each([
    ['10GB', 10e9],
    ['512MiB', 512 * 2 ** 20],
    ['1.5 GiB', 1.5 * 2 ** 30],
    ['0B', 0],
    ['100KB', 100e3],
    [4096, 4096],
  ])('%s -> %d bytes', (input, bytes) => expect(parseSize(input, 'k')).toBe(bytes));

  it.each(['10 gigs', '10gb', '-1GB', 'GB', '', '1e9', '1.5', -5, 1.5, NaN, null, {}])('rejects %j naming the key', (input) => {
    expect(() => parseSize(input, 'cache.maxSize')).toThrow(ConfigError);
    expect(() => parseSize(input, 'cache.maxSize')).toThrow(/^cache\.maxSize: /);
  });
});

describe('parseDuration', () => {
  it.each([
    ['30d', 30 * 86400e3],
    ['1h', 3600e3],
    ['90s', 90e3],
    ['15m', 900e3],
    ['500ms', 500],
    ['2w', 14 * 86400e3],
    [250, 250],
  ])('%s -> %d ms', (input, ms) => expect(parseDuration(input, 'k')).toBe(ms));

  it.each(['1 hour', '1H', '-1h', 'h', '', '1y', -1, null])('rejects %j naming the key', (input) => {
    expect(() => parseDuration(input, 'download.timeout')).toThrow(/^download\.timeout: /);
  });
});

describe('resolveConfig', () => {
  it('applies the documented defaults', () => {
    expect(resolveConfig()).toEqual({
      endpoint: 'https://huggingface.co',
      accessToken: undefined,
      storeName: 'hangar',
      now: Date.now,
      cache: { maxSize: 10e9, retention: 30 * 86400e3, backend: 'auto', autoClean: true, crossOrigin: 'auto' },
      download: { concurrent: 2, timeout: 3600e3, retries: 3, retryDelay: 1000, stallTimeout: 30e3, retryAfterMax: 60e3 },
      conversion: { optimizationLevel: 'O2', enableQuantization: true, targetPlatform: 'auto' },
      runtime: { wasmPaths: '/ort/' },
    });
  });

  it('takes every option of the seed configuration', () => {
    const config = resolveConfig({
      endpoint: 'http://127.0.0.1:8300/',
      accessToken: 'hf_abc',
      cache: { maxSize: '512MiB', retention: '7d', backend: 'indexeddb' },
      download: { concurrent: 4, timeout: '90s', retries: 0 },
      conversion: { optimizationLevel: 'O3', enableQuantization: false, targetPlatform: 'gpu' },
    });
    expect(config.endpoint).toBe('http://127.0.0.1:8300');
    expect(config.cache).toEqual({
      maxSize: 512 * 2 ** 20,
      retention: 7 * 86400e3,
      backend: 'indexeddb',
      autoClean: true,
      crossOrigin: 'auto',
    });
    expect(config.download).toMatchObject({ concurrent: 4, timeout: 90e3, retries: 0 });
    expect(config.conversion).toEqual({ optimizationLevel: 'O3', enableQuantization: false, targetPlatform: 'gpu' });
  });

  it('takes cache.crossOrigin: auto (the default) or off', () => {
    expect(resolveConfig({ cache: { crossOrigin: 'off' } }).cache.crossOrigin).toBe('off');
    expect(resolveConfig({ cache: { crossOrigin: 'auto' } }).cache.crossOrigin).toBe('auto');
  });

  it.each<[string, unknown]>([
    ['endpoint', { endpoint: 'ftp://example.com' }],
    ['endpoint', { endpoint: 'not a url' }],
    ['accessToken', { accessToken: 'abc' }],
    ['storeName', { storeName: '../x' }],
    ['cache.maxSize', { cache: { maxSize: 'lots' } }],
    ['cache.retention', { cache: { retention: '30 days' } }],
    ['cache.backend', { cache: { backend: 'localStorage' } }],
    ['download.concurrent', { download: { concurrent: 0 } }],
    ['download.concurrent', { download: { concurrent: 2.5 } }],
    ['download.retries', { download: { retries: -1 } }],
    ['download.timeout', { download: { timeout: 'forever' } }],
    ['conversion.optimizationLevel', { conversion: { optimizationLevel: 'O4' } }],
    ['conversion.enableQuantization', { conversion: { enableQuantization: 'yes' } }],
    ['conversion.targetPlatform', { conversion: { targetPlatform: 'tpu' } }],
    ['cache.maxsize', { cache: { maxsize: '1GB' } }],
    ['cache.autoClean', { cache: { autoClean: 1 } }],
    ['cache.crossOrigin', { cache: { crossOrigin: 'on' } }],
    ['cache.crossOrigin', { cache: { crossOrigin: true } }],
    ['now', { now: 5 }],
    ['runtime.wasmPaths', { runtime: { wasmPaths: '/ort' } }],
    ['downloads', { downloads: {} }],
    ['cache', { cache: 'big' }],
  ])('a bad %s is a ConfigError that names it', (key, options) => {
    try {
      resolveConfig(options as HangarOptions);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).code).toBe('CONFIG_INVALID');
      expect((error as ConfigError).details.key).toBe(key);
      expect((error as Error).message.startsWith(`${key}: `)).toBe(true);
    }
  });
});
