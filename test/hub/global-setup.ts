import type { TestProject } from 'vitest/node';
import { sileroReference, type SileroReference } from '../support/silero-reference.ts';
import { startFakeHub } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    hubUrl: string;
    cdnUrl: string;
    /** Blob backend the browser suite runs against (set per vitest project). */
    backend: 'opfs' | 'indexeddb';
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
