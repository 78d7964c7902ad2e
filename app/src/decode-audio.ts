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

/** A microphone recording in progress. */
export interface Recording {
  /** Ends the recording: the audio as a Blob (webm/opus in Chromium, ogg in Firefox). */
  stop: () => Promise<Blob>;
  /** The input level now, 0 (silence) to 1 (full scale). */
  level: () => number;
}

/** Records the microphone until `stop()`. */
export async function recordMicrophone(): Promise<Recording> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1 } });
  const recorder = new MediaRecorder(stream);
  const parts: Blob[] = [];
  recorder.addEventListener('dataavailable', (event) => parts.push(event.data));
  recorder.start(250);
  const audio = new AudioContext();
  const analyser = audio.createAnalyser();
  analyser.fftSize = 1024;
  audio.createMediaStreamSource(stream).connect(analyser);
  const frame = new Float32Array(analyser.fftSize);
  return {
    level: () => {
      analyser.getFloatTimeDomainData(frame);
      let peak = 0;
      for (const sample of frame) peak = Math.max(peak, Math.abs(sample));
      return Math.min(1, peak);
    },
    stop: () =>
      new Promise<Blob>((resolve) => {
        recorder.addEventListener('stop', () => {
          for (const track of stream.getTracks()) track.stop();
          void audio.close();
          resolve(new Blob(parts, { type: recorder.mimeType }));
        });
        recorder.stop();
      }),
  };
}
