import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';

/** A deterministic 3-frame run of Silero VAD v5: inputs and the probabilities ONNX Runtime (CPU, Node) gives. */
export interface SileroReference {
  frames: number[][];
  probabilities: number[];
}

/** 16 kHz frames of 512 samples: a 440 Hz tone with a deterministic chirp, so the frames differ. */
export function sileroFrames(): number[][] {
  return [0, 1, 2].map((frame) =>
    Array.from({ length: 512 }, (_, i) => {
      const t = (frame * 512 + i) / 16000;
      return 0.5 * Math.sin(2 * Math.PI * 440 * t) + 0.2 * Math.sin(2 * Math.PI * (200 + 800 * t) * t);
    }),
  );
}

/** Runs the real Silero VAD weights from @ricky0123/vad-web in onnxruntime-node, feeding the state back. */
export async function sileroReference(): Promise<SileroReference> {
  const path = createRequire(import.meta.url).resolve('@ricky0123/vad-web/dist/silero_vad_v5.onnx');
  const session = await ort.InferenceSession.create(path);
  const frames = sileroFrames();
  const probabilities: number[] = [];
  let state: ort.Tensor = new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]);
  for (const frame of frames) {
    const out = await session.run({
      input: new ort.Tensor('float32', Float32Array.from(frame), [1, 512]),
      state,
      sr: new ort.Tensor('int64', BigInt64Array.from([16000n]), []),
    });
    probabilities.push((out.output!.data as Float32Array)[0]!);
    state = out.stateN!;
  }
  await session.release();
  return { frames, probabilities };
}
