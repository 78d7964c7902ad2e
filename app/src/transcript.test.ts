import { describe, expect, it } from 'vitest';
import { formatClock, formatTimestamp, toJson, toSegments, toSrt, toText, toVtt, windows } from './transcript.ts';

describe('transcript', () => {
  it('splits audio into 30 s windows, the last one short', () => {
    expect(windows(16_000 * 65)).toEqual([
      [0, 480_000],
      [480_000, 960_000],
      [960_000, 1_040_000],
    ]);
    expect(windows(0)).toEqual([]);
  });

  it('puts a window’s chunks on the audio clock and fills missing ends', () => {
    const chunks = [
      { timestamp: [0.5, 4], text: ' the day' },
      { timestamp: [4.2, null], text: ' water ' },
      { timestamp: [9, 40], text: ' ' },
    ];
    expect(toSegments(chunks, 30, 45)).toEqual([
      { start: 30.5, end: 34, text: 'the day' },
      { start: 34.2, end: 39, text: 'water' },
    ]);
    expect(toSegments([{ timestamp: [2, null], text: 'up' }], 60, 65)).toEqual([{ start: 62, end: 65, text: 'up' }]);
    // Words "heard" in the silence padding a short last window are dropped.
    expect(
      toSegments(
        [
          { timestamp: [0, 4], text: 'a' },
          { timestamp: [5, 9], text: 'b' },
        ],
        60,
        65,
      ),
    ).toEqual([{ start: 60, end: 64, text: 'a' }]);
  });

  it('writes plain text and SRT', () => {
    const segments = [
      { start: 0.16, end: 9.14, text: 'what do' },
      { start: 3723.5, end: 3725, text: 'long <b>no</b>' },
    ];
    expect(formatTimestamp(3723.5)).toBe('01:02:03,500');
    expect(formatTimestamp(0.16, '.')).toBe('00:00:00.160');
    expect(formatClock(83.456)).toBe('01:23.4');
    expect(formatClock(3683.5)).toBe('1:01:23.5');
    expect(toText(segments)).toBe('what do\nlong <b>no</b>\n');
    expect(toSrt(segments)).toBe('1\n00:00:00,160 --> 00:00:09,140\nwhat do\n\n2\n01:02:03,500 --> 01:02:05,000\nlong <b>no</b>\n');
    expect(toText([])).toBe('');
  });

  it('writes WebVTT and JSON', () => {
    const segments = [
      { start: 0.16, end: 9.14, text: 'what do' },
      { start: 61, end: 62.5, text: 'then' },
    ];
    expect(toVtt(segments)).toBe('WEBVTT\n\n00:00:00.160 --> 00:00:09.140\nwhat do\n\n00:01:01.000 --> 00:01:02.500\nthen\n');
    expect(toVtt([])).toBe('WEBVTT\n');
    expect(JSON.parse(toJson(segments, { language: 'fr', task: 'translate', model: 'm' }))).toEqual({
      language: 'fr',
      task: 'translate',
      model: 'm',
      segments,
    });
  });
});
