import { createRequire } from 'node:module';
import * as ort from 'onnxruntime-node';
import { runSileroWith } from './silero-run.ts';

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
  const probabilities = await runSileroWith(ort.Tensor, session, frames);
  await session.release();
  return { frames, probabilities };
}
