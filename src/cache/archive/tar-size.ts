import { formatOctal, parseOctal } from './tar-octal.ts';

const FIELD = 12;
const OCTAL_LIMIT = 8 ** 11;

/**
 * The 12-byte tar size field for `size`: 11 octal digits and a NUL below 8 GiB, else GNU base-256
 * (first byte 0x80, then the size big-endian in the remaining 11 bytes).
 */
export function encodeTarSize(size: number): Uint8Array<ArrayBuffer> {
  if (!Number.isSafeInteger(size) || size < 0) throw new RangeError(`Invalid tar entry size ${size}`);
  const field = new Uint8Array(FIELD);
  if (size < OCTAL_LIMIT) {
    const digits = formatOctal(size, FIELD - 1);
    for (let i = 0; i < digits.length; i++) field[i] = digits.charCodeAt(i);
    return field;
  }
  field[0] = 0x80;
  let rest = size;
  for (let i = FIELD - 1; i > 0; i--) {
    field[i] = rest % 256;
    rest = Math.floor(rest / 256);
  }
  return field;
}

/** Reads a tar size field, octal or GNU base-256; undefined when malformed, negative or above 2^53 - 1. */
export function decodeTarSize(field: Uint8Array): number | undefined {
  const first = field[0] ?? 0;
  if ((first & 0x80) === 0) return parseOctal(field);
  if (first & 0x40) return undefined; // base-256 negative
  let value = first & 0x3f;
  for (let i = 1; i < field.length; i++) {
    value = value * 256 + (field[i] ?? 0);
    if (!Number.isSafeInteger(value)) return undefined;
  }
  return value;
}
