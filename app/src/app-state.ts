import type { HardwareProfile } from 'hangar';
import type { Segment } from './transcript.ts';

/** What more than one section of the app reads: each section renders its controls from it. */
export interface AppState {
  profile: HardwareProfile | undefined;
  /** Audio ready to transcribe (16 kHz mono). */
  audio: { samples: Float32Array<ArrayBuffer>; label: string } | undefined;
  recording: boolean;
  downloading: boolean;
  transcribing: boolean;
  segments: Segment[];
}

export const state: AppState = {
  profile: undefined,
  audio: undefined,
  recording: false,
  downloading: false,
  transcribing: false,
  segments: [],
};

const renderers = new Set<() => void>();

/** Calls `render` now and after every `update`. */
export function onUpdate(render: () => void): void {
  renderers.add(render);
  render();
}

/** Changes the state and re-renders every section's controls. */
export function update(patch: Partial<AppState>): void {
  Object.assign(state, patch);
  for (const render of renderers) render();
}
