import type { InferenceSession, Tensor } from 'onnxruntime-web';

/**
 * Runs the Silero VAD frames through a session, feeding the state back; returns the
 * probabilities. `TensorClass` comes from whichever runtime made the session (web or node).
 */
export async function runSileroWith(TensorClass: typeof Tensor, session: InferenceSession, frames: number[][]): Promise<number[]> {
  let state: Tensor = new TensorClass('float32', new Float32Array(2 * 128), [2, 1, 128]);
  const probabilities: number[] = [];
  for (const frame of frames) {
    const out = await session.run({
      input: new TensorClass('float32', Float32Array.from(frame), [1, 512]),
      state,
      sr: new TensorClass('int64', BigInt64Array.from([16000n]), []),
    });
    probabilities.push((out.output!.data as Float32Array)[0]!);
    state = out.stateN!;
  }
  return probabilities;
}

/** `runSileroWith` on onnxruntime-web. */
export async function runSilero(session: InferenceSession, frames: number[][]): Promise<number[]> {
  return runSileroWith((await import('onnxruntime-web')).Tensor, session, frames);
}
