import { execFileSync } from 'node:child_process';
import type { Plugin } from 'vite';

/** What the sample clip says. */
export const SAMPLE_TEXT = 'Hangar Whisper turns speech into text, right here in your browser. Nothing you say leaves this device.';

/**
 * A WAV file of `text` spoken by espeak-ng (Debian's `espeak-ng` package) when it is installed,
 * else `seconds` of a generated tone with a few syllable-like bursts; `spoken` says which.
 */
export function speechWav(text: string, seconds = 6): { wav: Buffer; spoken: boolean } {
  try {
    return { wav: execFileSync('espeak-ng', ['--stdout', '-s', '150', text], { stdio: ['ignore', 'pipe', 'ignore'] }), spoken: true };
  } catch {
    return { wav: toneWav(seconds), spoken: false };
  }
}

/** 16-bit mono PCM WAV at 22.05 kHz (the app must resample it): a 220 Hz tone switched on and off every 250 ms. */
export function toneWav(seconds: number, rate = 22_050): Buffer {
  const samples = Math.round(seconds * rate);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28);
  wav.writeUInt16LE(2, 32);
  wav.writeUInt16LE(16, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    const on = Math.floor((i / rate) * 4) % 2 === 0;
    wav.writeInt16LE(on ? Math.round(12_000 * Math.sin((2 * Math.PI * 220 * i) / rate)) : 0, 44 + i * 2);
  }
  return wav;
}

/**
 * The sample clip first-time users can transcribe (`/sample.wav`), made when the app is built or
 * served: SAMPLE_TEXT spoken by espeak-ng where the machine has it, else the tone (the app still
 * transcribes it; a real model then hears little).
 */
export function sampleClip(): Plugin {
  let clip: Buffer | undefined;
  const wav = (): Buffer => (clip ??= speechWav(SAMPLE_TEXT, 6).wav);
  return {
    name: 'hangar-sample-clip',
    configureServer(server) {
      server.middlewares.use('/sample.wav', (_request, response) => {
        response.setHeader('Content-Type', 'audio/wav');
        response.end(wav());
      });
    },
    generateBundle() {
      this.emitFile({ type: 'asset', fileName: 'sample.wav', source: wav() });
    },
  };
}
