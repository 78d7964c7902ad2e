import { describe, expect, it } from 'vitest';
import { HubError } from '../errors/index.ts';
import { checkRepoId, checkRepoPath, checkRevision, isCommitSha } from './check-names.ts';
import { resolveUrl } from './resolve-url.ts';

describe('checkRepoPath', () => {
  it.each(['config.json', 'onnx/model_q4f16.onnx', 'a/b/c.d', '.gitattributes', 'weird name (1).bin'])('accepts %s', (path) => {
    expect(() => checkRepoPath(path)).not.toThrow();
  });

  it.each(['../etc/passwd', 'onnx/../../x', '/etc/passwd', 'a//b', 'a/./b', 'a/', '', 'C:/win', 'a\\..\\b', 'nul\0byte', '..'])(
    'rejects %j with UNSAFE_PATH',
    (path) => {
      expect(() => checkRepoPath(path)).toThrow(HubError);
      try {
        checkRepoPath(path);
      } catch (error) {
        expect((error as HubError).code).toBe('UNSAFE_PATH');
      }
    },
  );
});

describe('repo ids and revisions', () => {
  it('accepts org/name and name', () => {
    expect(() => checkRepoId('onnx-community/whisper-tiny')).not.toThrow();
    expect(() => checkRepoId('gpt2')).not.toThrow();
  });
  it.each(['', 'a/b/c', '../x', 'a/..', 'org/na me', '/abs'])('rejects repo %j', (repo) =>
    expect(() => checkRepoId(repo)).toThrow(HubError),
  );
  it.each(['main', 'v1.0', 'refs/pr/1', 'a'.repeat(40)])('accepts revision %s', (rev) => expect(() => checkRevision(rev)).not.toThrow());
  it.each(['', 'a b', '../main', 'x..y', 'main/'])('rejects revision %j', (rev) => expect(() => checkRevision(rev)).toThrow(HubError));
  it('knows a commit sha', () => {
    expect(isCommitSha('0123456789abcdef0123456789abcdef01234567')).toBe(true);
    expect(isCommitSha('main')).toBe(false);
  });
});

describe('resolveUrl', () => {
  it('encodes the revision whole and the path per segment', () => {
    expect(resolveUrl('https://hf.co', 'org/m', 'refs/pr/1', 'onnx/a b.onnx')).toBe(
      'https://hf.co/org/m/resolve/refs%2Fpr%2F1/onnx/a%20b.onnx',
    );
  });
});
