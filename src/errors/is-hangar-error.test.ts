import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { HubError, StoreError, isHangarError } from './hangar-error.ts';

describe('isHangarError', () => {
  it('recognises every class and narrows on a code', () => {
    const error: unknown = new StoreError('NOT_CACHED', 'not here');
    expect(isHangarError(error)).toBe(true);
    expect(isHangarError(error, 'NOT_CACHED')).toBe(true);
    expect(isHangarError(error, 'QUOTA_EXCEEDED')).toBe(false);
    expect(isHangarError(new HubError('GATED_REPO', ''), 'GATED_REPO')).toBe(true);
  });

  it('holds for an error built in another realm by another copy of the class, where instanceof fails', () => {
    const foreign: unknown = runInNewContext(`
      class HubError extends Error {}
      Object.defineProperty(HubError.prototype, Symbol.for('hangar.error'), { value: true });
      const error = new HubError('gone');
      error.name = 'HubError';
      error.code = 'REPO_NOT_FOUND';
      error.details = {};
      error;
    `);
    expect(foreign instanceof HubError).toBe(false);
    expect(isHangarError(foreign, 'REPO_NOT_FOUND')).toBe(true);
  });

  it('refuses look-alikes: a plain Error, an object with a code, null', () => {
    expect(isHangarError(Object.assign(new Error('x'), { code: 'NOT_CACHED', details: {} }))).toBe(false);
    expect(isHangarError({ code: 'NOT_CACHED', name: 'StoreError' })).toBe(false);
    expect(isHangarError(null)).toBe(false);
    expect(isHangarError('NOT_CACHED')).toBe(false);
  });
});
