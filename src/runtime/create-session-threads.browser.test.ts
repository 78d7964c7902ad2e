import { describe, expect, inject, it } from 'vitest';
import { managersClosedAfterEach } from '../../test/support/browser.ts';
import { noWasmThreads, skipIf } from '../../test/support/engine.ts';
import { runSilero } from '../../test/support/silero-run.ts';
import { createSession } from './index.ts';

const manager = managersClosedAfterEach();
const reference = inject('silero');

// Its own file: ONNX Runtime fixes the thread count at the first session of a page.
describe('createSession with 2 wasm threads', () => {
  it('runs Silero VAD on 2 threads with outputs equal to onnxruntime-node', async (context) => {
    skipIf(context, noWasmThreads);
    const mm = manager();
    await mm.download('hangar-test/silero-vad', { files: ['onnx/model.onnx'] }).done;
    const opened = await createSession(mm, 'hangar-test/silero-vad', 'onnx/model.onnx', { threads: 2 });
    expect(opened.threads).toBe(2);
    const probabilities = await runSilero(opened.session, reference.frames);
    probabilities.forEach((value, i) => expect(Math.abs(value - reference.probabilities[i]!)).toBeLessThan(1e-5));
    await opened.session.release();
  });
});
