import { afterEach, inject } from 'vitest';
import { createModelManager, type HangarOptions, type ModelManager } from '../../src/index.ts';
import { hubControl } from './hub-control.ts';
import { backend } from './stored-bytes.ts';

export { backend, setup, storedNames, plantPartial, corruptBlob, cutBlob, removeBlobBytes } from './stored-bytes.ts';

/** The fake Hub of this test run. */
export const hub = hubControl(inject('hubUrl'));
export const cdnUrl = inject('cdnUrl');

let counter = 0;

/** A name no other test uses (repos and stores are shared by the whole run). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${(counter++).toString(36)}`;
}

/** Adds a one-commit repo of synthetic files (`path -> size`, or string content) and returns its id. */
export async function syntheticRepo(prefix: string, files: Record<string, number | string>, extra: object = {}): Promise<string> {
  const id = `hangar-test/${uniqueName(prefix)}`;
  let seed = 1000 + counter * 16;
  const sources = Object.fromEntries(
    Object.entries(files).map(([path, spec]) => [path, typeof spec === 'string' ? spec : { synthetic: { size: spec, seed: seed++ } }]),
  );
  await hub.addRepo({ id, commits: [{ files: sources }], ...extra });
  return id;
}

/** A manager on the fake Hub with its own store and fast retries. */
export function testManager(options: HangarOptions = {}): ModelManager {
  return createModelManager({
    endpoint: hub.url,
    storeName: uniqueName('store'),
    ...options,
    cache: { backend, ...options.cache },
    download: { retryDelay: 20, stallTimeout: '3s', ...options.download },
  });
}

/** A `testManager` factory whose managers are closed after each test of the calling file. */
export function managersClosedAfterEach(): typeof testManager {
  const managers: ModelManager[] = [];
  afterEach(() => {
    for (const mm of managers.splice(0)) mm.close();
  });
  return (options) => {
    const mm = testManager(options);
    managers.push(mm);
    return mm;
  };
}

/** Lowercase hex SHA-256 of a blob. */
export async function sha256(blob: Blob): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', await blob.arrayBuffer());
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** The hash Hangar verifies a file against, computed here independently: SHA-256, or the git blob SHA-1 (`blob <size>\0` + bytes). */
export async function fileHash(blob: Blob, algorithm: 'sha256' | 'git-sha1'): Promise<string> {
  if (algorithm === 'sha256') return sha256(blob);
  const bytes = await new Blob([`blob ${blob.size}\0`, blob]).arrayBuffer();
  const digest = await crypto.subtle.digest('SHA-1', bytes);
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Resolves once `predicate` holds, checking every 10 ms (fails after `ms`). */
export async function until(predicate: () => boolean | Promise<boolean>, ms = 20_000): Promise<void> {
  const end = performance.now() + ms;
  while (!(await predicate())) {
    if (performance.now() > end) throw new Error(`condition not met in ${ms} ms: ${String(predicate)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The error a promise rejects with (fails the test when it resolves). */
export async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string; details?: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new Error('expected a rejection');
}
