import type { TestProject } from 'vitest/node';
import { startFakeHub } from './server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    hubUrl: string;
    cdnUrl: string;
    /** Blob backend the browser suite runs against (set per vitest project). */
    backend: 'opfs' | 'indexeddb';
  }
}

/** Starts one fake Hub for the browser test run and hands its URLs to the tests (`inject('hubUrl')`). */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const hub = await startFakeHub();
  project.provide('hubUrl', hub.url);
  project.provide('cdnUrl', hub.cdnUrl);
  return () => hub.close();
}
