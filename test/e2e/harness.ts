import * as hangar from '../../src/index.ts';

declare global {
  interface Window {
    hangar: typeof hangar;
  }
}

// End-to-end tests drive the library through `window.hangar` with page.evaluate.
window.hangar = hangar;
document.getElementById('ready')!.hidden = false;
