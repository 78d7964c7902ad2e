import { Emitter } from '../util/index.ts';

/** A change to a store, broadcast to every tab of the origin (BroadcastChannel `hangar:<store>`). */
export type StoreChange =
  | { type: 'added'; repo: string; commit: string; path: string; size: number }
  | { type: 'deleted'; repo: string; commits: string[]; bytesFreed: number }
  | { type: 'cleaned'; removed: Array<{ repo: string; commit: string }>; blobs: number; bytesFreed: number }
  | { type: 'pinned'; repo: string; commits: string[]; pinned: boolean }
  | { type: 'verified'; repo: string | undefined; checked: number; bad: number }
  | { type: 'imported'; repo: string; commit: string }
  | { type: 'progress'; repo: string; revision: string; loaded: number; total: number; state: string }
  | { type: 'persist'; granted: boolean }
  | { type: 'backup'; ok: boolean; snapshot: string | null; blobsWritten: number; bytesWritten: number; code: string | null };

/** A change plus where it came from: `tab` is the id of the tab that made it, `local` is true in that tab. */
export type StoreEvent = StoreChange & { tab: string; local: boolean; at: number };

const TAB = Math.random().toString(36).slice(2, 10);

/** Posts store changes to this tab's `change` listeners and to other tabs; receives theirs. */
export class StoreEvents extends Emitter<{ change: StoreEvent }> {
  #channel: BroadcastChannel | undefined;
  #closed = false;

  constructor(storeName: string) {
    super();
    this.#channel = typeof BroadcastChannel === 'undefined' ? undefined : new BroadcastChannel(`hangar:${storeName}`);
    this.#channel?.addEventListener('message', (message: MessageEvent<StoreEvent>) => this.#deliver({ ...message.data, local: false }));
  }

  /** Delivers `change` here and to other tabs; after `close()` it does nothing (a late answer, such as persist's, may arrive then). */
  post(change: StoreChange): void {
    if (this.#closed) return;
    const event: StoreEvent = { ...change, tab: TAB, local: true, at: Date.now() };
    this.#channel?.postMessage({ ...event, local: false });
    this.#deliver(event);
  }

  close(): void {
    this.#closed = true;
    this.#channel?.close();
    this.#channel = undefined;
    this.clear();
  }

  #deliver(event: StoreEvent): void {
    this.emit('change', event);
  }
}
