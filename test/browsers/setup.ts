import type { BackendKind, ChunkValues } from '../../src/store/index.ts';

/** A browser engine the suite runs in; `webkit-private` is WebKit in a private (ephemeral) session. */
export type Engine = 'chromium' | 'firefox' | 'webkit' | 'webkit-private';

/** What one browser project runs: the engine, the `cache.backend` its managers ask for, and what the storage probe must choose. */
export interface BrowserSetup {
  engine: Engine;
  backend: 'auto' | BackendKind;
  /** Where this project's stores must keep blob bytes. */
  expect: { backend: BackendKind; chunks?: ChunkValues };
  /** Whether the engine can write OPFS files through sync access handles (what `auto` prefers). */
  opfs: boolean;
}
