import type { TestProject } from 'vitest/node';
import type { BrowserSetup } from '../browsers/setup.ts';
import { startStaticMirror } from '../mirror/mirror-fixtures.ts';
import { sileroReference, type SileroReference } from '../support/silero-reference.ts';
import { startFakeHub } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    hubUrl: string;
    cdnUrl: string;
    /** The engine this browser project runs in, the `cache.backend` it asks for, and what storage the probe must find (set per vitest project). */
    setup: BrowserSetup;
    /** Silero VAD outputs from onnxruntime-node (CPU), the reference for the browser sessions. */
    silero: SileroReference;
    /** Fixture repos mirrored from this fake Hub by `hangar mirror`'s code, served by nginx with cli/mirror/nginx/mirror.conf ('' when that failed). */
    mirrorUrl: string;
    /** Why there is no mirror (nginx missing...), '' when there is: the mirror tests fail with it, the rest of the suite runs. */
    mirrorError: string;
  }
}

/** Starts one fake Hub for the browser test run and hands its URLs (`inject('hubUrl')`), a static mirror of it and the Silero reference to the tests. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const hub = await startFakeHub();
  project.provide('hubUrl', hub.url);
  project.provide('cdnUrl', hub.cdnUrl);
  project.provide('silero', await sileroReference());
  const mirror = await startStaticMirror(hub.url).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  project.provide('mirrorUrl', mirror instanceof Error ? '' : mirror.url);
  project.provide('mirrorError', mirror instanceof Error ? mirror.message : '');
  hub.reset(); // the tests see a Hub nobody has asked anything yet
  return async () => {
    if (!(mirror instanceof Error)) await mirror.close();
    await hub.close();
  };
}
