import type { StoreEvents } from './index.ts';

/**
 * Asks the browser to keep the origin's storage under pressure, without waiting for the answer:
 * Firefox answers `persist()` only when the user answers its prompt (maybe never), so nothing may
 * depend on it. The answer, whenever it comes, is posted as a `persist` event.
 */
export function requestPersistence(events: StoreEvents): void {
  const manager = typeof navigator === 'undefined' ? undefined : navigator.storage;
  if (manager?.persist === undefined) return;
  void (async () => {
    const granted = (await manager.persisted().catch(() => false)) || (await manager.persist().catch(() => false));
    events.post({ type: 'persist', granted });
  })();
}
