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

describe('what each entry point pulls in', () => {
  /** The modules a bundler includes for `entry`, dynamic imports included. */
  async function bundledModules(entry: string): Promise<string[]> {
    const { rolldown } = await import('rolldown');
    const build = await rolldown({ input: entry, platform: 'browser', logLevel: 'silent' });
    try {
      const { output } = await build.generate({ format: 'esm' });
      return output.flatMap((chunk) => (chunk.type === 'chunk' ? Object.keys(chunk.modules) : []));
    } finally {
      await build.close();
    }
  }

  it('hangar has no ONNX Runtime and no transformers.js in its graph; hangar/runtime has ONNX Runtime', async () => {
    const core = await bundledModules('src/index.ts');
    expect(core.filter((id) => /onnxruntime-web|@huggingface[\\/]transformers/.test(id))).toEqual([]);
    const runtime = await bundledModules('src/runtime/index.ts');
    expect(runtime.some((id) => id.includes('onnxruntime-web'))).toBe(true);
  });
});

describe('the runtime and transformers entry points take a manager', () => {
  it('anything else is refused typed: rejected by the async calls, thrown by the sync ones', async () => {
    const { createSession } = await import('./runtime/index.ts');
    const { transformersCache } = await import('./transformers/index.ts');
    const notAManager = {} as Parameters<typeof createSession>[0];
    await expect(createSession(notAManager, 'a/b', 'model.onnx')).rejects.toMatchObject({ name: 'ConfigError', code: 'CONFIG_INVALID' });
    expect(() => transformersCache(notAManager)).toThrow(/expected a model manager made by createModelManager/);
  });
});
