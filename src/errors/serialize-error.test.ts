import { describe, expect, it } from 'vitest';
import { AbortError, ConfigError, DownloadError, HangarError, HubError, IntegrityError, StoreError } from './hangar-error.ts';
import { deserializeError, serializeError } from './serialize-error.ts';

describe('error serialization across a worker boundary', () => {
  it.each([
    new ConfigError('CONFIG_INVALID', 'bad', { details: { key: 'cache.maxSize' } }),
    new HubError('GATED_REPO', 'gated', { details: { status: 401 } }),
    new DownloadError('STALLED', 'stalled', { details: { path: 'a.onnx', offset: 10 } }),
    new IntegrityError('INTEGRITY_MISMATCH', 'bad hash', { details: { expected: 'aa', actual: 'bb' } }),
    new StoreError('QUOTA_EXCEEDED', 'full'),
    new AbortError('paused', { details: { reason: 'pause' } }),
  ])('rebuilds $name with its class, code, details and retryable flag', (original) => {
    const copy = deserializeError(structuredClone(serializeError(original))) as HangarError;
    expect(copy).toBeInstanceOf(original.constructor);
    expect(copy).toBeInstanceOf(HangarError);
    expect(copy.name).toBe(original.name);
    expect(copy.code).toBe(original.code);
    expect(copy.message).toBe(original.message);
    expect(copy.details).toEqual(original.details);
    expect(copy.retryable).toBe(original.retryable);
    expect(copy.stack).toBe(original.stack);
  });

  it('keeps the cause chain, plain errors included', () => {
    const root = new TypeError('Failed to fetch');
    const error = new DownloadError('NETWORK', 'network', { cause: new HubError('HUB_UNAVAILABLE', '503', { cause: root }) });
    const copy = deserializeError(structuredClone(serializeError(error)));
    const hub = copy.cause as HubError;
    expect(hub).toBeInstanceOf(HubError);
    expect(hub.code).toBe('HUB_UNAVAILABLE');
    expect((hub.cause as Error).name).toBe('TypeError');
    expect((hub.cause as Error).message).toBe('Failed to fetch');
  });

  it('serializes non-errors as messages', () => {
    expect(deserializeError(serializeError('boom')).message).toBe('boom');
  });

  it('marks only transient failures as retryable', () => {
    expect(new HubError('RATE_LIMITED', '').retryable).toBe(true);
    expect(new HubError('HUB_UNAVAILABLE', '').retryable).toBe(true);
    expect(new IntegrityError('INTEGRITY_MISMATCH', '').retryable).toBe(true);
    expect(new HubError('REPO_NOT_FOUND', '').retryable).toBe(false);
    expect(new HubError('AUTH_REQUIRED', '').retryable).toBe(false);
    expect(new DownloadError('TIMEOUT', '').retryable).toBe(false);
    expect(new AbortError().retryable).toBe(false);
  });
});
