/** One timed piece of a transcript, in seconds from the start of the audio. */
export interface Segment {
  start: number;
  end: number;
  text: string;
}

/** A chunk as transformers.js's ASR pipeline returns it with `return_timestamps: true`. */
export interface TimedChunk {
  timestamp: ReadonlyArray<number | null>;
  text: string;
}

/** Sample rate Whisper expects. */
export const SAMPLE_RATE = 16_000;
/** Whisper's window: audio is transcribed 30 s at a time. */
export const WINDOW_SECONDS = 30;

/** [start, end) sample ranges of the 30 s windows covering `samples` samples. */
export function windows(samples: number, windowSamples = SAMPLE_RATE * WINDOW_SECONDS): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  for (let start = 0; start < samples; start += windowSamples) ranges.push([start, Math.min(samples, start + windowSamples)]);
  return ranges;
}

/**
 * A window's chunks as segments on the whole audio's clock: shifted by `offset`, clamped to the
 * window, a missing end taken as the next chunk's start (or the window's end). Empty text, and
 * chunks that start past the audio (Whisper pads a short window with silence and may "hear"
 * words there), are dropped.
 */
export function toSegments(chunks: TimedChunk[], offset: number, windowEnd: number): Segment[] {
  const segments: Segment[] = [];
  chunks.forEach((chunk, index) => {
    const text = chunk.text.trim();
    const start = offset + (chunk.timestamp[0] ?? 0);
    if (text === '' || start >= windowEnd) return;
    const next = chunks[index + 1]?.timestamp[0];
    const end = Math.min(windowEnd, Math.max(start, offset + (chunk.timestamp[1] ?? next ?? windowEnd - offset)));
    segments.push({ start, end, text });
  });
  return segments;
}

/** `83.456` -> `00:01:23,456` (SRT) or `00:01:23.456` with `separator` '.'. */
export function formatTimestamp(seconds: number, separator = ','): string {
  const ms = Math.round(seconds * 1000);
  const pad = (value: number, width = 2) => String(value).padStart(width, '0');
  return `${pad(Math.floor(ms / 3_600_000))}:${pad(Math.floor(ms / 60_000) % 60)}:${pad(Math.floor(ms / 1000) % 60)}${separator}${pad(ms % 1000, 3)}`;
}

/** `83.456` -> `01:23.5`; from an hour on `1:01:23.5`. */
export function formatClock(seconds: number): string {
  const full = formatTimestamp(seconds, '.').slice(0, 10);
  return seconds >= 3600 ? full.replace(/^0/, '') : full.slice(3);
}

/** The transcript as plain text, one segment per line. */
export function toText(segments: Segment[]): string {
  return segments.map((segment) => segment.text).join('\n') + (segments.length > 0 ? '\n' : '');
}

/** The transcript as SubRip subtitles. */
export function toSrt(segments: Segment[]): string {
  return segments
    .map((segment, index) => `${index + 1}\n${formatTimestamp(segment.start)} --> ${formatTimestamp(segment.end)}\n${segment.text}\n`)
    .join('\n');
}

/** The transcript as WebVTT subtitles. */
export function toVtt(segments: Segment[]): string {
  const cues = segments.map(
    (segment) => `${formatTimestamp(segment.start, '.')} --> ${formatTimestamp(segment.end, '.')}\n${segment.text}\n`,
  );
  return ['WEBVTT\n', ...cues].join('\n');
}

/** The transcript as JSON: the language, the task and the timed segments. */
export function toJson(segments: Segment[], meta: { language?: string | undefined; task: string; model: string }): string {
  return `${JSON.stringify({ ...meta, segments }, null, 2)}\n`;
}
