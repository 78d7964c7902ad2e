import { describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { hub, managersClosedAfterEach } from '../../test/support/browser.ts';
import { expectClose } from '../../test/support/expect-close.ts';
import { runSilero } from '../../test/support/silero-run.ts';
import { createSession } from './index.ts';

const manager = managersClosedAfterEach();
const VAD = 'hangar-test/silero-vad';
const reference = inject('silero');

// Reads the stored graph through the backend of every project; options and outcomes are in create-session-options.
describe('createSession from stored bytes (first session of this page: 1 wasm thread)', () => {
  it('runs the real Silero VAD on wasm with outputs equal to onnxruntime-node', async () => {
    const mm = manager();
    await mm.download(VAD).done;
    const opened = await createSession(mm, VAD, 'onnx/model.onnx');
    expect(opened).toMatchObject({ backend: 'wasm', dtype: 'fp32', threads: 1, optimizationLevel: 'O2' });
    expect(opened.createMs).toBeGreaterThan(0);
    expect(opened.session.inputNames).toEqual(['input', 'state', 'sr']);
    expectClose(await runSilero(opened.session, reference.frames), reference.probabilities, 1e-5);
    await opened.session.release();
  });

  it('opens without the network once cached', async () => {
    const mm = manager();
    await mm.download(VAD, { files: ['onnx/model.onnx'] }).done;
    await hub.reset();
    const opened = await createSession(mm, VAD, 'onnx/model.onnx');
    expect((await hub.stats()).requests).toEqual([]);
    await opened.session.release();
  });
});
