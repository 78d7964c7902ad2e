/** The message an app worker posts once its module (every import included) has loaded and its API listens. */
export const WORKER_READY = 'hangar-app-worker-ready';
/** The message an app worker posts, on its own port (not a comlink callback's), as it opens a model. */
export const WORKER_STAGE = 'hangar-app-worker-stage';

/** What the worker reports of an open: it was asked (the page's message arrived), and it asked for the first file. */
export type ReportedStage = 'asked' | 'first file';

/** Tells the page that this worker's module loaded and its API listens: call right after `Comlink.expose`. */
export function announceReady(): void {
  (self as unknown as DedicatedWorkerGlobalScope).postMessage({ type: WORKER_READY });
}

/** Tells the page how far opening a model got (the runner's stage log). */
export function announceStage(stage: ReportedStage): void {
  (self as unknown as DedicatedWorkerGlobalScope).postMessage({ type: WORKER_STAGE, stage });
}
