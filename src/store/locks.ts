/** The Web Lock name that guards one blob of a store: writers and the garbage collector take it exclusively. */
export function blobLockName(storeName: string, key: string): string {
  return `hangar:${storeName}:blob:${key}`;
}

/**
 * The Web Lock a download worker holds while it has a blob's partial open. The writing worker
 * holds it itself, so it lasts until the writer's file handles are closed, even when the page that
 * asked for the download (and held the blob lock) is already gone: a peer tab's worker waits for it
 * before opening the partial, and continues from it.
 */
export function partialLockName(storeName: string, key: string): string {
  return `hangar:${storeName}:partial:${key}`;
}

/**
 * Runs `fn` holding the Web Lock `name` (shared or exclusive). With `ifAvailable`, `fn` gets
 * `false` instead of waiting when another tab holds it. Without Web Locks, `fn` runs unguarded.
 */
export async function withLock<T>(
  name: string,
  options: { mode?: LockMode; ifAvailable?: boolean; signal?: AbortSignal },
  fn: (held: boolean) => Promise<T>,
): Promise<T> {
  if (typeof navigator === 'undefined' || navigator.locks === undefined) return fn(true);
  const { mode = 'exclusive', ifAvailable = false, signal } = options;
  const request: LockOptions = ifAvailable ? { mode, ifAvailable } : signal === undefined ? { mode } : { mode, signal };
  return navigator.locks.request(name, request, (lock) => fn(lock !== null));
}
