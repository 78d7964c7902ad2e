import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mirror, type MirrorTarget } from '../../cli/mirror/mirror.ts';
import { startNginx } from './nginx.ts';

/** What the browser suite's static mirror holds: refs of every kind (tiny-multi) and an LLM whose graphs have external data. */
export const MIRRORED: MirrorTarget[] = [
  { repo: 'hangar-test/tiny-multi', revision: 'main' },
  { repo: 'hangar-test/tiny-multi', revision: 'v1.0' },
  { repo: 'hangar-test/tiny-multi', revision: 'refs/pr/1' },
  { repo: 'hangar-test/tiny-llm', revision: 'main' },
];

/** A static mirror served by nginx. */
export interface StaticMirror {
  url: string;
  root: string;
  accessLog(): Promise<string>;
  close(): Promise<void>;
}

/** Mirrors `targets` from the fake Hub at `hubUrl` with the CLI's code into a temporary folder and serves it with nginx. */
export async function startStaticMirror(hubUrl: string, targets: readonly MirrorTarget[] = MIRRORED): Promise<StaticMirror> {
  const root = await mkdtemp(join(tmpdir(), 'hangar-mirror-'));
  try {
    const result = await mirror(targets, {
      out: root,
      endpoint: hubUrl,
      concurrency: 4,
      retries: 2,
      retryDelayMs: 50,
      retryAfterMaxMs: 1000,
      stallMs: 10_000,
      timeoutMs: 60_000,
    });
    const failure = result.failures[0];
    if (failure !== undefined)
      throw new Error(`mirroring ${failure.target.repo}@${failure.target.revision} failed: ${failure.error.message}`);
    const nginx = await startNginx(root);
    return {
      url: nginx.url,
      root,
      accessLog: nginx.accessLog,
      async close() {
        await nginx.close();
        await rm(root, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await rm(root, { recursive: true, force: true });
    throw error;
  }
}
