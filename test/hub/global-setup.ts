import type { TestProject } from 'vitest/node';
import type { BrowserSetup } from '../browsers/setup.ts';
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
  }
}

/** Starts one fake Hub for the browser test run and hands its URLs (`inject('hubUrl')`) and the Silero reference to the tests. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const hub = await startFakeHub();
  project.provide('hubUrl', hub.url);
  project.provide('cdnUrl', hub.cdnUrl);
  project.provide('silero', await sileroReference());
  return () => hub.close();
}
