import { HangarPanel } from './hangar-panel.ts';

export { HangarPanel };
export { modelDetails, type ModelDetails, type FileDetails } from './model-details.ts';

/** Registers `<hangar-panel>` (once; importing this module does it). Without custom elements (Node, server-side rendering) it does nothing. */
export function defineHangarPanel(name = 'hangar-panel'): void {
  if (globalThis.customElements === undefined) return;
  if (customElements.get(name) === undefined) customElements.define(name, class extends HangarPanel {});
}

defineHangarPanel();

declare global {
  interface HTMLElementTagNameMap {
    'hangar-panel': HangarPanel;
  }
}
