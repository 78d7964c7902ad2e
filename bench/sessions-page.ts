import * as ort from 'onnxruntime-web';
import { createModelManager } from '../src/index.ts';
import { removeStore } from './remove-store.ts';
import type { InputSpec, SessionsPageApi } from './sessions-types.ts';
import { createSession } from 'hangar/runtime';

function feeds(inputs: Record<string, InputSpec>): Record<string, ort.Tensor> {
  return Object.fromEntries(
    Object.entries(inputs).map(([name, spec]) => {
      const data = spec.data ?? new Array<number>(spec.dims.reduce((a, b) => a * b, 1)).fill(spec.fill ?? 0);
      const tensor =
        spec.type === 'int64'
          ? new ort.Tensor(
              'int64',
              BigInt64Array.from(data, (value) => BigInt(value)),
              spec.dims,
            )
          : new ort.Tensor('float32', Float32Array.from(data), spec.dims);
      return [name, tensor];
    }),
  );
}

const api: SessionsPageApi = {
  async prepare(endpoint, repo, files, storeName) {
    const mm = createModelManager({ endpoint, storeName, cache: { autoClean: false } });
    try {
      await mm.download(repo, { files }).done;
      await mm.download('hangar-test/tiny-mlp', { files: ['onnx/model.onnx'] }).done;
      const warm = await createSession(mm, 'hangar-test/tiny-mlp', 'onnx/model.onnx');
      await warm.session.release();
    } finally {
      mm.close();
    }
  },
  async hangar(endpoint, storeName, repo, path, inputs) {
    const started = performance.now();
    const mm = createModelManager({ endpoint, storeName, cache: { autoClean: false } });
    try {
      const opened = await createSession(mm, repo, path);
      await opened.session.run(feeds(inputs));
      const ms = performance.now() - started;
      await opened.session.release();
      return ms;
    } finally {
      mm.close();
    }
  },
  async plain(url, inputs, externalData) {
    const started = performance.now();
    const session = await ort.InferenceSession.create(url, {
      executionProviders: ['wasm'],
      ...(externalData === undefined ? {} : { externalData: [{ path: externalData.path, data: externalData.url }] }),
    });
    await session.run(feeds(inputs));
    const ms = performance.now() - started;
    await session.release();
    return ms;
  },
  cleanup: removeStore,
};

window.hangarSessionsBench = api;
