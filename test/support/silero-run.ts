import type { InferenceSession } from 'onnxruntime-web';

/** Runs the Silero VAD frames through a session (onnxruntime-web), feeding the state back; returns the probabilities. */
export async function runSilero(session: InferenceSession, frames: number[][]): Promise<number[]> {
  const ort = await import('onnxruntime-web');
  let state = new ort.Tensor('float32', new Float32Array(2 * 128), [2, 1, 128]) as InstanceType<typeof ort.Tensor>;
  const probabilities: number[] = [];
  for (const frame of frames) {
    const out = await session.run({
      input: new ort.Tensor('float32', Float32Array.from(frame), [1, 512]),
      state,
      sr: new ort.Tensor('int64', BigInt64Array.from([16000n]), []),
    });
    probabilities.push((out.output!.data as Float32Array)[0]!);
    state = out.stateN! as InstanceType<typeof ort.Tensor>;
  }
  return probabilities;
}
