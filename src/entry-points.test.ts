import { describe, expect, it } from 'vitest';

// Server-side rendering imports an app's modules in Node, where there is no DOM, worker or storage:
// importing an entry point must not throw there (issue 24). Nothing here creates a manager.
describe('every entry point imports in Node', () => {
  it('hangar', async () => {
    const hangar = await import('./index.ts');
    expect(typeof hangar.createModelManager).toBe('function');
  });

  it('hangar/panel: the element class exists and defining it does nothing without custom elements', async () => {
    expect(globalThis.customElements).toBeUndefined();
    const panel = await import('./panel/index.ts');
    expect(typeof panel.HangarPanel).toBe('function');
    expect(() => panel.defineHangarPanel('another-panel')).not.toThrow();
  });
});
