import { SAMPLE_RATE } from './transcript.ts';

/**
 * Decodes an audio file (wav, mp3, ogg, webm... whatever the browser's WebAudio reads) into mono
 * float samples at 16 kHz: WebAudio resamples to the context's rate, channels are averaged.
 */
export async function decodeAudio(data: Blob): Promise<Float32Array<ArrayBuffer>> {
  const context = new OfflineAudioContext(1, 1, SAMPLE_RATE);
  const buffer = await context.decodeAudioData(await data.arrayBuffer());
  const mono = new Float32Array(buffer.length);
  for (let channel = 0; channel < buffer.numberOfChannels; channel++) {
    const samples = buffer.getChannelData(channel);
    for (let i = 0; i < samples.length; i++) mono[i]! += samples[i]! / buffer.numberOfChannels;
  }
  return mono;
}

/** Records the microphone until `stop()`; resolves with the recording as a Blob (webm/opus in Chromium). */
export async function recordMicrophone(): Promise<{ stop: () => Promise<Blob> }> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1 } });
  const recorder = new MediaRecorder(stream);
  const parts: Blob[] = [];
  recorder.addEventListener('dataavailable', (event) => parts.push(event.data));
  recorder.start(250);
  return {
    stop: () =>
      new Promise<Blob>((resolve) => {
        recorder.addEventListener('stop', () => {
          for (const track of stream.getTracks()) track.stop();
          resolve(new Blob(parts, { type: recorder.mimeType }));
        });
        recorder.stop();
      }),
  };
}
