import { describe, expect, it } from 'vitest';
import { DownloadError, HubError, RuntimeError } from 'hangar';
import { explainError } from './explain-error.ts';

const at = { endpoint: 'https://hub.example', online: true };

describe('explainError', () => {
  it('tells "you are offline" from "the Hub is unreachable"', () => {
    const error = new DownloadError('NETWORK', 'fetch failed');
    expect(explainError(error, at)).toMatch(/^https:\/\/hub\.example is unreachable right now \(this device is online\).* \(NETWORK\)$/);
    expect(explainError(error, { ...at, online: false })).toMatch(/^You are offline\. .* \(NETWORK\)$/);
  });

  it('says a 401 may be a missing model, not a wrong password', () => {
    expect(explainError(new HubError('AUTH_REQUIRED', 'Invalid username or password.'), at)).toContain('does not exist, or it is private');
  });

  it('never shows a raw runtime message', () => {
    const raw = new RuntimeError('SESSION_FAILED', 'no available backend found. ERR: [webgpu] --enable-unsafe-webgpu');
    expect(explainError(raw, at)).not.toContain('backend');
    expect(explainError(new TypeError('x is undefined'), at)).not.toContain('undefined');
  });
});
