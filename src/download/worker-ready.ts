/** What the download worker posts once its API is exposed; the page sends no call before it. */
export const WORKER_READY = 'hangar-download-worker-ready';
